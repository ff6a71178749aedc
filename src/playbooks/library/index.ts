import { type Definition, DefinitionSchema } from "../schema/definition.js";
import { atRiskPlaybook } from "./at-risk.js";
import { expansionPlaybook } from "./expansion.js";
import { onboardingPlaybook } from "./onboarding.js";
import { renewalPlaybook } from "./renewal.js";

/** The pre-built playbooks (onboarding, at-risk, renewal, expansion), imported into the team's templates as drafts to customise. */
export interface LibraryEntry {
  key: string;
  definition: Definition;
}

export const LIBRARY: readonly LibraryEntry[] = Object.freeze(
  (
    [
      ["onboarding", onboardingPlaybook],
      ["at_risk", atRiskPlaybook],
      ["renewal", renewalPlaybook],
      ["expansion", expansionPlaybook],
    ] as const
  ).map(([key, input]) => ({ key, definition: DefinitionSchema.parse(input) })),
);

export const libraryEntry = (key: string): LibraryEntry | undefined => LIBRARY.find((e) => e.key === key);
