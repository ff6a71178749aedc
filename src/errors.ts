/**
 * The service's one error vocabulary. Services, engines and stores throw these; the API maps them to
 * HTTP once (api/errors.ts), and every other caller (the scheduler, the CLI, the playbook engine calling
 * the queue) gets a typed error it can tell apart by `kind`, without knowing about HTTP.
 */

/** Each kind and the HTTP status it answers with. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid: 422,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;

/** The wire code a kind carries unless the thrower names a more precise one. */
const DEFAULT_CODE: Record<ErrorKind, string> = {
  bad_request: "bad_request",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  invalid: "unprocessable_entity",
  rate_limited: "rate_limited",
  unavailable: "unavailable",
};

export interface ErrorOptions {
  /** A stable, more precise code than the kind's own (e.g. `quality_gates_failed`). */
  code?: string;
  /** Machine-readable detail for the caller: the fields at fault, the allowed actions, ... */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  override name = "AppError";
  readonly code: string;
  readonly details: unknown;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    opts: ErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code ?? DEFAULT_CODE[kind];
    this.details = opts.details;
  }

  get httpStatus(): number {
    return ERROR_STATUS[this.kind];
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/** `what` names the missing thing: notFound("task 42") -> "task 42 not found". */
export const notFound = (what: string, opts?: ErrorOptions) =>
  new AppError("not_found", `${what} not found`, opts);
export const conflict = (message: string, details?: unknown, code?: string) =>
  new AppError("conflict", message, { details, code });
/** A well-formed request that breaks a rule (422). */
export const invalid = (message: string, details?: unknown, code?: string) =>
  new AppError("invalid", message, { details, code });
/** A malformed request (400). */
export const badRequest = (message: string, details?: unknown, code?: string) =>
  new AppError("bad_request", message, { details, code });
export const forbidden = (message: string, details?: unknown) =>
  new AppError("forbidden", message, { details });
export const unauthorized = (message: string) => new AppError("unauthorized", message);
export const unavailable = (message: string, details?: unknown) =>
  new AppError("unavailable", message, { details });
export const rateLimited = (message: string) => new AppError("rate_limited", message);

/** The message of anything thrown, for logs, run results and events. */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
