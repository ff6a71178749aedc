import { z } from "zod";
import { ACCOUNT_STATUSES, type Account } from "../../domain/types.js";
import { notFound } from "../../errors.js";
import { decodeHealthDetail } from "../../store/health-detail.js";
import { requireScope } from "../auth.js";
import type { AppDeps, RouteModule } from "../route.js";

const summary = (a: Account) => ({
  id: a.id,
  name: a.name,
  status: a.status,
  tier: a.tier,
  arr: a.arr,
  csm_owner: a.csm_owner,
  renewal_date: a.renewal_date,
  csm_health_score: a.csm_health_score,
  csm_health_rag: a.csm_health_rag,
  churn_risk: a.churn_risk,
  csm_last_scan: a.csm_last_scan,
  health_score: a.health_score,
  health_status: a.health_status,
});

export const accountRoutes: RouteModule<Pick<AppDeps, "records" | "accountReads" | "clock">> = (
  app,
  deps,
) => {
  app.get(
    "/v1/accounts",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["accounts"],
        summary: "Accounts with their current health, paginated by id",
        querystring: z.strictObject({
          status: z.enum(ACCOUNT_STATUSES).optional(),
          cursor: z.string().optional().describe("next_cursor of the previous page"),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (req) => {
      const { limit, cursor, status } = req.query;
      if (deps.records.kind !== "local") {
        // With Notion as the system of record, read through the port (it paginates by cursor itself).
        const page: Account[] = [];
        for await (const batch of deps.records.iterateAccounts({
          ...(status ? { status: [status] } : {}),
        })) {
          for (const a of batch) if (!cursor || a.id > cursor) page.push(a);
          if (page.length > limit) break;
        }
        page.sort((a, b) => (a.id < b.id ? -1 : 1));
        const items = page.slice(0, limit);
        return {
          accounts: items.map(summary),
          next_cursor: page.length > limit ? items[items.length - 1]!.id : null,
        };
      }
      const { accounts, more } = await deps.accountReads.page({ status, after: cursor, limit });
      return {
        accounts: accounts.map(summary),
        next_cursor: more ? accounts[accounts.length - 1]!.id : null,
      };
    },
  );

  app.get(
    "/v1/accounts/:id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["accounts"],
        summary: "One account: its signals, health with breakdown and history, tickets",
        params: z.object({ id: z.string() }),
        querystring: z.strictObject({ history_days: z.coerce.number().int().min(1).max(3650).default(180) }),
      },
    },
    async (req) => {
      const account = await deps.records.getAccount(req.params.id);
      if (!account) throw notFound(`account ${req.params.id}`);
      const since = new Date(deps.clock.now().getTime() - req.query.history_days * 86_400_000).toISOString();
      const history = await deps.accountReads.healthHistory(account.id, since);
      const latest = [...history].reverse().find((h) => h.detail);
      const tickets = await deps.records.listTickets(account.id);
      return {
        account,
        health: {
          score: account.csm_health_score,
          rag: account.csm_health_rag,
          churn_risk: account.churn_risk,
          last_scan: account.csm_last_scan,
          ...(decodeHealthDetail(latest?.detail) ?? { breakdown: null }),
          history: history.map((h) => ({ at: h.at, score: h.score, rag: h.rag, run_id: h.run_id })),
        },
        tam: {
          score: account.health_score,
          status: account.health_status,
          last_scan: account.last_health_scan,
        },
        tickets,
      };
    },
  );
};
