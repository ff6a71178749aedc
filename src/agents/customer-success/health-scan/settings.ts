/**
 * How the health scan walks a book: page sizes, write grouping and how long its working rows stay.
 * Measured on the 10,000-account bench (bench/health-scan.ts).
 */

/** Scan rows of finished runs are kept this long (the CLI and operators read a run's rows after it). */
export const SCAN_RESULTS_RETENTION_DAYS = 14;

/**
 * Accounts per page when a scan walks its rows: bounds memory whatever the book's size. Small on purpose:
 * a page's objects then die young (V8's scavenger frees them) instead of surviving into the old
 * generation; on the 10,000-account bench pages of 500 peaked at ~320 MB RSS, pages of 100 at ~255 MB,
 * for the same time. It is also Notion's largest page.
 */
export const SCAN_PAGE_SIZE = 100;

/**
 * Accounts per write transaction of a scan's own rows (inputs, outcomes, health history): the pages of
 * SCAN_PAGE_SIZE are read, scored and reported one by one, and their rows stored a group of pages at a
 * time. Each commit rewrites the B-tree pages its rows touch (health history's per-account index spreads
 * a page of accounts over many of them) and WAL checkpoints follow the volume written, so ten pages per
 * commit write the scan's rows about half as many times as one. Held as row tuples, a group is a couple
 * of megabytes at most. Pages are grouped whole and in account-id order, so a re-run still continues
 * after the last stored outcome.
 */
export const SCAN_WRITE_GROUP = 1000;

/**
 * Accounts per page of records writes when the records store writes a whole page in one transaction
 * (the embedded one): each page is one commit and one batch of `account.health_scored` events, and on a
 * large book fewer, larger commits rewrite the event log's indexes fewer times. A store that writes
 * account by account (Notion, 3 requests a second) keeps SCAN_PAGE_SIZE, so progress and events still
 * come every half minute or so.
 */
export const BATCHED_WRITE_PAGE_SIZE = 2000;
