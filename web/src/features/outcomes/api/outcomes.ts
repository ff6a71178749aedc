import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { queryKeys } from "../../../lib/query-keys";
import type { TeamView, WeeklyOutcomes } from "../../../types/api";

/** The week containing a date as the API's week_of (noon UTC of that day, clear of any zone's midnight). */
const weekOf = (week: string | undefined) => (week ? `${week}T12:00:00Z` : undefined);

export function useWeeklyOutcomes(csmId: string | undefined, week: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.outcomes.weekly(csmId, week),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: () =>
      api.get<WeeklyOutcomes>("/v1/cs/csm-tasks/outcomes/weekly", { csm_id: csmId, week_of: weekOf(week) }),
  });
}

export function useTeamOutcomes(week: string | undefined, enabled = true) {
  return useQuery({
    queryKey: queryKeys.outcomes.team(week),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: () => api.get<TeamView>("/v1/cs/csm-tasks/outcomes/team", { week_of: weekOf(week) }),
  });
}

/** The Monday (YYYY-MM-DD, UTC) of the week `weeks` after the one containing `date`. */
export function mondayOf(date: Date, weeks = 0): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back + weeks * 7);
  return d.toISOString().slice(0, 10);
}
