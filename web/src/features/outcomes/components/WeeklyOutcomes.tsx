import { useSearchParams } from "react-router";
import { ErrorMessage, Loading } from "../../../components/ui";
import { formatMoney, formatPercent, plural } from "../../../lib/format";
import type { Session, WeeklyMetrics } from "../../../types/api";
import { hasScope } from "../../auth";
import { useTeamMembers } from "../../queue/api/queue";
import { TeamMemberPicker } from "../../queue/components/TeamMemberPicker";
import { useTeamOutcomes, useWeeklyOutcomes } from "../api/outcomes";
import { ActivitySummary } from "./ActivitySummary";
import { OutcomeMetricCard } from "./OutcomeMetricCard";
import { TeamComparison } from "./TeamComparison";
import { WeekPicker } from "./WeekPicker";

/** The outcome cards of one CSM's (or the team's) week. */
export function OutcomeCards({ m }: { m: WeeklyMetrics }) {
  const trend = m.trend_vs_last_week;
  return (
    <div className="metric-grid">
      <OutcomeMetricCard
        title="Onboarding completions"
        value={m.onboarding_completions.actual}
        goal={m.onboarding_completions}
      />
      <OutcomeMetricCard title="At-risk saves" value={m.at_risk_saves.actual} goal={m.at_risk_saves} />
      <OutcomeMetricCard
        title="Renewals secured"
        value={formatMoney(m.renewals_secured.amount)}
        detail={plural(m.renewals_secured.count, "renewal")}
      />
      <OutcomeMetricCard
        title="Expansion pipeline"
        value={formatMoney(m.expansion_pipeline.amount)}
        detail={plural(m.expansion_pipeline.count, "opportunity", "opportunities")}
      />
      <OutcomeMetricCard
        title="Health improvements"
        value={m.health_improvements}
        detail="customers whose health rose"
      />
      <OutcomeMetricCard
        title="Trend vs last week"
        value={trend === null ? "—" : `${trend > 0 ? "▲" : trend < 0 ? "▼" : "="} ${formatPercent(trend)}`}
        detail={`${m.objectives_achieved.this_week} objectives achieved this week, ${m.objectives_achieved.last_week} last week`}
      />
    </div>
  );
}

/** The week's outcomes for the signed-in CSM (or a team member, for cs:team), with a week picker. */
export function WeeklyOutcomes({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const team = hasScope(session, "cs:team");
  const members = useTeamMembers(team);
  const week = params.get("week") ?? undefined;
  const csmId = params.get("csm") ?? session.csm_id ?? members.data?.[0] ?? undefined;
  const weekly = useWeeklyOutcomes(csmId, week, csmId !== undefined);
  const teamView = useTeamOutcomes(week, team);
  const set = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  return (
    <div className="page outcomes-page">
      <header className="page-header">
        <h1>Outcomes</h1>
        {team ? (
          <TeamMemberPicker
            members={members.data ?? []}
            value={csmId}
            own={session.csm_id}
            onChange={(c) => set("csm", c)}
          />
        ) : null}
      </header>
      <WeekPicker week={week} onChange={(w) => set("week", w)} />
      {csmId === undefined ? (
        <p>No CSM has outcomes yet.</p>
      ) : weekly.isLoading ? (
        <Loading />
      ) : weekly.error || !weekly.data ? (
        <ErrorMessage error={weekly.error} />
      ) : (
        <>
          <OutcomeCards m={weekly.data} />
          <ActivitySummary activity={weekly.data.activity} />
        </>
      )}
      {team && teamView.data ? <TeamComparison team={teamView.data} me={csmId} /> : null}
    </div>
  );
}
