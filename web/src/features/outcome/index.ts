export { type CompletionBody, fieldErrors, useCompleteTask } from "./api/complete";
export { OutcomeForm } from "./components/OutcomeForm";
