import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import type { Channel, CompletionOutcomeType, ObjectiveAchieved, Sentiment } from "../../../types/api";
import { invalidateTaskViews, removeFromQueues } from "../../task/api/task";

export interface CompletionBody {
  outcome_type: CompletionOutcomeType;
  objective_achieved: ObjectiveAchieved;
  sentiment: Sentiment | null;
  channel: Channel;
  quality_gates: Record<string, unknown>;
  notes: string;
  next_action: { notes: string; date: string | null } | null;
}

export function useCompleteTask(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CompletionBody) => api.post<unknown>(`/v1/cs/csm-tasks/${id}/complete`, body),
    onSuccess: () => {
      removeFromQueues(qc, id);
      return invalidateTaskViews(qc, id);
    },
  });
}

/** The API's 422 (quality gates) and 400 (body) problems, by the form field they concern. */
export function fieldErrors(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (details && typeof details === "object" && "gates" in details) {
    for (const g of (details as { gates: { gate: string; problem: string }[] }).gates)
      out[`gate:${g.gate}`] = g.problem;
  }
  if (Array.isArray(details)) {
    for (const d of details as { path?: string; message?: string }[]) {
      const field = d.path?.replace(/^body\./, "").split(".")[0];
      if (field && d.message) out[field] = d.message;
    }
  }
  return out;
}
