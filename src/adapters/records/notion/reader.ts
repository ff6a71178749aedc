import { isFullPage } from "@notionhq/client";
import type { NotionApi } from "./client.js";
import { type ResolvedDataSource, resolveDataSource } from "./data-sources.js";
import { isMissingPage, NotionConfigError } from "./errors.js";
import { DATA_SOURCES, type DataSourceKey, relationProblems } from "./properties.js";
import type { PageLike } from "./property-values.js";

export type Filter = Record<string, unknown>;

export interface QueryOptions {
  filter?: Filter;
  sorts?: unknown[];
  pageSize?: number;
}

/** A page with its parent, as pages.retrieve returns it. */
export type RetrievedPage = PageLike & { parent?: Record<string, unknown> };

/**
 * The read side of the Notion store: the configured data sources (resolved once), their queries page
 * by page, and single pages.
 */
export class NotionReader {
  private resolving: Promise<Map<DataSourceKey, ResolvedDataSource>> | null = null;

  constructor(
    private readonly api: NotionApi,
    private readonly databases: Partial<Record<DataSourceKey, string>>,
  ) {}

  /** The configured data sources, resolved once (a failed resolution is tried again on next use). */
  dataSources(): Promise<Map<DataSourceKey, ResolvedDataSource>> {
    if (!this.resolving) {
      this.resolving = (async () => {
        const out = new Map<DataSourceKey, ResolvedDataSource>();
        for (const key of Object.keys(DATA_SOURCES) as DataSourceKey[]) {
          const id = this.databases[key];
          if (id) out.set(key, await resolveDataSource(this.api, key, id));
        }
        // A relation pointing at another data source than ours would make every filter by it match nothing.
        const targets = Object.fromEntries([...out].map(([k, ds]) => [k, ds.data_source_id]));
        for (const [key, ds] of out) ds.problems.push(...relationProblems(key, ds.relations, targets));
        return out;
      })();
      this.resolving.catch(() => {
        this.resolving = null;
      });
    }
    return this.resolving;
  }

  async source(key: DataSourceKey): Promise<ResolvedDataSource> {
    const ds = (await this.dataSources()).get(key);
    if (!ds) throw new NotionConfigError(`${DATA_SOURCES[key].env} is not set`);
    return ds;
  }

  /** Every page of a data source query, following next_cursor until has_more is false. */
  async *query(key: DataSourceKey, opts: QueryOptions = {}): AsyncIterable<PageLike[]> {
    const ds = await this.source(key);
    let cursor: string | undefined;
    do {
      const start = cursor;
      const res = await this.api.call(
        "data_sources.query",
        (c) =>
          c.dataSources.query({
            data_source_id: ds.data_source_id,
            page_size: Math.min(100, Math.max(1, opts.pageSize ?? 100)),
            ...(opts.filter ? { filter: opts.filter as never } : {}),
            ...(opts.sorts ? { sorts: opts.sorts as never } : {}),
            ...(start ? { start_cursor: start } : {}),
          }),
        { idempotent: true, read: true },
      );
      yield res.results.filter((r) => r.object === "page" && isFullPage(r)) as unknown as PageLike[];
      cursor = res.has_more ? (res.next_cursor ?? undefined) : undefined;
    } while (cursor);
  }

  /** A filter matching any of `values` of a select property (or a Status one, which filters by `status`). */
  async selectFilter(key: DataSourceKey, property: string, values: string[]): Promise<Filter> {
    const type = (await this.source(key)).schema[property] === "status" ? "status" : "select";
    const one = (v: string) => ({ property, [type]: { equals: v } });
    return values.length === 1 ? one(values[0]!) : { or: values.map(one) };
  }

  /** A page by id; null when there is none or it is in the trash. */
  async retrievePage(id: string): Promise<RetrievedPage | null> {
    try {
      const page = await this.api.call("pages.retrieve", (c) => c.pages.retrieve({ page_id: id }), {
        idempotent: true,
        read: true,
      });
      if (!isFullPage(page) || page.in_trash) return null;
      return page as unknown as RetrievedPage;
    } catch (err) {
      if (isMissingPage(err)) return null;
      throw err;
    }
  }
}
