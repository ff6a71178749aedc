import type { ReactNode } from "react";

/** A titled panel: a section with a heading, so each card is a named region for assistive tech. */
export function Card({
  title,
  children,
  actions,
  className,
}: {
  title?: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const id = title ? `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` : undefined;
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={id}>
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 id={id}>{title}</h2> : null}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}
