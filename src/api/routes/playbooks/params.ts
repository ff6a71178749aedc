import type { FastifyRequest } from "fastify";
import { z } from "zod";

/** What the playbook route modules share: who acts, and the `:id` parameter. */

/** Who acts: the CSM a key is bound to, else the key's name. */
export const actor = (req: FastifyRequest) => req.apiKey?.csm_id ?? req.apiKey?.name ?? "unknown";

export const idParam = z.object({ id: z.string().min(1) });
