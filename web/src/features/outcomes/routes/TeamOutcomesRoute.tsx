import { useSessionContext } from "../../../app/session-context";
import { TeamOutcomesPage } from "../components/TeamOutcomesPage";

export default function TeamOutcomesRoute() {
  return <TeamOutcomesPage session={useSessionContext()} />;
}
