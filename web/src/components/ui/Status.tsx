import { ApiError } from "../../lib/api-client";

/** Loading and failure states every page shows the same way. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return <output className="loading">{label}</output>;
}

export function ErrorMessage({ error }: { error: unknown }) {
  const message =
    error instanceof ApiError
      ? error.status === 403
        ? `Not allowed: ${error.message}`
        : error.status === 404
          ? `Not found: ${error.message}`
          : error.message
      : error instanceof Error
        ? error.message
        : "Something went wrong.";
  return (
    <p className="error-message" role="alert">
      {message}
    </p>
  );
}
