/**
 * A loopback Notion API (version 2025-09-03) for the calls the adapter makes: databases and their data
 * sources, data source queries with filters, sorts and cursor pagination, pages, block children. It
 * answers like Notion does, error JSON included: validation errors for rich text over 2,000 characters,
 * more than 100 children, nesting deeper than 2 and properties of the wrong type; 429 with Retry-After
 * above a configurable rate (and on a configurable share of calls); injectable 5xx/529 windows.
 */
import { randomUUID } from "node:crypto";
import {
  type EmulatorRequest,
  type EmulatorResponse,
  type LoopbackServer,
  prng,
  startLoopback,
} from "./http.js";

type Json = Record<string, unknown>;

export interface NotionEmulatorOptions {
  token?: string;
  /** Notion's own limiter: a token bucket of `burst` refilled at `ratePerSec`. null: no limit. */
  rateLimit?: { ratePerSec: number; burst: number } | null;
  /** Answer 429 to this share of calls regardless of rate (seeded, repeatable). */
  random429Rate?: number;
  /** Retry-After sent with 429 and 529, in seconds (Notion sends whole seconds; tests may use fractions). */
  retryAfterSeconds?: number;
  seed?: number;
}

export interface RequestLogEntry {
  /** Milliseconds since the emulator started (monotonic). */
  at: number;
  method: string;
  path: string;
  status: number;
}

interface PropSchema {
  id: string;
  name: string;
  type: string;
  config: Json;
}

interface DataSource {
  id: string;
  database_id: string;
  title: string;
  properties: Map<string, PropSchema>;
  created_time: string;
}

interface Database {
  id: string;
  title: string;
  parent: Json;
  data_sources: string[];
  created_time: string;
}

interface Page {
  id: string;
  seq: number;
  parent: Json;
  data_source_id: string | null;
  properties: Record<string, Json>;
  created_time: string;
  last_edited_time: string;
  in_trash: boolean;
}

interface Block {
  id: string;
  seq: number;
  parent_id: string;
  type: string;
  content: Json;
  created_time: string;
  last_edited_time: string;
  in_trash: boolean;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const validation = (message: string) => new ApiError(400, "validation_error", message);

const TEXT_MAX = 2000;
const ARRAY_MAX = 100;
const BLOCKS_MAX = 1000;
const COLORS = ["default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"];
const TEXT_BLOCKS = new Set([
  "paragraph",
  "heading_1",
  "heading_2",
  "heading_3",
  "bulleted_list_item",
  "numbered_list_item",
  "quote",
  "to_do",
  "toggle",
  "callout",
]);
/** Block types that may carry children in a request. */
const PARENT_BLOCKS = new Set([
  "paragraph",
  "bulleted_list_item",
  "numbered_list_item",
  "quote",
  "to_do",
  "toggle",
  "callout",
  "table",
]);

const normId = (id: string): string => {
  const hex = id.replace(/-/g, "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return id;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const user = { object: "user", id: "6e8c1a2b-0000-4000-8000-00000000b07a" };

function richTextResponse(items: unknown): Json[] {
  return ((items as Json[] | undefined) ?? []).map((item) => {
    const text = (item.text as { content?: string; link?: unknown } | undefined) ?? { content: "" };
    return {
      type: "text",
      text: { content: text.content ?? "", link: text.link ?? null },
      annotations: {
        bold: false,
        italic: false,
        strikethrough: false,
        underline: false,
        code: false,
        color: "default",
      },
      plain_text: text.content ?? "",
      href: null,
    };
  });
}

/** The text of a property value, as Notion shows it when the property becomes text. */
function plainTextOf(value: Json): string {
  const v = value[String(value.type)];
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) {
    return v
      .map((x: Json) => String(x.plain_text ?? x.name ?? x.id ?? ""))
      .join(value.type === "multi_select" ? ", " : "");
  }
  if (typeof v === "object") return String((v as Json).name ?? (v as Json).start ?? "");
  return String(v);
}

/** Notion answers datetimes with an explicit offset: "2026-02-27T01:01:00.000+00:00". */
function normalizeDateStart(start: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(start)) return start;
  return new Date(start).toISOString().replace("Z", "+00:00");
}

export class NotionEmulator {
  readonly requests: RequestLogEntry[] = [];
  token: string;
  rateLimit: { ratePerSec: number; burst: number } | null;
  random429Rate: number;
  retryAfterSeconds: number;
  private server: LoopbackServer | null = null;
  private readonly rand: () => number;
  private readonly t0 = performance.now();
  private bucket = { tokens: 0, last: 0 };
  private outages: Array<{ from: number; to: number; status: number }> = [];
  private failQueue: number[] = [];
  /** Requests performed and then answered with an error (the answer is lost, the change is made). */
  private lostAnswers: Array<{ method: string; pathPrefix: string; status: number }> = [];
  private seq = 0;
  readonly databases = new Map<string, Database>();
  readonly dataSources = new Map<string, DataSource>();
  readonly pages = new Map<string, Page>();
  readonly blocks = new Map<string, Block>();
  /** Ordered child ids of a page or block. */
  private readonly children = new Map<string, string[]>();

  private constructor(opts: NotionEmulatorOptions) {
    this.token = opts.token ?? "secret_emulator_token";
    this.rateLimit = opts.rateLimit === undefined ? null : opts.rateLimit;
    this.random429Rate = opts.random429Rate ?? 0;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 1;
    this.rand = prng(opts.seed ?? 7);
    this.bucket.tokens = this.rateLimit?.burst ?? 0;
  }

  static async start(opts: NotionEmulatorOptions = {}): Promise<NotionEmulator> {
    const emu = new NotionEmulator(opts);
    emu.server = await startLoopback((req) => emu.handle(req));
    return emu;
  }

  get url(): string {
    return this.server!.url;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Milliseconds since start, the clock of the request log and of outage windows. */
  now(): number {
    return performance.now() - this.t0;
  }

  /** Answer `status` (503, 529, 500, ...) to every call for the next `durationMs`. */
  outage(status: number, durationMs: number, startInMs = 0): void {
    const from = this.now() + startInMs;
    this.outages.push({ from, to: from + durationMs, status });
  }

  /** End every outage window and forget queued failures. */
  clearFaults(): void {
    this.outages = [];
    this.failQueue = [];
    this.lostAnswers = [];
  }

  /** Answer `status` to the next `count` calls. */
  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failQueue.push(status);
  }

  /**
   * Perform the next `count` requests matching `method` and `pathPrefix` (e.g. "POST", "/v1/pages"),
   * then answer them with `status`, as when a gateway times out after Notion made the change.
   */
  loseAnswers(count: number, status: number, method: string, pathPrefix: string): void {
    for (let i = 0; i < count; i++) this.lostAnswers.push({ method, pathPrefix, status });
  }

  /** Requests counted by path pattern (e.g. "/v1/pages"). */
  count(method: string, pathPrefix: string): number {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
  }

  // ---- seeding and inspection (in-process, bypassing HTTP and limits) ----------------------------

  /** A plain page to hold databases (what notion-setup's --parent points at). */
  addParentPage(title = "Account Team"): string {
    const page = this.insertPage({ type: "workspace", workspace: true }, null, {
      title: { id: "title", type: "title", title: richTextResponse([{ text: { content: title } }]) },
    });
    return page.id;
  }

  /** A database with one data source, the properties given as Notion's property configuration request. */
  addDatabase(title: string, properties: Record<string, Json>, parentPageId?: string) {
    return this.createDatabase({
      parent: parentPageId
        ? { type: "page_id", page_id: parentPageId }
        : { type: "workspace", workspace: true },
      title: [{ type: "text", text: { content: title } }],
      initial_data_source: { properties },
    });
  }

  /** A page in a data source, properties in request format, validated as an API create would be. */
  addPage(dataSourceId: string, properties: Record<string, Json>): string {
    const ds = this.dataSource(dataSourceId);
    const page = this.insertPage(
      { type: "data_source_id", data_source_id: ds.id, database_id: ds.database_id },
      ds,
      this.propertyValues(ds, properties, "body.properties"),
    );
    return page.id;
  }

  /**
   * What a person does in Notion's UI: change a property's type (`null` deletes the property). Existing
   * values convert as Notion converts them: to their text for rich_text, otherwise to empty.
   */
  editProperty(dataSourceId: string, name: string, type: string | null): void {
    const ds = this.dataSource(dataSourceId);
    const schema = ds.properties.get(name);
    if (!schema) throw new Error(`no property ${name}`);
    if (type === null) ds.properties.delete(name);
    else {
      schema.type = type;
      schema.config =
        type === "select" || type === "multi_select" || type === "status" ? { options: [] } : {};
    }
    for (const page of this.pages.values()) {
      if (page.data_source_id !== ds.id) continue;
      const old = page.properties[name];
      if (type === null) {
        delete page.properties[name];
        continue;
      }
      const text = old ? plainTextOf(old) : "";
      page.properties[name] =
        type === "rich_text"
          ? { id: schema.id, type, rich_text: text ? richTextResponse([{ text: { content: text } }]) : [] }
          : { id: schema.id, type, ...this.emptyValue(type) };
    }
  }

  /** Point a relation property at another data source (a person re-linked it in the UI). */
  relinkRelation(dataSourceId: string, name: string, targetDataSourceId: string): void {
    const schema = this.dataSource(dataSourceId).properties.get(name);
    if (schema?.type !== "relation") throw new Error(`no relation ${name}`);
    const target = this.dataSource(targetDataSourceId);
    schema.config = { ...schema.config, data_source_id: target.id, database_id: target.database_id };
  }

  pageJson(id: string): Json {
    const page = this.pages.get(normId(id));
    if (!page) throw new Error(`no page ${id}`);
    return this.pageResponse(page);
  }

  pagesOf(dataSourceId: string): Json[] {
    return [...this.pages.values()]
      .filter((p) => p.data_source_id === dataSourceId && !p.in_trash)
      .sort((a, b) => a.seq - b.seq)
      .map((p) => this.pageResponse(p));
  }

  /** Live children of a page or block, as block JSON. */
  childrenOf(id: string): Json[] {
    return (this.children.get(normId(id)) ?? [])
      .map((cid) => this.blocks.get(cid)!)
      .filter((b) => !b.in_trash)
      .map((b) => this.blockResponse(b));
  }

  // ---- HTTP ---------------------------------------------------------------------------------------

  private async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    const path = req.url.pathname;
    const entry: RequestLogEntry = { at: this.now(), method: req.method, path, status: 0 };
    this.requests.push(entry);
    const out = this.respond(req);
    entry.status = out.status;
    return out;
  }

  private respond(req: EmulatorRequest): EmulatorResponse {
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        throw new ApiError(401, "unauthorized", "API token is invalid.");
      }
      if (!req.headers["notion-version"]) {
        throw new ApiError(
          400,
          "missing_version",
          "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.",
        );
      }
      this.injectFaults();
      let body: Json = {};
      if (req.body) {
        try {
          body = JSON.parse(req.body) as Json;
        } catch {
          throw new ApiError(400, "invalid_json", "Error parsing JSON body.");
        }
      }
      const answer = {
        status: 200,
        body: { ...this.route(req.method, req.url, body), request_id: randomUUID() },
      };
      const lost = this.lostAnswers.findIndex(
        (l) => l.method === req.method && req.url.pathname.startsWith(l.pathPrefix),
      );
      if (lost >= 0) {
        const { status } = this.lostAnswers.splice(lost, 1)[0]!;
        throw this.faultError(status, { "retry-after": String(this.retryAfterSeconds) });
      }
      return answer;
    } catch (err) {
      if (err instanceof ApiError) {
        return {
          status: err.status,
          headers: err.headers,
          body: {
            object: "error",
            status: err.status,
            code: err.code,
            message: err.message,
            request_id: randomUUID(),
          },
        };
      }
      throw err;
    }
  }

  private injectFaults(): void {
    const now = this.now();
    const retryAfter = { "retry-after": String(this.retryAfterSeconds) };
    const forced = this.failQueue.shift() ?? this.outages.find((o) => now >= o.from && now < o.to)?.status;
    if (forced !== undefined) throw this.faultError(forced, retryAfter);
    if (this.rateLimit) {
      const elapsed = (now - this.bucket.last) / 1000;
      this.bucket.tokens = Math.min(
        this.rateLimit.burst,
        this.bucket.tokens + elapsed * this.rateLimit.ratePerSec,
      );
      this.bucket.last = now;
      if (this.bucket.tokens < 1) throw this.faultError(429, retryAfter);
      this.bucket.tokens -= 1;
    }
    if (this.random429Rate > 0 && this.rand() < this.random429Rate) throw this.faultError(429, retryAfter);
  }

  private faultError(status: number, retryAfter: Record<string, string>): ApiError {
    switch (status) {
      case 429:
        return new ApiError(
          429,
          "rate_limited",
          "You have been rate limited. Please try again in a few minutes.",
          retryAfter,
        );
      case 529:
        return new ApiError(
          529,
          "service_overload",
          "Notion is overloaded. Please try again later.",
          retryAfter,
        );
      case 503:
        return new ApiError(503, "service_unavailable", "Notion is unavailable, please try again later.");
      case 504:
        return new ApiError(
          504,
          "gateway_timeout",
          "Notion timed out while attempting to complete this request.",
        );
      case 409:
        return new ApiError(409, "conflict_error", "Conflict occurred while saving. Please try again.");
      default:
        return new ApiError(status, "internal_server_error", "Unexpected error occurred.");
    }
  }

  private route(method: string, url: URL, body: Json): Json {
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "v1") throw new ApiError(400, "invalid_request_url", "Invalid request URL.");
    const [, resource, rawId, sub] = parts;
    const id = rawId ? normId(decodeURIComponent(rawId)) : undefined;
    switch (`${method} ${resource}${id ? "/:id" : ""}${sub ? `/${sub}` : ""}`) {
      case "GET users/:id":
        if (rawId !== "me") break;
        return {
          ...user,
          type: "bot",
          name: "account-team",
          bot: { owner: { type: "workspace", workspace: true } },
        };
      case "POST databases":
        return this.databaseResponse(this.createDatabase(body).database);
      case "GET databases/:id":
        return this.databaseResponse(this.database(id!));
      case "GET data_sources/:id":
        return this.dataSourceResponse(this.dataSource(id!));
      case "POST data_sources/:id/query":
        return this.query(this.dataSource(id!), body);
      case "POST pages":
        return this.pageResponse(this.createPage(body));
      case "GET pages/:id":
        return this.pageResponse(this.page(id!));
      case "PATCH pages/:id":
        return this.pageResponse(this.updatePage(this.page(id!), body));
      case "GET blocks/:id":
        return this.blockResponse(this.block(id!));
      case "GET blocks/:id/children":
        return this.listChildren(id!, url);
      case "PATCH blocks/:id/children":
        return this.append(id!, body);
      case "DELETE blocks/:id":
        return this.deleteBlock(id!);
    }
    throw new ApiError(400, "invalid_request_url", "Invalid request URL.");
  }

  // ---- objects ------------------------------------------------------------------------------------

  private stamp(): string {
    return new Date().toISOString();
  }

  private database(id: string): Database {
    const db = this.databases.get(id);
    if (!db) throw this.notFound("database", id);
    return db;
  }

  private dataSource(id: string): DataSource {
    const ds = this.dataSources.get(normId(id));
    if (!ds) throw this.notFound("data_source", id);
    return ds;
  }

  private page(id: string): Page {
    const page = this.pages.get(id);
    if (!page) throw this.notFound("page", id);
    return page;
  }

  private block(id: string): Block {
    const block = this.blocks.get(id);
    if (!block) throw this.notFound("block", id);
    return block;
  }

  private notFound(kind: string, id: string): ApiError {
    return new ApiError(
      404,
      "object_not_found",
      `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
    );
  }

  private createDatabase(body: Json) {
    const parent = body.parent as Json | undefined;
    if (!parent || (parent.type !== "page_id" && parent.type !== "workspace")) {
      throw validation("body failed validation: body.parent should be defined, instead was `undefined`.");
    }
    if (parent.type === "page_id") this.page(normId(String(parent.page_id)));
    const now = this.stamp();
    const database: Database = {
      id: randomUUID(),
      title: ((body.title as Json[] | undefined) ?? []).map((t) => (t.text as Json)?.content ?? "").join(""),
      parent,
      data_sources: [],
      created_time: now,
    };
    const ds: DataSource = {
      id: randomUUID(),
      database_id: database.id,
      title: database.title,
      properties: new Map(),
      created_time: now,
    };
    const props = ((body.initial_data_source as Json | undefined)?.properties as Record<string, Json>) ?? {};
    if (!Object.values(props).some((p) => "title" in p)) props.Name = { title: {} };
    for (const [name, config] of Object.entries(props))
      ds.properties.set(name, this.propertySchema(name, config));
    const titles = [...ds.properties.values()].filter((p) => p.type === "title");
    if (titles.length !== 1) throw validation("A data source must have exactly one title property.");
    database.data_sources.push(ds.id);
    this.databases.set(database.id, database);
    this.dataSources.set(ds.id, ds);
    if (parent.type === "page_id") {
      this.insertBlock(
        normId(String(parent.page_id)),
        "child_database",
        { title: database.title },
        database.id,
      );
    }
    return { database, data_source: ds, database_id: database.id, data_source_id: ds.id };
  }

  private propertySchema(name: string, config: Json): PropSchema {
    const type = (config.type as string | undefined) ?? Object.keys(config).find((k) => k !== "description");
    if (!type)
      throw validation(
        `body failed validation: body.initial_data_source.properties.${name} should be defined.`,
      );
    const inner = (config[type] as Json | undefined) ?? {};
    let cfg: Json = inner;
    if (type === "select" || type === "multi_select" || type === "status") {
      cfg = {
        options: ((inner.options as Json[] | undefined) ?? []).map((o, i) => ({
          id: randomUUID(),
          name: o.name,
          color: o.color ?? COLORS[i % COLORS.length],
          description: null,
        })),
      };
    }
    if (type === "relation") {
      const target = this.dataSource(String(inner.data_source_id));
      cfg = {
        data_source_id: target.id,
        database_id: target.database_id,
        type: "single_property",
        single_property: {},
      };
    }
    return { id: type === "title" ? "title" : randomUUID().slice(0, 4), name, type, config: cfg };
  }

  private insertPage(parent: Json, ds: DataSource | null, properties: Record<string, Json>): Page {
    const now = this.stamp();
    const page: Page = {
      id: randomUUID(),
      seq: ++this.seq,
      parent,
      data_source_id: ds?.id ?? null,
      properties,
      created_time: now,
      last_edited_time: now,
      in_trash: false,
    };
    this.pages.set(page.id, page);
    return page;
  }

  private createPage(body: Json): Page {
    const parent = body.parent as Json | undefined;
    if (!parent)
      throw validation("body failed validation: body.parent should be defined, instead was `undefined`.");
    const children = body.children as Json[] | undefined;
    if (children !== undefined) this.validateChildren(children, "body.children", 1);
    let page: Page;
    if (parent.data_source_id || parent.database_id) {
      let ds: DataSource;
      if (parent.data_source_id) ds = this.dataSource(String(parent.data_source_id));
      else {
        const db = this.database(normId(String(parent.database_id)));
        if (db.data_sources.length !== 1) {
          throw validation("Databases with multiple data sources require parent.data_source_id.");
        }
        ds = this.dataSource(db.data_sources[0]!);
      }
      const props = this.propertyValues(
        ds,
        (body.properties as Record<string, Json>) ?? {},
        "body.properties",
      );
      page = this.insertPage(
        { type: "data_source_id", data_source_id: ds.id, database_id: ds.database_id },
        ds,
        props,
      );
    } else if (parent.page_id) {
      const parentId = normId(String(parent.page_id));
      this.page(parentId);
      const titleProp = ((body.properties as Json | undefined)?.title as Json | undefined) ?? { title: [] };
      const items = (titleProp.title as Json[]) ?? [];
      this.validateRichText(items, "body.properties.title.title");
      page = this.insertPage({ type: "page_id", page_id: parentId }, null, {
        title: { id: "title", type: "title", title: richTextResponse(items) },
      });
      this.insertBlock(parentId, "child_page", { title: this.titleOf(page) }, page.id);
    } else {
      throw validation(
        "body failed validation: body.parent.page_id should be defined, instead was `undefined`.",
      );
    }
    if (children) for (const c of children) this.insertTree(page.id, c);
    return page;
  }

  private titleOf(page: Page): string {
    const title = Object.values(page.properties).find((p) => p.type === "title");
    return ((title?.title as Json[] | undefined) ?? []).map((t) => t.plain_text).join("");
  }

  private updatePage(page: Page, body: Json): Page {
    if (page.in_trash && body.in_trash !== false) {
      throw validation("Can't edit page that is archived. You must unarchive the page before editing.");
    }
    if (body.properties) {
      if (page.data_source_id) {
        const ds = this.dataSource(page.data_source_id);
        Object.assign(
          page.properties,
          this.propertyValues(ds, body.properties as Record<string, Json>, "body.properties", false),
        );
      } else {
        const t = (body.properties as Json).title as Json | undefined;
        if (t) {
          this.validateRichText((t.title as Json[]) ?? [], "body.properties.title.title");
          page.properties.title = { id: "title", type: "title", title: richTextResponse(t.title) };
          const block = this.blocks.get(page.id);
          if (block) block.content = { title: this.titleOf(page) };
        }
      }
    }
    if (typeof body.in_trash === "boolean") page.in_trash = body.in_trash;
    if (typeof body.archived === "boolean") page.in_trash = body.archived;
    page.last_edited_time = this.stamp();
    return page;
  }

  /** Property values in request format -> stored (response) format, validated against the schema. */
  private propertyValues(
    ds: DataSource,
    input: Record<string, Json>,
    at: string,
    fillMissing = true,
  ): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [name, value] of Object.entries(input)) {
      const schema = ds.properties.get(name) ?? [...ds.properties.values()].find((p) => p.id === name);
      if (!schema) throw validation(`${name} is not a property that exists.`);
      const given =
        (value.type as string | undefined) ??
        Object.keys(value).find((k) =>
          [
            "title",
            "rich_text",
            "number",
            "select",
            "multi_select",
            "status",
            "date",
            "email",
            "relation",
            "checkbox",
            "url",
            "people",
            "phone_number",
          ].includes(k),
        );
      if (given !== schema.type) throw validation(`${schema.name} is expected to be ${schema.type}.`);
      out[schema.name] = {
        id: schema.id,
        type: schema.type,
        ...this.propertyValue(schema, value[given], `${at}.${name}`),
      };
    }
    // Pages carry every property of their data source, empty when never set.
    if (!fillMissing) return out;
    for (const schema of ds.properties.values()) {
      if (!out[schema.name] && !(input[schema.name] || input[schema.id])) {
        out[schema.name] = { id: schema.id, type: schema.type, ...this.emptyValue(schema.type) };
      }
    }
    return out;
  }

  private emptyValue(type: string): Json {
    switch (type) {
      case "title":
      case "rich_text":
      case "multi_select":
      case "people":
        return { [type]: [] };
      case "relation":
        return { relation: [], has_more: false };
      case "checkbox":
        return { checkbox: false };
      default:
        return { [type]: null };
    }
  }

  private propertyValue(schema: PropSchema, v: unknown, at: string): Json {
    const type = schema.type;
    const invalid = (expected: string) =>
      validation(
        `body failed validation: ${at}.${type} should be ${expected}, instead was \`${JSON.stringify(v)}\`.`,
      );
    switch (type) {
      case "title":
      case "rich_text":
        if (!Array.isArray(v)) throw invalid("an array");
        this.validateRichText(v as Json[], `${at}.${type}`);
        return { [type]: richTextResponse(v) };
      case "number":
        if (v !== null && (typeof v !== "number" || !Number.isFinite(v))) throw invalid("a number or `null`");
        return { number: v };
      case "email":
      case "url":
      case "phone_number":
        if (v !== null && typeof v !== "string") throw invalid("a string or `null`");
        if (typeof v === "string" && v.length > 200) throw invalid("≤ `200` characters");
        return { [type]: v };
      case "checkbox":
        if (typeof v !== "boolean") throw invalid("a boolean");
        return { checkbox: v };
      case "select":
      case "status": {
        if (v === null) return { [type]: null };
        const name = (v as Json | undefined)?.name;
        if (typeof name !== "string" || name === "") throw invalid("an object with a name");
        if (name.includes(",")) throw validation(`Invalid select option, commas not allowed: ${name}`);
        return { [type]: this.option(schema, name, type === "select") };
      }
      case "multi_select": {
        if (!Array.isArray(v)) throw invalid("an array");
        if (v.length > ARRAY_MAX)
          throw validation(
            `body failed validation: ${at}.multi_select.length should be ≤ \`100\`, instead was \`${v.length}\`.`,
          );
        return {
          multi_select: (v as Json[]).map((o) => {
            const name = String(o.name ?? "");
            if (name.includes(","))
              throw validation(`Invalid multi_select value, commas not allowed: ${name}`);
            return this.option(schema, name, true);
          }),
        };
      }
      case "date": {
        if (v === null) return { date: null };
        const start = (v as Json | undefined)?.start;
        if (typeof start !== "string" || !Number.isFinite(Date.parse(start))) {
          throw validation(
            `body failed validation: ${at}.date.start should be a valid ISO 8601 date string, instead was \`${JSON.stringify(start)}\`.`,
          );
        }
        return { date: { start: normalizeDateStart(start), end: null, time_zone: null } };
      }
      case "relation": {
        if (!Array.isArray(v)) throw invalid("an array");
        if (v.length > ARRAY_MAX)
          throw validation(
            `body failed validation: ${at}.relation.length should be ≤ \`100\`, instead was \`${v.length}\`.`,
          );
        return { relation: (v as Json[]).map((r) => ({ id: normId(String(r.id)) })), has_more: false };
      }
      default:
        return { [type]: v };
    }
  }

  /** A select option by name; new select/multi-select options are created as Notion does. */
  private option(schema: PropSchema, name: string, create: boolean): Json {
    const options = (schema.config.options as Json[]) ?? [];
    let o = options.find((x) => x.name === name);
    if (!o) {
      if (!create) throw validation(`Invalid status option. Status option "${name}" does not exist.`);
      o = { id: randomUUID(), name, color: COLORS[options.length % COLORS.length], description: null };
      options.push(o);
      schema.config.options = options;
    }
    return { id: o.id, name: o.name, color: o.color };
  }

  private validateRichText(items: Json[], at: string): void {
    if (items.length > ARRAY_MAX) {
      throw validation(
        `body failed validation: ${at}.length should be ≤ \`100\`, instead was \`${items.length}\`.`,
      );
    }
    items.forEach((item, i) => {
      const content = (item.text as Json | undefined)?.content;
      if (typeof content !== "string") {
        throw validation(
          `body failed validation: ${at}[${i}].text.content should be a string, instead was \`${JSON.stringify(content)}\`.`,
        );
      }
      if (content.length > TEXT_MAX) {
        throw validation(
          `body failed validation: ${at}[${i}].text.content.length should be ≤ \`2000\`, instead was \`${content.length}\`.`,
        );
      }
    });
  }

  // ---- blocks -------------------------------------------------------------------------------------

  /** Checks a children array: at most 100, valid blocks, nesting within 2 levels, 1,000 elements. */
  private validateChildren(children: unknown, at: string, depth: number): number {
    if (!Array.isArray(children)) throw validation(`body failed validation: ${at} should be an array.`);
    if (children.length > ARRAY_MAX) {
      throw validation(
        `body failed validation: ${at}.length should be ≤ \`100\`, instead was \`${children.length}\`.`,
      );
    }
    let elements = 0;
    (children as Json[]).forEach((block, i) => {
      elements += 1;
      const type = (block.type as string | undefined) ?? Object.keys(block).find((k) => k !== "object");
      const path = `${at}[${i}]`;
      if (!type || !(type in block))
        throw validation(
          `body failed validation: ${path}.${String(type)} should be defined, instead was \`undefined\`.`,
        );
      const content = block[type] as Json;
      if (TEXT_BLOCKS.has(type))
        this.validateRichText((content.rich_text as Json[]) ?? [], `${path}.${type}.rich_text`);
      if (type === "table") {
        const width = content.table_width;
        const rows = content.children as Json[] | undefined;
        if (typeof width !== "number" || width < 1)
          throw validation(`body failed validation: ${path}.table.table_width should be ≥ \`1\`.`);
        if (!rows || rows.length === 0)
          throw validation(
            `body failed validation: ${path}.table.children should be defined, instead was \`undefined\`.`,
          );
        for (const row of rows) {
          const cells = ((row.table_row as Json | undefined)?.cells as Json[][] | undefined) ?? [];
          if (cells.length !== width)
            throw validation("Number of cells in table row must match the table width of the parent.");
          for (const [c, cell] of cells.entries())
            this.validateRichText(cell, `${path}.table.children.table_row.cells[${c}]`);
        }
      }
      if (type === "table_row") {
        for (const [c, cell] of ((content.cells as Json[][] | undefined) ?? []).entries())
          this.validateRichText(cell, `${path}.table_row.cells[${c}]`);
      }
      const nested = content?.children as Json[] | undefined;
      if (nested !== undefined) {
        if (depth >= 2) {
          throw validation(
            `body failed validation: ${path}.${type}.children should be not present, instead was \`${JSON.stringify(nested).slice(0, 40)}\`.`,
          );
        }
        if (!PARENT_BLOCKS.has(type))
          throw validation(`body failed validation: ${path}.${type}.children should be not present.`);
        elements += this.validateChildren(nested, `${path}.${type}.children`, depth + 1);
      }
    });
    if (depth === 1 && elements > BLOCKS_MAX) {
      throw validation(
        `body failed validation: ${at} contains ${elements} block elements, more than the limit of 1000.`,
      );
    }
    return elements;
  }

  private insertBlock(parentId: string, type: string, content: Json, id: string = randomUUID()): Block {
    const now = this.stamp();
    const block: Block = {
      id,
      seq: ++this.seq,
      parent_id: parentId,
      type,
      content,
      created_time: now,
      last_edited_time: now,
      in_trash: false,
    };
    this.blocks.set(id, block);
    const list = this.children.get(parentId) ?? [];
    list.push(id);
    this.children.set(parentId, list);
    return block;
  }

  private insertTree(parentId: string, request: Json): Block {
    const type = (request.type as string | undefined) ?? Object.keys(request).find((k) => k !== "object")!;
    const { children, ...rest } = (request[type] as Json) ?? {};
    const content: Json = { ...rest };
    if ("rich_text" in content) content.rich_text = richTextResponse(content.rich_text);
    if (type === "table_row")
      content.cells = ((content.cells as Json[][]) ?? []).map((c) => richTextResponse(c));
    if (type === "callout" && !content.icon) content.icon = null;
    if (TEXT_BLOCKS.has(type) && !content.color) content.color = "default";
    const block = this.insertBlock(parentId, type, content);
    for (const c of (children as Json[] | undefined) ?? []) this.insertTree(block.id, c);
    return block;
  }

  private append(parentId: string, body: Json): Json {
    if (!this.pages.has(parentId) && !this.blocks.has(parentId)) throw this.notFound("block", parentId);
    const parentPage = this.pages.get(parentId);
    if (parentPage?.in_trash)
      throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
    this.validateChildren(body.children, "body.children", 1);
    const made = (body.children as Json[]).map((c) => this.insertTree(parentId, c));
    const owner = this.pages.get(parentId);
    if (owner) owner.last_edited_time = this.stamp();
    return {
      object: "list",
      results: made.map((b) => this.blockResponse(b)),
      next_cursor: null,
      has_more: false,
      type: "block",
      block: {},
    };
  }

  private listChildren(parentId: string, url: URL): Json {
    if (!this.pages.has(parentId) && !this.blocks.has(parentId)) throw this.notFound("block", parentId);
    const all = (this.children.get(parentId) ?? [])
      .map((id) => this.blocks.get(id)!)
      .filter((b) => !b.in_trash);
    return this.paginate(
      all,
      url.searchParams.get("start_cursor") ?? undefined,
      url.searchParams.get("page_size") ? Number(url.searchParams.get("page_size")) : undefined,
      (b) => this.blockResponse(b),
      { type: "block", block: {} },
      "query.page_size",
    );
  }

  private deleteBlock(id: string): Json {
    const block = this.blocks.get(id);
    const page = this.pages.get(id);
    if (!block && !page) throw this.notFound("block", id);
    if (block?.in_trash)
      throw validation("Can't edit block that is archived. You must unarchive the block before editing.");
    if (block) block.in_trash = true;
    if (page) page.in_trash = true;
    return block ? this.blockResponse(block) : this.pageResponse(page!);
  }

  // ---- query --------------------------------------------------------------------------------------

  private query(ds: DataSource, body: Json): Json {
    if (body.filter !== undefined) this.validateFilter(ds, body.filter as Json, 0);
    const matches = body.filter ? this.matcher(ds, body.filter as Json) : () => true;
    let rows = [...this.pages.values()].filter(
      (p) => p.data_source_id === ds.id && !p.in_trash && matches(p),
    );
    rows.sort((a, b) => a.seq - b.seq);
    const sorts = (body.sorts as Json[] | undefined) ?? [];
    if (sorts.length > 0) rows = this.sortPages(ds, rows, sorts);
    return this.paginate(
      rows,
      body.start_cursor as string | undefined,
      body.page_size as number | undefined,
      (p) => this.pageResponse(p),
      { type: "page_or_data_source", page_or_data_source: {} },
      "body.page_size",
    );
  }

  /** Cursor pagination as Notion does it: next_cursor names the first item of the next page. */
  private paginate<T extends { id: string }>(
    rows: T[],
    cursor: string | undefined,
    pageSize: number | undefined,
    render: (r: T) => Json,
    extra: Json,
    sizeAt: string,
  ): Json {
    const size = pageSize ?? 100;
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      throw validation(`body failed validation: ${sizeAt} should be ≤ \`100\`, instead was \`${size}\`.`);
    }
    let start = 0;
    if (cursor !== undefined) {
      start = rows.findIndex((r) => r.id === normId(cursor));
      if (start < 0) throw validation(`start_cursor provided is invalid: ${cursor}`);
    }
    const slice = rows.slice(start, start + size);
    const next = rows[start + size];
    return {
      object: "list",
      results: slice.map(render),
      next_cursor: next ? next.id : null,
      has_more: next !== undefined,
      ...extra,
    };
  }

  private validateFilter(ds: DataSource, filter: Json, depth: number): void {
    for (const op of ["and", "or"] as const) {
      if (op in filter) {
        const list = filter[op] as Json[];
        if (depth >= 2)
          throw validation("body failed validation: body.filter can be nested at most two levels deep.");
        if (!Array.isArray(list) || list.length > ARRAY_MAX) {
          throw validation(
            `body failed validation: body.filter.${op}.length should be ≤ \`100\`, instead was \`${Array.isArray(list) ? list.length : "?"}\`.`,
          );
        }
        for (const f of list) this.validateFilter(ds, f, depth + 1);
        return;
      }
    }
    if ("timestamp" in filter) return;
    const name = filter.property as string;
    const schema = ds.properties.get(name) ?? [...ds.properties.values()].find((p) => p.id === name);
    if (!schema) throw validation(`Could not find property with name or id: ${name}`);
    const key = Object.keys(filter).find((k) => k !== "property" && k !== "type");
    const same = key === schema.type || (key === "rich_text" && schema.type === "title");
    if (!same)
      throw validation(
        `body failed validation: body.filter.${key} does not match the type of property "${name}" (${schema.type}).`,
      );
  }

  /**
   * A filter compiled once per query into a test of one page (a query over thousands of pages with a
   * 100-condition filter would otherwise redo the same work per page and per condition).
   */
  private matcher(ds: DataSource, filter: Json): (page: Page) => boolean {
    if (Array.isArray(filter.and)) {
      const all = (filter.and as Json[]).map((f) => this.matcher(ds, f));
      return (page) => all.every((m) => m(page));
    }
    if (Array.isArray(filter.or)) {
      const list = filter.or as Json[];
      // Many "relation contains" conditions on one property (a batch of accounts): one set lookup.
      const first = list[0];
      const property = first?.property;
      if (
        first &&
        list.every((f) => f.property === property && (f.relation as Json | undefined)?.contains !== undefined)
      ) {
        const schema = this.schemaOf(ds, property);
        if (schema.type === "relation") {
          const wanted = new Set(list.map((f) => normId(String((f.relation as Json).contains))));
          return (page) =>
            (((page.properties[schema.name] as Json | undefined)?.relation as Json[] | undefined) ?? []).some(
              (r) => wanted.has(String(r.id)),
            );
        }
      }
      const any = list.map((f) => this.matcher(ds, f));
      return (page) => any.some((m) => m(page));
    }
    if ("timestamp" in filter) {
      const field = filter.timestamp as "created_time" | "last_edited_time";
      const cond = (filter[field] ?? {}) as Json;
      const op = Object.keys(cond)[0]!;
      const at = Date.parse(String(cond[op]));
      return (page) => {
        const t = Date.parse(page[field]);
        switch (op) {
          case "after":
            return t > at;
          case "on_or_after":
            return t >= at;
          case "before":
            return t < at;
          case "on_or_before":
            return t <= at;
          case "equals":
            return t === at;
          default:
            return true;
        }
      };
    }
    const schema = this.schemaOf(ds, filter.property);
    const key = Object.keys(filter).find((k) => k !== "property" && k !== "type")!;
    const cond = filter[key] as Json;
    const normalized =
      schema.type === "relation" ? normId(String(cond.contains ?? cond.does_not_contain ?? "")) : undefined;
    return (page) => this.matchesLeaf(schema, page.properties[schema.name] as Json, cond, normalized);
  }

  private schemaOf(ds: DataSource, property: unknown): PropSchema {
    return (
      ds.properties.get(property as string) ?? [...ds.properties.values()].find((p) => p.id === property)!
    );
  }

  private matchesLeaf(schema: PropSchema, value: Json, cond: Json, relationId: string | undefined): boolean {
    const text = () => ((value[schema.type] as Json[]) ?? []).map((t) => t.plain_text).join("");
    switch (schema.type) {
      case "select":
      case "status": {
        const name = (value[schema.type] as Json | null)?.name ?? null;
        if ("equals" in cond) return name === cond.equals;
        if ("does_not_equal" in cond) return name !== cond.does_not_equal;
        if ("is_empty" in cond) return name === null;
        if ("is_not_empty" in cond) return name !== null;
        return false;
      }
      case "multi_select": {
        const names = ((value.multi_select as Json[]) ?? []).map((o) => o.name);
        if ("contains" in cond) return names.includes(cond.contains);
        if ("does_not_contain" in cond) return !names.includes(cond.does_not_contain);
        if ("is_empty" in cond) return names.length === 0;
        return names.length > 0;
      }
      case "relation": {
        const ids = ((value.relation as Json[]) ?? []).map((r) => r.id);
        if ("contains" in cond) return ids.includes(relationId);
        if ("does_not_contain" in cond) return !ids.includes(relationId);
        if ("is_empty" in cond) return ids.length === 0;
        return ids.length > 0;
      }
      case "title":
      case "rich_text":
        if ("equals" in cond) return text() === cond.equals;
        if ("contains" in cond) return text().includes(String(cond.contains));
        if ("is_empty" in cond) return text() === "";
        return text() !== "";
      case "number": {
        const n = value.number as number | null;
        if ("equals" in cond) return n === cond.equals;
        if ("greater_than" in cond) return n !== null && n > (cond.greater_than as number);
        if ("less_than" in cond) return n !== null && n < (cond.less_than as number);
        if ("is_empty" in cond) return n === null;
        return n !== null;
      }
      case "date": {
        const start = (value.date as Json | null)?.start as string | undefined;
        const t = start ? Date.parse(start) : null;
        if ("is_empty" in cond) return t === null;
        if (t === null) return false;
        if ("on_or_before" in cond) return t <= Date.parse(String(cond.on_or_before));
        if ("on_or_after" in cond) return t >= Date.parse(String(cond.on_or_after));
        if ("before" in cond) return t < Date.parse(String(cond.before));
        if ("after" in cond) return t > Date.parse(String(cond.after));
        return true;
      }
      default:
        return true;
    }
  }

  private sortPages(ds: DataSource, rows: Page[], sorts: Json[]): Page[] {
    const key = (p: Page, s: Json): string | number => {
      if (s.timestamp === "created_time") return p.seq;
      if (s.timestamp === "last_edited_time") return Date.parse(p.last_edited_time) * 1e6 + p.seq;
      const schema = ds.properties.get(String(s.property));
      if (!schema) throw validation(`Could not find sort property with name or id: ${String(s.property)}`);
      const v = p.properties[schema.name] as Json;
      switch (schema.type) {
        case "number":
          return (v.number as number | null) ?? Number.NEGATIVE_INFINITY;
        case "date":
          return ((v.date as Json | null)?.start as string | undefined) ?? "";
        case "select":
        case "status":
          return ((v[schema.type] as Json | null)?.name as string | undefined) ?? "";
        default:
          return ((v[schema.type] as Json[]) ?? []).map((t) => t.plain_text).join("");
      }
    };
    return [...rows].sort((a, b) => {
      for (const s of sorts) {
        const ka = key(a, s);
        const kb = key(b, s);
        if (ka !== kb) return (ka < kb ? -1 : 1) * (s.direction === "descending" ? -1 : 1);
      }
      return a.seq - b.seq;
    });
  }

  // ---- responses ----------------------------------------------------------------------------------

  private pageResponse(page: Page): Json {
    const title = this.titleOf(page)
      .replace(/[^\w]+/g, "-")
      .replace(/^-|-$/g, "");
    return {
      object: "page",
      id: page.id,
      created_time: page.created_time,
      last_edited_time: page.last_edited_time,
      created_by: user,
      last_edited_by: user,
      cover: null,
      icon: null,
      parent: page.parent,
      archived: page.in_trash,
      in_trash: page.in_trash,
      is_locked: false,
      properties: page.properties,
      url: `https://www.notion.so/${title ? `${title}-` : ""}${page.id.replace(/-/g, "")}`,
      public_url: null,
    };
  }

  private blockResponse(block: Block): Json {
    const parentIsPage = this.pages.has(block.parent_id);
    return {
      object: "block",
      id: block.id,
      parent: parentIsPage
        ? { type: "page_id", page_id: block.parent_id }
        : { type: "block_id", block_id: block.parent_id },
      created_time: block.created_time,
      last_edited_time: block.last_edited_time,
      created_by: user,
      last_edited_by: user,
      has_children: (this.children.get(block.id) ?? []).some((c) => !this.blocks.get(c)?.in_trash),
      archived: block.in_trash,
      in_trash: block.in_trash,
      type: block.type,
      [block.type]: block.content,
    };
  }

  private databaseResponse(db: Database): Json {
    return {
      object: "database",
      id: db.id,
      title: richTextResponse([{ text: { content: db.title } }]),
      description: [],
      parent: db.parent,
      is_inline: false,
      in_trash: false,
      is_locked: false,
      created_time: db.created_time,
      last_edited_time: db.created_time,
      data_sources: db.data_sources.map((id) => ({ id, name: this.dataSources.get(id)!.title })),
      icon: null,
      cover: null,
      url: `https://www.notion.so/${db.id.replace(/-/g, "")}`,
      public_url: null,
    };
  }

  private dataSourceResponse(ds: DataSource): Json {
    const db = this.databases.get(ds.database_id)!;
    return {
      object: "data_source",
      id: ds.id,
      created_time: ds.created_time,
      last_edited_time: ds.created_time,
      created_by: user,
      last_edited_by: user,
      title: richTextResponse([{ text: { content: ds.title } }]),
      description: [],
      parent: { type: "database_id", database_id: ds.database_id },
      database_parent: db.parent,
      is_inline: false,
      archived: false,
      in_trash: false,
      icon: null,
      cover: null,
      url: `https://www.notion.so/${ds.id.replace(/-/g, "")}`,
      public_url: null,
      properties: Object.fromEntries(
        [...ds.properties.values()].map((p) => [
          p.name,
          { id: p.id, name: p.name, description: null, type: p.type, [p.type]: p.config },
        ]),
      ),
    };
  }
}
