import { isFullDatabase } from "@notionhq/client";
import type { NotionApi } from "./client.js";
import { resolveDataSource } from "./data-sources.js";
import { DATA_SOURCES, type DataSourceKey, relationProblems } from "./properties.js";
import { richText } from "./rich-text.js";

export interface CreatedDatabase {
  key: DataSourceKey;
  env: string;
  database_id: string;
  data_source_id: string;
  /** Schema problems found when reading it back (empty when Notion made what we asked for). */
  problems: string[];
}

/** Accounts first: the other three relate to it, and a relation needs its target's data source id. */
const ORDER: DataSourceKey[] = ["accounts", "tickets", "qbrs", "expansion"];

/**
 * Creates the four databases of the system of record (DATA_SOURCES) under a page, each with its properties, then reads each
 * back and checks its schema the way doctor does. `onCreated` hears of each database as soon as it
 * exists, so a caller can say what was made even if a later one fails.
 */
export async function createNotionDatabases(
  api: NotionApi,
  parentPageId: string,
  onCreated?: (db: CreatedDatabase) => void,
): Promise<CreatedDatabase[]> {
  const dataSourceIds: Partial<Record<DataSourceKey, string>> = {};
  const out: CreatedDatabase[] = [];
  for (const key of ORDER) {
    const spec = DATA_SOURCES[key];
    const created = await api.call(
      "databases.create",
      (c) =>
        c.databases.create({
          parent: { type: "page_id", page_id: parentPageId },
          title: richText(spec.title),
          initial_data_source: { properties: propertyConfig(key, dataSourceIds) as never },
        }),
      { idempotent: false },
    );
    if (!isFullDatabase(created)) throw new Error(`Notion did not return the ${spec.title} database`);
    const ds = created.data_sources[0];
    if (!ds) throw new Error(`the ${spec.title} database has no data source`);
    dataSourceIds[key] = ds.id;
    const resolved = await resolveDataSource(api, key, created.id);
    const made: CreatedDatabase = {
      key,
      env: spec.env,
      database_id: created.id,
      data_source_id: ds.id,
      problems: [...resolved.problems, ...relationProblems(key, resolved.relations, dataSourceIds)],
    };
    out.push(made);
    onCreated?.(made);
  }
  return out;
}

/** The property configuration to create a data source with; relations need the target's id. */
function propertyConfig(
  key: DataSourceKey,
  dataSourceIds: Partial<Record<DataSourceKey, string>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(DATA_SOURCES[key].properties)) {
    switch (spec.type) {
      case "select":
      case "multi_select":
        out[name] = { [spec.type]: { options: (spec.options ?? []).map((o) => ({ name: o })) } };
        break;
      case "number":
        out[name] = { number: { format: "number" } };
        break;
      case "relation": {
        const target = dataSourceIds[spec.relation!];
        if (!target) throw new Error(`data source ${spec.relation} must exist before ${key}`);
        out[name] = { relation: { data_source_id: target, type: "single_property", single_property: {} } };
        break;
      }
      default:
        out[name] = { [spec.type]: {} };
    }
  }
  return out;
}
