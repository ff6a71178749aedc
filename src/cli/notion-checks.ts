/**
 * What `account-team doctor` checks when Notion is the system of record: each configured database
 * resolves to a data source with the properties the Notion adapter reads and writes (DATA_SOURCES), at
 * the expected types and relations (each problem on its own line), and the outbox of writes Notion has
 * not yet taken.
 */
import { APIResponseError } from "@notionhq/client";
import { notionApi } from "../adapters/real.js";
import type { RetryPolicy } from "../adapters/records/notion/client.js";
import { type ResolvedDataSource, resolveDataSource } from "../adapters/records/notion/data-sources.js";
import { classifyNotionError, NotionConfigError } from "../adapters/records/notion/errors.js";
import { DATA_SOURCES, type DataSourceKey, relationProblems } from "../adapters/records/notion/properties.js";
import { NotionRecords } from "../adapters/records/notion/records.js";
import type { Runtime } from "../runtime.js";
import type { CheckResult } from "./doctor-check.js";

/** doctor answers in seconds: a short budget instead of the scan's (which rides out a 30 s outage). */
const DOCTOR_RETRY: RetryPolicy = {
  retries: 2,
  minTimeoutMs: 300,
  maxTimeoutMs: 1_000,
  maxRetryTimeMs: 5_000,
};
/** Refused writes listed one per line, at most. */
const REFUSED_SHOWN = 5;

const KEYS = Object.keys(DATA_SOURCES) as DataSourceKey[];

function why(err: unknown): string {
  if (err instanceof NotionConfigError) return err.message;
  if (APIResponseError.isAPIResponseError(err) && err.code === "unauthorized") {
    return "Notion refused NOTION_TOKEN (unauthorized)";
  }
  const f = classifyNotionError(err);
  return f.status
    ? `Notion answered ${f.status} ${f.code ?? ""}: ${f.message}`
    : `Notion unreachable: ${f.message}`;
}

export async function notionSchemaChecks(runtime: Runtime): Promise<CheckResult[]> {
  const records = runtime.records;
  if (!(records instanceof NotionRecords)) return [];
  const api = notionApi(runtime.config, undefined, { readRetry: DOCTOR_RETRY });
  const resolved: Partial<Record<DataSourceKey, ResolvedDataSource>> = {};
  const failures: Partial<Record<DataSourceKey, string>> = {};
  for (const key of KEYS) {
    const id = records.databases[key];
    if (!id) {
      failures[key] =
        `${DATA_SOURCES[key].env} is not set: the agents read and write ${DATA_SOURCES[key].title} ` +
        "(create the databases with `account-team notion-setup --parent PAGE_ID`)";
      continue;
    }
    try {
      resolved[key] = await resolveDataSource(api, key, id);
    } catch (err) {
      failures[key] = why(err);
      // A bad token or no network fails every data source alike: one line says it.
      if (!(err instanceof NotionConfigError)) break;
    }
  }
  const targets = Object.fromEntries(
    Object.entries(resolved).map(([key, r]) => [key, r.data_source_id]),
  ) as Partial<Record<DataSourceKey, string>>;
  const out: CheckResult[] = [];
  for (const key of KEYS) {
    const name = `notion ${DATA_SOURCES[key].title}`;
    const failure = failures[key];
    const r = resolved[key];
    if (failure) out.push({ name, ok: false, detail: failure });
    if (!r) continue;
    const problems = [...r.problems, ...relationProblems(key, r.relations, targets)];
    if (problems.length === 0) {
      out.push({
        name,
        ok: true,
        detail:
          `${DATA_SOURCES[key].env} -> data source ${r.data_source_id} "${r.title}", ` +
          `${Object.keys(DATA_SOURCES[key].properties).length} properties checked`,
      });
    }
    for (const p of problems) out.push({ name, ok: false, detail: `${DATA_SOURCES[key].env}: ${p}` });
  }
  return out;
}

export async function notionOutboxChecks(runtime: Runtime): Promise<CheckResult[]> {
  const records = runtime.records;
  if (!(records instanceof NotionRecords)) return [];
  const name = "notion outbox";
  const b = await records.backlog();
  const pending =
    b.pending === 0
      ? "no writes waiting"
      : `${b.pending} writes waiting for Notion since ${b.oldest_pending_at} (the running service replays them)`;
  const out: CheckResult[] = [
    { name, ok: b.failed === 0, detail: `${pending}; ${b.failed} refused by Notion` },
  ];
  if (b.failed > 0) {
    for (const e of await records.outbox.list({ state: "failed", limit: REFUSED_SHOWN })) {
      const target = "target" in e.write ? e.write.target : `new ${e.write.kind} page`;
      out.push({
        name,
        ok: false,
        detail: `refused ${e.write.op} of ${target} (key ${e.write.key}, queued ${e.created_at}): ${e.last_error}`,
      });
    }
    if (b.failed > REFUSED_SHOWN) {
      out.push({ name, ok: false, detail: `... and ${b.failed - REFUSED_SHOWN} more refused writes` });
    }
  }
  return out;
}
