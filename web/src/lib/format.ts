/** How the console writes money, dates and counts: as people write them. */

const money = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const compactMoney = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  maximumFractionDigits: 1,
});

export const formatMoney = (n: number | null | undefined): string =>
  n === null || n === undefined ? "—" : money.format(n);
export const formatMoneyShort = (n: number | null | undefined): string =>
  n === null || n === undefined ? "—" : compactMoney.format(n);

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // A bare date (YYYY-MM-DD) is a calendar date, not an instant: show it as written, in UTC.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return d.toLocaleDateString("en-US", {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(dateOnly ? { timeZone: "UTC" } : {}),
  });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
}

/** "at_risk_recovery" -> "At risk recovery". */
export function humanize(slug: string): string {
  const s = slug.replaceAll("_", " ").trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "maya.chen@example.com" -> "Maya Chen". */
export function personName(email: string | null | undefined): string {
  if (!email) return "—";
  const words = (email.split("@")[0] ?? "").split(/[._-]+/).filter(Boolean);
  return words.length ? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(" ") : email;
}

export function formatPercent(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return `${n > 0 ? "+" : ""}${Math.round(n * 10) / 10}%`;
}

/** The browser's IANA time zone, for "due today". */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** YYYY-MM-DD of a Date in local time (date inputs). */
export function localIsoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "1 renewal", "2 renewals". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
