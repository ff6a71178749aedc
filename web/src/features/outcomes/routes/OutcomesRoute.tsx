import { useSessionContext } from "../../../app/session-context";
import { WeeklyOutcomes } from "../components/WeeklyOutcomes";

export default function OutcomesRoute() {
  return <WeeklyOutcomes session={useSessionContext()} />;
}
