import { BarChart, Card } from "../../../components/ui";
import { personName } from "../../../lib/format";
import type { TeamView } from "../../../types/api";

/** Each CSM's objectives achieved this week against the team, with the signed-in CSM highlighted. */
export function TeamComparison({ team, me }: { team: TeamView; me: string | undefined }) {
  const avg = team.members.length ? team.team.objectives_achieved.this_week / team.members.length : 0;
  return (
    <Card title="Team comparison">
      <BarChart
        caption={`Objectives achieved this week per CSM; team average ${Math.round(avg * 10) / 10}`}
        bars={team.members.map((m) => ({
          label: personName(m.csm_id),
          value: m.objectives_achieved.this_week,
          target: avg,
          highlight: m.csm_id === me,
          display: `${m.objectives_achieved.this_week}${m.csm_id === me ? " (you)" : ""}`,
        }))}
      />
    </Card>
  );
}
