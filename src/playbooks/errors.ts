/**
 * A refusal of the playbook engine, with the HTTP status it maps to. The engine sits below the API
 * (dependencies point one way), so it names the status and the route layer renders it.
 */
export class PlaybookError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new PlaybookError(404, "not_found", `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new PlaybookError(409, "conflict", message, details);
export const invalid = (message: string, details?: unknown) =>
  new PlaybookError(422, "unprocessable_entity", message, details);
export const badRequest = (message: string, details?: unknown) =>
  new PlaybookError(400, "bad_request", message, details);
