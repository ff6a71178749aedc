import type { ReactNode } from "react";

export type BadgeTone = "red" | "orange" | "blue" | "grey" | "green" | "amber";

/** A small label; the tone is colour and the text always says the same, so colour is never the only signal. */
export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
