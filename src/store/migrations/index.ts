import type { Migration, MigrationProvider } from "kysely";
import { m0001Foundation } from "./0001_foundation.js";
import { m0002HealthScan } from "./0002_health_scan.js";
import { m0003TaskQueue } from "./0003_task_queue.js";
import { m0004Notion } from "./0004_notion.js";
import { m0005Playbooks } from "./0005_playbooks.js";
import { m0006QbrDrafts } from "./0006_qbr_drafts.js";
import { m0007TamExpansion } from "./0007_tam_expansion.js";
import { m0008PlaybookFieldWatch } from "./0008_playbook_field_watch.js";
import { m0009CsmScanRows } from "./0009_csm_scan_rows.js";
import { m0010QueueScoreFloor } from "./0010_queue_score_floor.js";
import { m0011HealthScanWrites } from "./0011_health_scan_writes.js";
import { m0012AlertChannelRetry } from "./0012_alert_channel_retry.js";
import { m0013EscalationChannelRetry } from "./0013_escalation_channel_retry.js";
import { m0014NotionCreateSent } from "./0014_notion_create_sent.js";

/**
 * Versioned migrations, applied at boot in name order. Never edit a shipped migration: add a file
 * `NNNN_name.ts` here and one entry below. Kept in code (not loaded from disk) so tsx and dist/ agree.
 */
export const MIGRATIONS: Record<string, Migration> = {
  "0001_foundation": m0001Foundation,
  "0002_health_scan": m0002HealthScan,
  "0003_task_queue": m0003TaskQueue,
  "0004_notion": m0004Notion,
  "0005_playbooks": m0005Playbooks,
  "0006_qbr_drafts": m0006QbrDrafts,
  "0007_tam_expansion": m0007TamExpansion,
  "0008_playbook_field_watch": m0008PlaybookFieldWatch,
  "0009_csm_scan_rows": m0009CsmScanRows,
  "0010_queue_score_floor": m0010QueueScoreFloor,
  "0011_health_scan_writes": m0011HealthScanWrites,
  "0012_alert_channel_retry": m0012AlertChannelRetry,
  "0013_escalation_channel_retry": m0013EscalationChannelRetry,
  "0014_notion_create_sent": m0014NotionCreateSent,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
