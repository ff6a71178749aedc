import type { z } from "zod";
import { badRequest, invalid, notFound } from "../errors.js";
import { playbookAnalytics } from "./analytics.js";
import type { PlaybookDeps } from "./deps.js";
import { PlaybookEngine } from "./engine.js";
import { estimate, stepDurations } from "./estimate.js";
import { LIBRARY, libraryEntry } from "./library/index.js";
import { previewPlaybook } from "./preview.js";
import { type Definition, DefinitionSchema } from "./schema/definition.js";
import type { PlaybookStatus } from "./schema/statuses.js";
import type { Approval } from "./store/approvals.js";
import { definitionOf, type PlaybookRecord } from "./store/templates.js";
import { validateForPublish } from "./validate.js";
import { executionView } from "./views.js";

/**
 * The playbooks part of the runtime: templates (draft -> published, edited in place), the library, the
 * preview, analytics, and the execution engine. The API and the scheduler talk to this.
 */
export class Playbooks {
  readonly engine: PlaybookEngine;

  constructor(private readonly deps: PlaybookDeps) {
    this.engine = new PlaybookEngine(deps);
  }

  start(): Promise<void> {
    return this.engine.start();
  }

  close(graceMs?: number): Promise<void> {
    return this.engine.close(graceMs);
  }

  // --- templates -------------------------------------------------------------------------------------------

  parseDefinition(body: unknown): Definition {
    const parsed = DefinitionSchema.safeParse(body);
    if (!parsed.success) {
      const details = issues(parsed.error);
      throw badRequest(`${details[0]!.path}: ${details[0]!.message}`, details);
    }
    return parsed.data;
  }

  private checkPublishable(def: Definition) {
    const problems = validateForPublish(def, this.deps.agents, this.deps.config.SALES_FALLBACK_EMAIL ?? null);
    if (problems.length > 0)
      throw invalid(`playbook cannot be published: ${problems[0]!.path}: ${problems[0]!.message}`, {
        problems,
      });
  }

  async get(id: string): Promise<PlaybookRecord> {
    const p = await this.engine.templates.get(id);
    if (!p || p.status === "archived") throw notFound(`playbook ${id}`);
    return p;
  }

  list(status?: PlaybookStatus) {
    return this.engine.templates.list(status ? { status } : {});
  }

  async create(body: unknown, by: string | null, opts: { publish?: boolean } = {}) {
    const def = this.parseDefinition(body);
    if (opts.publish) this.checkPublishable(def);
    const created = await this.engine.templates.create(def, { created_by: by });
    return opts.publish
      ? (await this.engine.templates.setStatus(created.playbook_id, "published"))!
      : created;
  }

  /** Edit in place. Running executions keep their snapshot; a published playbook must stay publishable. */
  async update(id: string, body: unknown) {
    const current = await this.get(id);
    const def = this.parseDefinition(body);
    if (current.status === "published") this.checkPublishable(def);
    return (await this.engine.templates.update(id, def))!;
  }

  async publish(id: string) {
    const current = await this.get(id);
    this.checkPublishable(definitionOf(current));
    return (await this.engine.templates.setStatus(id, "published"))!;
  }

  /** Back to draft: its triggers stop firing; running executions carry on with their snapshot. */
  async unpublish(id: string) {
    await this.get(id);
    return (await this.engine.templates.setStatus(id, "draft"))!;
  }

  async archive(id: string) {
    await this.get(id);
    return (await this.engine.templates.setStatus(id, "archived"))!;
  }

  library() {
    return LIBRARY.map((e) => ({
      key: e.key,
      name: e.definition.name,
      description: e.definition.description,
      priority: e.definition.priority,
      triggers: e.definition.triggers,
      steps: e.definition.steps.map((s) => ({ id: s.id, name: s.name, type: s.type })),
      import_url: `/v1/playbooks/library/${e.key}/import`,
    }));
  }

  libraryDefinition(key: string): Definition {
    const entry = libraryEntry(key);
    if (!entry) throw notFound(`library playbook ${key}`);
    return entry.definition;
  }

  /** Import a library playbook as the team's own draft, optionally customised on the way in. */
  async importFromLibrary(key: string, overrides: Partial<Definition>, by: string | null) {
    const base = this.libraryDefinition(key);
    const def = this.parseDefinition({ ...base, ...overrides });
    return this.engine.templates.create(def, { library_key: key, created_by: by });
  }

  async preview(id: string, accountId: string, contactEmail: string | null) {
    const playbook = await this.get(id);
    const account = await this.deps.records.getAccount(accountId);
    if (!account) throw notFound(`account ${accountId}`);
    return previewPlaybook({
      definition: definitionOf(playbook),
      account,
      contact_email: contactEmail,
      now: this.deps.clock.now(),
      db: this.deps.store.db,
      queue: this.deps.queue,
      agents: this.deps.agents,
      sales_fallback_email: this.deps.config.SALES_FALLBACK_EMAIL ?? null,
    });
  }

  async analytics(id: string) {
    return playbookAnalytics(this.deps.store.db, this.deps.records, await this.get(id));
  }

  // --- executions ------------------------------------------------------------------------------------------

  /** The execution resource: each step's status, times and outputs, elapsed time and an estimate. */
  async execution(id: string) {
    const ex = await this.engine.get(id);
    const rows = await this.engine.steps.list(id);
    const history = ex.finished_at
      ? new Map<string, number>()
      : await stepDurations(this.deps.store.db, ex.playbook_id);
    const account = ex.finished_at ? null : await this.deps.records.getAccount(ex.account_id);
    const now = this.deps.clock.now();
    return executionView(ex, rows, estimate(ex, rows, history, account, now), now);
  }

  // --- approvals -------------------------------------------------------------------------------------------

  async approval(id: string): Promise<Approval> {
    const approval = await this.engine.approvals.get(id);
    if (!approval) throw notFound(`approval ${id}`);
    return approval;
  }
}

function issues(error: z.ZodError) {
  return error.issues.map((i) => ({
    path: ["body", ...i.path.map(String)].join("."),
    message: i.message,
  }));
}
