import type { Runtime } from "../runtime.js";

/** One line of `account-team doctor`. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** A group of doctor's checks beyond the ports' pings; one that does not apply returns none. */
export type DoctorCheck = (runtime: Runtime) => Promise<CheckResult[]>;
