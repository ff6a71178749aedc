import { describe, expect, it } from "vitest";
import { csmScanConfidence, tamScanConfidence } from "../../../src/domain/health/scan-confidence.js";

const clean = { total: 10, scored: 10, skipped: [], channelFailures: false, recordsFailed: 0 };

describe("CSM scan confidence", () => {
  it("is high when everything in scope was scored and delivered; ineligible skips cost nothing", () => {
    expect(csmScanConfidence(clean)).toBe("high");
    expect(csmScanConfidence({ ...clean, scored: 8, skipped: ["ineligible", "ineligible"] })).toBe("high");
    expect(csmScanConfidence({ ...clean, total: 0, scored: 0 })).toBe("high");
  });

  it("is medium on any other skip, failed channel or failed records write", () => {
    expect(csmScanConfidence({ ...clean, scored: 9, skipped: ["unreadable"] })).toBe("medium");
    expect(csmScanConfidence({ ...clean, scored: 9, skipped: ["unscorable"] })).toBe("medium");
    expect(csmScanConfidence({ ...clean, channelFailures: true })).toBe("medium");
    expect(csmScanConfidence({ ...clean, recordsFailed: 1 })).toBe("medium");
  });

  it("is low when nothing could be scored", () => {
    expect(csmScanConfidence({ ...clean, scored: 0, skipped: Array(10).fill("ineligible") })).toBe("low");
  });
});

describe("TAM scan confidence", () => {
  it("is medium when a write or an escalation did not get through", () => {
    expect(tamScanConfidence({ recordsFailed: 0, escalationFailures: false })).toBe("high");
    expect(tamScanConfidence({ recordsFailed: 2, escalationFailures: false })).toBe("medium");
    expect(tamScanConfidence({ recordsFailed: 0, escalationFailures: true })).toBe("medium");
  });
});
