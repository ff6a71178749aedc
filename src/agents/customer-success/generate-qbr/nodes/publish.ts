/**
 * The publish node: the QBR page in the records' QBRs data source (Account, Quarter, Health Score,
 * Status Draft, Trigger; the body appended by the adapter in batches of at most 100). One QBR per
 * account and period: an existing page is rewritten unless force_new.
 */

import type { BodyBlock, QbrRecord, RecordsPort } from "../../../../adapters/records/port.js";
import type { SideEffects } from "../../../../store/side-effects.js";
import type { AgentDeps } from "../../../deps.js";
import type { QbrFacts } from "../facts.js";
import { type QbrDraftStore, requireDraft } from "../store.js";
import { type GenerateQbrNode, type GenerateQbrResult, QBR_STEPS } from "../task.js";

/** The QBR page's name: one per account and period. */
export const qbrTitle = (accountName: string, period: string): string => `QBR - ${accountName} - ${period}`;

export interface PublishedQbr {
  qbr: QbrRecord;
  /** True when an existing page of the account and period was rewritten. */
  rewritten: boolean;
}

// Two runs for one account and period (the quarterly job and the contract check on the same morning)
// must not both find "no QBR yet" and create two pages: find-then-write is serialized per key.
const locks = new WeakMap<RecordsPort, Map<string, Promise<unknown>>>();

async function withLock<T>(records: RecordsPort, key: string, fn: () => Promise<T>): Promise<T> {
  let byKey = locks.get(records);
  if (!byKey) {
    byKey = new Map();
    locks.set(records, byKey);
  }
  const previous = byKey.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(fn);
  byKey.set(key, current);
  try {
    return await current;
  } finally {
    if (byKey.get(key) === current) byKey.delete(key);
  }
}

export interface PublishRequest {
  run_id: string;
  facts: QbrFacts;
  body: BodyBlock[];
  force_new: boolean;
}

export async function publishQbr(
  deps: { records: RecordsPort; effects: SideEffects },
  req: PublishRequest,
): Promise<PublishedQbr> {
  const { account, period } = req.facts;
  // Remembered per run: a re-run node reports what the first attempt did (rewritten or new) instead of
  // finding its own page and calling it a rewrite.
  const { result } = await deps.effects.once(`qbr-publish:${req.run_id}`, "qbr.publish", () =>
    withLock(deps.records, `${account.id}|${period.label}`, async () => {
      const existing = req.force_new ? null : await deps.records.findQbr(account.id, period.label);
      const qbr = await deps.records.writeQbr(
        {
          account_id: account.id,
          name: qbrTitle(account.name, period.label),
          quarter: period.label,
          health_score: req.facts.health.last_score,
          trigger: req.facts.trigger,
          body: req.body,
        },
        {
          idempotencyKey: `qbr:${account.id}:${period.label}:${req.run_id}`,
          ...(existing ? { replaceId: existing.id } : {}),
        },
      );
      return { qbr, rewritten: existing !== null && existing.id === qbr.id };
    }),
  );
  return result;
}

export function publish(deps: AgentDeps, store: QbrDraftStore): GenerateQbrNode {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.body === null) throw new Error("the QBR has no rendered body");
    const { qbr, rewritten } = await publishQbr(deps, {
      run_id: ctx.run_id,
      facts: row.facts,
      body: row.body,
      force_new: ctx.task.force_new === true,
    });
    await store.savePage(ctx.run_id, qbr.id, qbr.url, deps.clock.now());
    ctx.progress({ phase: "publish", done: 4, total: QBR_STEPS });
    const result = {
      qbr_id: qbr.id,
      url: qbr.url,
      status: qbr.status,
      health_score: qbr.health_score,
      rewritten,
      records: deps.records.kind,
    } satisfies Partial<GenerateQbrResult>;
    return { result, scratch: { rewritten } };
  };
}
