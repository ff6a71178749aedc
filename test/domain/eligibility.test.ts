import { describe, expect, it } from "vitest";
import {
  healthScanIneligibility,
  renewsWithin,
  SKIP_CHURNED,
  tamScanIneligibility,
} from "../../src/domain/eligibility.js";
import { ACCOUNT_STATUSES } from "../../src/domain/types.js";

const NOW = new Date("2026-03-11T07:00:00Z");

describe("scan eligibility", () => {
  it("the CSM health scan skips churned customers only", () => {
    for (const status of ACCOUNT_STATUSES) {
      expect(healthScanIneligibility({ status })).toBe(status === "Churned" ? SKIP_CHURNED : null);
    }
    expect(SKIP_CHURNED).toBe("status is Churned: not scored");
  });

  it("the TAM health scan covers live and onboarding accounts", () => {
    expect(tamScanIneligibility({ status: "Active" })).toBeNull();
    expect(tamScanIneligibility({ status: "Onboarding" })).toBeNull();
    expect(tamScanIneligibility({ status: "Inactive" })).toBe("status is Inactive: not scanned");
    expect(tamScanIneligibility({ status: "Churned" })).toBe("status is Churned: not scanned");
  });

  it("the contract check takes renewals known, not passed and within the days", () => {
    expect(renewsWithin({ renewal_date: "2026-04-01" }, 30, NOW)).toBe(true);
    expect(renewsWithin({ renewal_date: "2026-05-01" }, 30, NOW)).toBe(false);
    expect(renewsWithin({ renewal_date: "2026-03-01" }, 30, NOW)).toBe(false);
    expect(renewsWithin({ renewal_date: null }, 30, NOW)).toBe(false);
  });
});
