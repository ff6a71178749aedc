import { Card, DataTable, RagBadge } from "../../../components/ui";
import { formatDate, formatMoney, humanize } from "../../../lib/format";
import type { AccountHealth, DetailCustomer } from "../../../types/api";

/** Any context value as a person reads it: lists joined, records as "key: value", history as its latest points. */
export function contextValue(value: unknown, key = ""): string {
  if (value === null || value === undefined || value === "") return "Not recorded";
  if (typeof value === "number" && /(^|_)arr($|_)|amount|price/.test(key)) return formatMoney(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return String(Math.round(value * 100) / 100);
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}/.test(value) ? formatDate(value) : value;
  if (Array.isArray(value)) {
    if (value.length === 0) return "None";
    if (value.every((v) => typeof v === "object" && v !== null && "score" in v && "at" in v)) {
      return value
        .slice(-4)
        .map(
          (v) =>
            `${Math.round(Number((v as { score: number }).score))} (${formatDate((v as { at: string }).at)})`,
        )
        .join(" → ");
    }
    return value
      .map((v) => (typeof v === "object" && v !== null ? contextValue(v) : humanize(String(v))))
      .join(", ");
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o["subject"] === "string")
      return `${o["subject"]} (${o["priority"] ?? ""} ${o["status"] ?? ""})`.trim();
    return Object.entries(o)
      .map(
        ([k, v]) =>
          `${humanize(k)}: ${typeof v === "object" && v !== null ? contextValue(v) : contextValue(v)}`,
      )
      .join("; ");
  }
  return String(value);
}

/** The customer beside the call: health with its breakdown, churn risk, renewal, ARR, tier, tickets, the playbook's context fields. */
const TIERS: Record<string, string> = {
  vip: "VIP",
  high_value: "High value",
  standard: "Standard",
  low_value: "Low value",
};

export function CustomerContextPanel({
  customer,
  health,
  taskChurnRisk,
}: {
  customer: DetailCustomer;
  health: AccountHealth["health"] | undefined;
  /** The churn risk the task was scored with, when no scan has assessed the account yet. */
  taskChurnRisk: string | null;
}) {
  const churn = customer.churn_risk ?? taskChurnRisk;
  const score = health?.score ?? customer.csm_health_score ?? health?.history.at(-1)?.score ?? null;
  const rag = health?.rag ?? customer.csm_health_rag ?? health?.history.at(-1)?.rag ?? null;
  const breakdown = health?.breakdown?.breakdown ?? [];
  const context = Object.entries(customer.context).filter(
    ([k]) => k !== "recent_tickets" && k !== "score_breakdown",
  );
  return (
    <Card title="Customer context" className="customer-context">
      <h3 className="customer-name">{customer.name}</h3>
      <dl className="facts">
        <div>
          <dt>Health score</dt>
          <dd>
            {score === null ? "Not scored yet" : Math.round(score)} <RagBadge rag={rag} />
            {health && !health.score && score !== null ? (
              <span className="muted"> (last recorded)</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Churn risk</dt>
          <dd>{churn ? humanize(churn) : "Not assessed"}</dd>
        </div>
        <div>
          <dt>Renewal date</dt>
          <dd>{formatDate(customer.renewal_date)}</dd>
        </div>
        <div>
          <dt>ARR</dt>
          <dd>{formatMoney(customer.arr)}</dd>
        </div>
        <div>
          <dt>Tier</dt>
          <dd>{customer.tier ? (TIERS[customer.tier] ?? humanize(customer.tier)) : "—"}</dd>
        </div>
      </dl>
      {breakdown.length > 0 ? (
        <DataTable
          caption="Health score breakdown"
          rows={breakdown}
          rowKey={(s) => s.signal}
          columns={[
            { header: "Signal", cell: (s) => humanize(s.signal) },
            {
              header: "Points",
              numeric: true,
              cell: (s) => `${Math.round(s.points * 10) / 10} of ${s.max_points}`,
            },
          ]}
        />
      ) : (
        <p className="muted">No score breakdown yet: the next health scan records one.</p>
      )}
      <DataTable
        caption="Recent tickets"
        rows={customer.recent_tickets}
        rowKey={(t) => t.id}
        empty="No tickets."
        columns={[
          { header: "Subject", cell: (t) => t.subject },
          { header: "Priority", cell: (t) => t.priority },
          { header: "Status", cell: (t) => t.status },
          { header: "Opened", cell: (t) => formatDate(t.opened) },
        ]}
      />
      {context.length > 0 ? (
        <>
          <h3>For this call</h3>
          <dl className="facts context-fields">
            {context.map(([k, v]) => (
              <div key={k}>
                <dt>{humanize(k)}</dt>
                <dd>{contextValue(v, k)}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </Card>
  );
}
