import type { Rag } from "../../types/api";
import { Badge, type BadgeTone } from "./Badge";

const TONE: Record<Rag, BadgeTone> = { GREEN: "green", AMBER: "amber", RED: "red" };

/** Health RAG with its word (and the score when known); "Not scored" before the first scan. */
export function RagBadge({ rag, score }: { rag: Rag | null | undefined; score?: number | null }) {
  if (!rag) return <Badge tone="grey">Health not scored</Badge>;
  return (
    <Badge tone={TONE[rag]}>
      Health {rag}
      {score !== null && score !== undefined ? ` ${Math.round(score)}` : ""}
    </Badge>
  );
}
