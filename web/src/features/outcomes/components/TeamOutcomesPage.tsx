import { useSearchParams } from "react-router";
import { Card, DataTable, ErrorMessage, Loading } from "../../../components/ui";
import { formatMoney, formatPercent, personName } from "../../../lib/format";
import type { Session, TeamMember } from "../../../types/api";
import { hasScope } from "../../auth";
import { useTeamOutcomes } from "../api/outcomes";
import { ActivitySummary } from "./ActivitySummary";
import { TeamComparison } from "./TeamComparison";
import { OutcomeCards } from "./WeeklyOutcomes";
import { WeekPicker } from "./WeekPicker";

/** The manager's view: the team's totals and every CSM's outcomes and open work for the week. */
export function TeamOutcomesPage({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const week = params.get("week") ?? undefined;
  const allowed = hasScope(session, "cs:team");
  const team = useTeamOutcomes(week, allowed);
  if (!allowed) {
    return (
      <div className="page">
        <h1>Team outcomes</h1>
        <p role="alert">The team view needs a key with the cs:team scope.</p>
      </div>
    );
  }
  return (
    <div className="page outcomes-page">
      <header className="page-header">
        <h1>Team outcomes</h1>
      </header>
      <WeekPicker
        week={week}
        onChange={(w) => {
          const p = new URLSearchParams(params);
          if (w) p.set("week", w);
          else p.delete("week");
          setParams(p, { replace: true });
        }}
      />
      {team.isLoading ? (
        <Loading />
      ) : team.error || !team.data ? (
        <ErrorMessage error={team.error} />
      ) : (
        <>
          <OutcomeCards m={team.data.team} />
          <ActivitySummary activity={team.data.team.activity} />
          <Card title="By CSM">
            <DataTable<TeamMember>
              caption="Team members this week"
              rows={team.data.members}
              rowKey={(m) => m.csm_id}
              columns={[
                { header: "CSM", cell: (m) => personName(m.csm_id) },
                {
                  header: "Onboarding completions",
                  numeric: true,
                  cell: (m) => `${m.onboarding_completions.actual} / ${m.onboarding_completions.goal}`,
                },
                {
                  header: "At-risk saves",
                  numeric: true,
                  cell: (m) => `${m.at_risk_saves.actual} / ${m.at_risk_saves.goal}`,
                },
                {
                  header: "Renewals secured",
                  numeric: true,
                  cell: (m) => formatMoney(m.renewals_secured.amount),
                },
                {
                  header: "Expansion pipeline",
                  numeric: true,
                  cell: (m) => formatMoney(m.expansion_pipeline.amount),
                },
                { header: "Trend", numeric: true, cell: (m) => formatPercent(m.trend_vs_last_week) },
                { header: "Open", numeric: true, cell: (m) => m.open_tasks },
                { header: "Overdue", numeric: true, cell: (m) => m.overdue_tasks },
              ]}
            />
          </Card>
          <TeamComparison team={team.data} me={session.csm_id ?? undefined} />
        </>
      )}
    </div>
  );
}
