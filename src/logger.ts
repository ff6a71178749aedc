import pino, { type Logger } from "pino";

export type { Logger };

/** JSON logs; authorization headers, tokens and mail bodies never reach them. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  "headers.authorization",
  "authorization",
  "token",
  "*.token",
  "access_token",
  "*.access_token",
  "refresh_token",
  "*.refresh_token",
  "api_key",
  "*.api_key",
  "key",
  "text_body",
  "*.text_body",
  "html_body",
  "*.html_body",
  "body.text",
  "body.html",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "account-team" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
