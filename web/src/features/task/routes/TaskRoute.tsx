import { useParams } from "react-router";
import { ErrorMessage } from "../../../components/ui";
import { TaskDetailView } from "../components/TaskDetailView";

export default function TaskRoute() {
  const id = Number(useParams().taskId);
  if (!Number.isInteger(id) || id <= 0) return <ErrorMessage error={new Error("No such task.")} />;
  return <TaskDetailView key={id} id={id} />;
}
