import { describe, expect, it } from "vitest";
import {
  closeOutStep,
  evaluationTotal,
  evaluatorRows,
  gradeOf,
  leafIndicators,
  missingBodies,
  pointsProblem,
} from "../src/contract";

const DEFAULT = [
  { code: "budget_execution", name: "预算执行", max_points: 10, children: [] },
  { code: "output", name: "产出", max_points: 50, children: [] },
  { code: "effect", name: "效果", max_points: 30, children: [] },
  { code: "satisfaction", name: "满意度", max_points: 10, children: [] },
];

describe("leafIndicators", () => {
  it("lists the leaves of a flat tree with their maxima", () => {
    expect(leafIndicators(DEFAULT).map((l) => [l.path, l.max])).toEqual([
      ["budget_execution", 10],
      ["output", 50],
      ["effect", 30],
      ["satisfaction", 10],
    ]);
  });
  it("names nested leaves by their dotted path, not the parent", () => {
    const tree = [
      { code: "effect", name: "效果", max_points: 60, children: [
        { code: "reach", name: "覆盖", max_points: 40 },
        { code: "depth", name: "深度", max_points: 20, children: [] },
      ] },
      { code: "output", name: "产出", max_points: 40 },
    ];
    expect(leafIndicators(tree).map((l) => l.path)).toEqual(["effect.reach", "effect.depth", "output"]);
    expect(leafIndicators(null)).toEqual([]);
  });
});

describe("points", () => {
  it("refuses empty, out of range and finer than a tenth", () => {
    expect(pointsProblem(10, null)).toBe("请评分");
    expect(pointsProblem(10, -0.1)).toBe("应在 0 到 10 之间");
    expect(pointsProblem(10, 10.1)).toBe("应在 0 到 10 之间");
    expect(pointsProblem(10, 8.25)).toBe("最多一位小数");
    expect(pointsProblem(10, 8.3)).toBe("");
    expect(pointsProblem(10, 0)).toBe("");
  });
  it("adds the valid leaves to one decimal, without float drift", () => {
    const leaves = leafIndicators(DEFAULT);
    expect(evaluationTotal(leaves, { budget_execution: 8.1, output: 42.2, effect: 25, satisfaction: 9 })).toBe(84.3);
    expect(evaluationTotal(leaves, { budget_execution: 0.1, output: 0.2 })).toBe(0.3);
    expect(evaluationTotal(leaves, { budget_execution: 11, output: 40 })).toBe(40);
  });
  it("grades at the boundaries", () => {
    expect([gradeOf(90), gradeOf(89.9), gradeOf(80), gradeOf(60), gradeOf(59.9)]).toEqual([
      "excellent",
      "good",
      "good",
      "fair",
      "poor",
    ]);
  });
});

describe("evaluators", () => {
  it("mid-term needs the bureau; effectiveness the bureau, finance and the implementers", () => {
    expect(missingBodies("mid_term", [{ body: "finance_bureau", name: "李四" }])).toEqual(["civil_affairs_bureau"]);
    expect(missingBodies("mid_term", [{ body: "civil_affairs_bureau", name: "王五" }])).toEqual([]);
    expect(
      missingBodies("effectiveness", [
        { body: "civil_affairs_bureau", name: "王五" },
        { body: "finance_bureau", name: "  " },
      ]),
    ).toEqual(["finance_bureau", "implementer_representative"]);
  });
  it("a new form has one row per required body", () => {
    expect(evaluatorRows("effectiveness").map((r) => r.body)).toEqual([
      "civil_affairs_bureau",
      "finance_bureau",
      "implementer_representative",
    ]);
  });
});

describe("closeOutStep", () => {
  it("walks mid-term, completion, effectiveness, audit and closure", () => {
    const accepted = { status: "accepted" };
    expect(closeOutStep({ status: "active", mid_term_passed: false })).toBe("reports");
    expect(closeOutStep({ status: "active", mid_term_passed: false, quarterly_reports: [accepted, { status: "submitted" }] })).toBe(
      "reports",
    );
    expect(closeOutStep({ status: "active", mid_term_passed: false, quarterly_reports: [accepted, accepted] })).toBe("mid_term");
    expect(closeOutStep({ status: "active", mid_term_passed: true })).toBe("complete");
    expect(closeOutStep({ status: "completed", mid_term_passed: true })).toBe("effectiveness");
    expect(closeOutStep({ status: "evaluated", mid_term_passed: true })).toBe("audit");
    expect(closeOutStep({ status: "audited", mid_term_passed: true })).toBe("close");
    expect(closeOutStep({ status: "suspended", mid_term_passed: false })).toBe("none");
    expect(closeOutStep({ status: "closed", mid_term_passed: true })).toBe("none");
  });
});

describe("the close-out rules in Chinese", () => {
  it("names the missing bodies of an evaluation", async () => {
    const { fieldReason } = await import("../src/i18n/fieldErrors");
    expect(fieldReason("a mid_term evaluation needs evaluators from 区民社局 (civil_affairs_bureau)")).toBe(
      "须有以下单位的评估人员：区民社局",
    );
    expect(
      fieldReason(
        "a effectiveness evaluation needs evaluators from 区财政局 (finance_bureau)、项目实施代表 (implementer_representative)",
      ),
    ).toBe("须有以下单位的评估人员：区财政局、项目实施代表");
  });
  it("says which quarters block completion and which date comes first", async () => {
    const { fieldReason } = await import("../src/i18n/fieldErrors");
    expect(fieldReason("quarterly reports not accepted: 2025-Q3, 2025-Q4")).toBe(
      "以下季度书面报告尚未通过审核：2025-Q3、2025-Q4",
    );
    expect(fieldReason("is before completion (2026-01-05)")).toBe("不能早于项目完成日期");
    expect(fieldReason("is before the audit (2026-01-05)")).toBe("不能早于审计日期");
    expect(fieldReason("a modified audit opinion needs its findings")).toBe("非无保留意见须写明审计发现");
    expect(fieldReason("the audit opinion is adverse; settle it first")).toBe("审计意见为“否定意见”，须先整改后方可结项");
  });
});
