import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError } from "../errors.js";

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable_entity",
  429: "rate_limited",
};

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // The one place the service's errors become HTTP answers.
    if (err instanceof AppError) {
      return reply.status(err.httpStatus).send({
        error: {
          code: err.code,
          message: err.message,
          ...(err.details !== undefined ? { details: err.details } : {}),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        path: `${err.validationContext ?? "body"}${v.instancePath.replaceAll("/", ".")}`,
        message: v.message,
        ...(v.params && "keys" in v.params ? { keys: v.params.keys } : {}),
      }));
      const first = details[0];
      return reply.status(400).send({
        error: {
          code: "bad_request",
          message: first ? `${first.path}: ${first.message}` : "invalid request",
          details,
        },
      });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, "response did not match its schema");
      return reply.status(500).send({ error: { code: "internal", message: "internal error" } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      // Internals (stack, SQL, paths) stay in the log.
      req.log.error({ err }, "request failed");
      return reply.status(status).send({ error: { code: "internal", message: "internal error" } });
    }
    return reply.status(status).send({ error: { code: CODES[status] ?? "error", message: err.message } });
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: { code: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` } });
  });
}
