import { isFullDatabase, isFullDataSource } from "@notionhq/client";
import type { NotionApi } from "./client.js";
import { isNotionNotFound, NotionConfigError } from "./errors.js";
import { type ActualSchema, DATA_SOURCES, type DataSourceKey, schemaProblems } from "./properties.js";

export interface ResolvedDataSource {
  key: DataSourceKey;
  /** The id as configured (a database id, or a data source id pasted directly). */
  configured: string;
  database_id: string;
  data_source_id: string;
  title: string;
  schema: ActualSchema;
  /** Relation property name -> the data source it points at (checked against ours by relationProblems). */
  relations: Record<string, string>;
  /** What is wrong with the schema (missing or mistyped properties); empty when it is as expected. */
  problems: string[];
}

/**
 * A configured database id -> its data source (API 2025-09-03: a database holds data sources, and
 * pages and queries address the data source). A data source id configured directly is accepted too.
 */
export async function resolveDataSource(
  api: NotionApi,
  key: DataSourceKey,
  configured: string,
): Promise<ResolvedDataSource> {
  let dataSourceId = configured;
  let databaseId = configured;
  try {
    const db = await api.call(
      "databases.retrieve",
      (c) => c.databases.retrieve({ database_id: configured }),
      {
        idempotent: true,
        read: true,
      },
    );
    if (!isFullDatabase(db)) throw new NotionConfigError(`${DATA_SOURCES[key].env}: database not readable`);
    const first = db.data_sources[0];
    if (!first)
      throw new NotionConfigError(`${DATA_SOURCES[key].env}: database ${configured} has no data source`);
    dataSourceId = first.id;
  } catch (err) {
    if (!isNotionNotFound(err)) throw err;
  }
  let ds: Awaited<ReturnType<typeof api.sdk.dataSources.retrieve>>;
  try {
    ds = await api.call(
      "data_sources.retrieve",
      (c) => c.dataSources.retrieve({ data_source_id: dataSourceId }),
      {
        idempotent: true,
        read: true,
      },
    );
  } catch (err) {
    if (isNotionNotFound(err)) {
      throw new NotionConfigError(
        `${DATA_SOURCES[key].env}: no database or data source ${configured} is shared with the integration`,
      );
    }
    throw err;
  }
  if (!isFullDataSource(ds))
    throw new NotionConfigError(`${DATA_SOURCES[key].env}: data source not readable`);
  databaseId = ds.parent.type === "database_id" ? ds.parent.database_id : databaseId;
  const schema: ActualSchema = Object.fromEntries(
    Object.entries(ds.properties).map(([name, p]) => [name, p.type]),
  );
  const relations: Record<string, string> = {};
  for (const [name, p] of Object.entries(ds.properties)) {
    if (p.type === "relation") relations[name] = p.relation.data_source_id;
  }
  return {
    key,
    configured,
    database_id: databaseId,
    data_source_id: ds.id,
    title: ds.title.map((t) => t.plain_text).join(""),
    schema,
    relations,
    problems: schemaProblems(key, schema),
  };
}
