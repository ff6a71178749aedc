import { describe, expect, it } from "vitest";
import { QualityGateSchema } from "../../../src/domain/tasks/catalog-schema.js";

describe("QualityGateSchema", () => {
  const gate = {
    id: "g",
    question: "Q?",
    gate_type: "select",
    required: true,
    options: ["A", "B"],
    order: 1,
  };

  it("accepts a select gate with options", () => {
    expect(QualityGateSchema.safeParse(gate).success).toBe(true);
  });

  it("refuses a select gate without options, and options on another type", () => {
    expect(QualityGateSchema.safeParse({ ...gate, options: null }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "boolean" }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "rating", options: null }).success).toBe(true);
  });

  it("refuses unknown fields and gate types", () => {
    expect(QualityGateSchema.safeParse({ ...gate, type: "select" }).success).toBe(false);
    expect(QualityGateSchema.safeParse({ ...gate, gate_type: "number" }).success).toBe(false);
  });
});
