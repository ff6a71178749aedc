/**
 * Who is in the demo book: company names, the CSMs and account executives who own the accounts, and the
 * people who champion them. A pick depends on a list's length and order, so editing a list changes every
 * book drawn from it.
 */
import type { Prng, WeightedEntry } from "./prng.js";

export const DEMO_CSMS = [
  "maya.chen@example.com",
  "david.okafor@example.com",
  "sofia.rossi@example.com",
  "james.patel@example.com",
  "lena.fischer@example.com",
] as const;

export const DEMO_ACCOUNT_EXECUTIVES = [
  "alex.morgan@example.com",
  "priya.shah@example.com",
  "tom.becker@example.com",
  "nina.alvarez@example.com",
] as const;

const NAME_PREFIXES = [
  "Acme",
  "Apex",
  "Atlas",
  "Aurora",
  "Beacon",
  "Birch",
  "Blue Harbor",
  "Brightline",
  "Cascade",
  "Cedar",
  "Cobalt",
  "Copper",
  "Crescent",
  "Delta",
  "Ember",
  "Evergreen",
  "Falcon",
  "Fjord",
  "Granite",
  "Helix",
  "Horizon",
  "Ironwood",
  "Juniper",
  "Keystone",
  "Lighthouse",
  "Lumen",
  "Maple",
  "Meridian",
  "Nimbus",
  "North Star",
  "Northwind",
  "Nova",
  "Oakridge",
  "Orbit",
  "Pinecrest",
  "Pioneer",
  "Quartz",
  "Redwood",
  "Riverbend",
  "Sable",
  "Sagebrush",
  "Silverline",
  "Summit",
  "Tidal",
  "Trident",
  "Vertex",
  "Willow",
  "Zenith",
] as const;

const NAME_INDUSTRIES = [
  "Aerospace",
  "Analytics",
  "Bio",
  "Capital",
  "Dynamics",
  "Energy",
  "Foods",
  "Freight",
  "Health",
  "Insurance",
  "Labs",
  "Learning",
  "Legal",
  "Logistics",
  "Manufacturing",
  "Marine",
  "Media",
  "Networks",
  "Outdoors",
  "Payments",
  "Pharma",
  "Realty",
  "Retail",
  "Robotics",
  "Security",
  "Software",
  "Studios",
  "Systems",
  "Telecom",
  "Travel",
] as const;

const NAME_SUFFIXES: readonly WeightedEntry<string>[] = [
  ["", 45],
  [" Inc", 15],
  [" Group", 10],
  [" Co", 8],
  [" Ltd", 7],
  [" LLC", 6],
  [" GmbH", 5],
  [" Partners", 4],
];

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Amara",
  "Noah",
  "Hiroshi",
  "Sophie",
  "Mateo",
  "Chloe",
  "Arjun",
  "Fatima",
  "Lucas",
  "Elena",
  "Kwame",
  "Isabel",
  "Jonas",
  "Mei",
  "Daniel",
  "Zara",
  "Oscar",
  "Leila",
  "Samuel",
  "Ingrid",
  "Rafael",
  "Hannah",
  "Tariq",
  "Grace",
  "Viktor",
  "Ana",
] as const;

const LAST_NAMES = [
  "Johnson",
  "Nakamura",
  "Adeyemi",
  "Schmidt",
  "Garcia",
  "Kowalski",
  "Singh",
  "Dubois",
  "Larsen",
  "Rossi",
  "Kim",
  "Okonkwo",
  "Silva",
  "Novak",
  "Brennan",
  "Haddad",
  "Lindqvist",
  "Moreau",
  "Castillo",
  "Wright",
  "Yilmaz",
  "Fernandes",
  "Hughes",
  "Petrov",
] as const;

/** A champion's full name. */
export function personName(rng: Prng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** Lower-case words joined by dashes, as in a Slack channel name. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Company names, unique within one book. */
export class NameFactory {
  private readonly used = new Map<string, number>();
  constructor(private readonly rng: Prng) {}

  next(): string {
    let core = "";
    for (let attempt = 0; attempt < 6; attempt++) {
      core = `${this.rng.pick(NAME_PREFIXES)} ${this.rng.pick(NAME_INDUSTRIES)}`;
      if (!this.used.has(core)) {
        this.used.set(core, 1);
        return core + this.rng.weighted(NAME_SUFFIXES);
      }
    }
    // The word lists are exhausted (big books): number the name. Cores never end in a digit, so
    // "Core 2" can collide neither with a first use of a core nor with another core's numbering.
    const n = (this.used.get(core) ?? 1) + 1;
    this.used.set(core, n);
    return `${core} ${n}`;
  }
}
