import { useSessionContext } from "../../../app/session-context";
import { QueuePage } from "../components/QueuePage";

export default function QueueRoute() {
  return <QueuePage session={useSessionContext()} />;
}
