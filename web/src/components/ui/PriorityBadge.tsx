import type { Priority } from "../../types/api";
import { Badge, type BadgeTone } from "./Badge";

/** The priority as the queue plan draws it: URGENT red, HIGH orange, STANDARD blue, LOW grey, with the score. */
const CONFIG: Record<Priority, { tone: BadgeTone; label: string }> = {
  urgent: { tone: "red", label: "URGENT" },
  high: { tone: "orange", label: "HIGH" },
  standard: { tone: "blue", label: "STANDARD" },
  low: { tone: "grey", label: "LOW" },
};

export const priorityLabel = (priority: Priority, score: number): string =>
  `${CONFIG[priority].label} (${score})`;

export function PriorityBadge({ priority, score }: { priority: Priority; score: number }) {
  return <Badge tone={CONFIG[priority].tone}>{priorityLabel(priority, score)}</Badge>;
}
