import { describe, expect, it } from "vitest";
import {
  complete,
  declarationOf,
  failingReasons,
  formatScore,
  parseScore,
  missingRoles,
  ownSeats,
  rubricTotal,
  scoreProblem,
  scoreProblems,
  seatStep,
  tieAtCut,
  weightedPart,
  weightSum,
  yuanToFen,
} from "../src/grants";

// The call's default rubric (services/grants/domain/calls.py DEFAULT_RUBRIC).
const RUBRIC = [
  { criterion: "need_authenticity", weight: 20 },
  { criterion: "public_benefit", weight: 15 },
  { criterion: "innovation", weight: 15 },
  { criterion: "scientific_planning", weight: 20 },
  { criterion: "professional_capacity", weight: 15 },
  { criterion: "team_capability", weight: 15 },
];
// tests/support/grants.py RUBRIC_SCORES: the service totals them 86.6.
const SCORES = {
  need_authenticity: 90,
  public_benefit: 88,
  innovation: 80,
  scientific_planning: 85,
  professional_capacity: 90,
  team_capability: 86,
};

describe("the rubric total as the reviewer types", () => {
  it("is the weighted mean the service computes", () => {
    expect(rubricTotal(RUBRIC, SCORES)).toBe(86.6);
    expect(formatScore(rubricTotal(RUBRIC, SCORES))).toBe("86.60");
  });
  it("counts only the criteria scored so far", () => {
    expect(rubricTotal(RUBRIC, { need_authenticity: 90 })).toBe(18);
    expect(rubricTotal(RUBRIC, {})).toBe(0);
  });
  it("leaves out a score beyond the bounds or not whole", () => {
    expect(rubricTotal(RUBRIC, { need_authenticity: 101, innovation: 50.5 })).toBe(0);
    expect(weightedPart(20, -1)).toBe(0);
    expect(weightedPart(15, 100)).toBe(15);
  });
  it("is 100 when every criterion has full marks, and the weights sum to 100", () => {
    const full = Object.fromEntries(RUBRIC.map((c) => [c.criterion, 100]));
    expect(rubricTotal(RUBRIC, full)).toBe(100);
    expect(weightSum(RUBRIC)).toBe(100);
  });
  it("avoids floating-point noise", () => {
    const rubric = [
      { criterion: "a", weight: 33 },
      { criterion: "b", weight: 67 },
    ];
    expect(rubricTotal(rubric, { a: 71, b: 3 })).toBe(25.44);
  });
});

describe("each criterion's bounds", () => {
  it("reads what was typed", () => {
    expect(parseScore("")).toBeNull();
    expect(parseScore("  ")).toBeNull();
    expect(parseScore(" 86 ")).toBe(86);
    expect(parseScore("86.5")).toBe(86.5);
    expect(parseScore("八十")).toBeNaN();
    expect(parseScore("1e2")).toBeNaN();
  });
  it("names what is wrong, in Chinese", () => {
    expect(scoreProblem(undefined)).toBe("请评分");
    expect(scoreProblem(null)).toBe("请评分");
    expect(scoreProblem(101)).toBe("应在 0 到 100 之间");
    expect(scoreProblem(-1)).toBe("应在 0 到 100 之间");
    expect(scoreProblem(80.5)).toBe("应为整数");
    expect(scoreProblem(NaN)).toBe("应为整数");
    expect(scoreProblem(0)).toBe("");
    expect(scoreProblem(100)).toBe("");
  });
  it("lists every criterion not yet validly scored, and the sheet is complete only without any", () => {
    expect(scoreProblems(RUBRIC, { ...SCORES, innovation: 120, team_capability: undefined })).toEqual({
      innovation: "应在 0 到 100 之间",
      team_capability: "请评分",
    });
    expect(complete(RUBRIC, SCORES)).toBe(true);
    expect(complete(RUBRIC, { ...SCORES, innovation: null })).toBe(false);
    expect(complete([], {})).toBe(false);
  });
});

describe("eligibility and review", () => {
  it("gives the failed hard rules' reasons, not the preferences'", () => {
    const rules = [
      { rule: "registration_type", kind: "hard", passed: true, reason: "ok", points: 0 },
      { rule: "annual_inspections", kind: "hard", passed: false, reason: "2024 missing", points: 0 },
      { rule: "honours", kind: "preference", passed: false, reason: "none", points: 0 },
    ];
    expect(failingReasons(rules)).toEqual(["2024 missing"]);
  });
  it("finds the panel roles still to appoint", () => {
    expect(missingRoles([{ member_id: "1", role: "finance" }])).toEqual([
      "civil_affairs",
      "social_worker",
      "implementer_representative",
    ]);
    expect(missingRoles(undefined)).toHaveLength(4);
  });
  it("sees a tie at the shortlist's cut", () => {
    expect(tieAtCut([90, 80, 80], 2)).toBe(true);
    expect(tieAtCut([90, 80, 80], 1)).toBe(false);
    expect(tieAtCut([90, 80], 2)).toBe(false);
  });
  it("turns yuan into fen", () => {
    expect(yuanToFen(250000)).toBe(25_000_000);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen(-1)).toBeNaN();
    expect(yuanToFen(undefined)).toBeNaN();
  });
});

describe("a reviewer's seats", () => {
  const panel = [
    { member_id: "a", role: "finance" },
    { member_id: "b", role: "social_worker" },
  ];
  it("are only those their scope names", () => {
    expect(ownSeats(panel, ["b", "z"])).toEqual([{ member_id: "b", role: "social_worker" }]);
    expect(ownSeats(panel, [])).toEqual([]);
    expect(ownSeats(undefined, ["a"])).toEqual([]);
  });
  it("go declare → score → scored, or stop at a conflict", () => {
    const declarations = [
      { member_id: "a", application_id: "x", conflicted: false },
      { member_id: "b", application_id: "x", conflicted: true, statement: "理事" },
    ];
    expect(seatStep(declarationOf(declarations, "a", "y"), false)).toBe("declare");
    expect(seatStep(declarationOf(declarations, "a", "x"), false)).toBe("score");
    expect(seatStep(declarationOf(declarations, "a", "x"), true)).toBe("scored");
    expect(seatStep(declarationOf(declarations, "b", "x"), false)).toBe("conflicted");
  });
});
