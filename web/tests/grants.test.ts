import { describe, expect, it } from "vitest";
import {
  budgetGap,
  complete,
  declarationOf,
  failingReasons,
  formatScore,
  parseScore,
  missingRoles,
  oneYearEnd,
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
import { fieldReason } from "../src/i18n/fieldErrors";
import { ruleReason } from "../src/i18n/ruleReasons";

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

describe("the grants rules' refusals, in Chinese next to the field", () => {
  it("names the failed rules and the panel's missing roles in Chinese", () => {
    expect(fieldReason("cannot pass an ineligible application; failing rules: annual_inspections, documents")).toBe(
      "不符合资格条件，不能通过初审（未通过：年检结果、申报材料）",
    );
    expect(fieldReason("the panel has no member for: finance, social_worker")).toBe("评审小组尚缺：财务代表、社工代表");
  });
  it("says why the determination waits", () => {
    expect(fieldReason("1 objection(s) still open; resolve them first")).toBe("还有 1 条异议未处理，处理完毕后才能确定");
    expect(fieldReason("the public notice runs until 2026-11-14; determine from 2026-11-15")).toBe(
      "公示期至 2026-11-14，2026-11-15 起才能确定",
    );
  });
  it("says the reviewer must declare first, and within the review window", () => {
    expect(fieldReason("must declare any conflict of interest with this application before scoring")).toBe("评分前须先申报利益关系");
    expect(fieldReason("outside the review window 2026-11-07 to 2026-11-26")).toBe("不在评审期内（2026-11-07 至 2026-11-26）");
    expect(fieldReason("applications tie at place 2; the panel must separate them by rescoring")).toBe(
      "第 2 名同分，请评审小组重新评分区分",
    );
  });
});

describe("eligibility's reasons in Chinese", () => {
  it("says each rule's reason as the bureau and the applicant read it", () => {
    expect(ruleReason("registered with civil affairs as social_group (51)")).toBe("已在民政部门登记为社会团体（51）");
    expect(ruleReason("annual inspections not passed: 2024: no annual inspection on record; 2025: inspection result unqualified")).toBe(
      "年检未通过：2024年无年检记录；2025年年检结果为不合格",
    );
    expect(ruleReason("annual inspections qualified for 2024, 2025")).toBe("2024年、2025年年检合格");
    expect(
      ruleReason(
        "no misconduct or credit-list entries for the organisation, the legal representative, the project lead; credit lists checked for the organisation",
      ),
    ).toBe("机构、法定代表人、项目负责人无违法违规或失信记录；已查询信用名单：机构");
    expect(ruleReason("independent account at 宁夏银行中卫分行 with opening permit")).toBe("在宁夏银行中卫分行开立独立账户，有开户许可证");
    expect(ruleReason("no public-benefit project with a good outcome on record")).toBe("无实施效果良好的公益项目记录");
  });
  it("says each part of a reason that joins several problems", () => {
    expect(ruleReason("has no written financial rules; accountant has no stated qualification")).toBe(
      "无书面财务管理制度；会计人员无资质说明",
    );
    expect(ruleReason("missing documents: bank_account_documents, accountant_qualification")).toBe(
      "缺少材料：银行开户材料、会计人员资格",
    );
    expect(
      ruleReason(
        "bad records: the legal representative is on 信用中国严重失信主体名单 (checked 2026-10-01); no credit-list check of the organisation verified by the bureau",
      ),
    ).toBe("不良记录：法定代表人列入信用中国严重失信主体名单（2026-10-01 查询）；无经民政局核实的机构信用名单查询");
  });
  it("keeps a reason it does not know in the service's words", () => {
    expect(ruleReason("something new")).toBe("something new");
    expect(ruleReason("has no written financial rules; something new")).toBe("has no written financial rules; something new");
  });
});

describe("the plan and the contract's term", () => {
  it("shows what the optimised plan still lacks of the determined amount", () => {
    const lines = [
      { line: "人员经费", amount_fen: 15_000_000 },
      { line: "活动经费", amount_fen: 9_000_000 },
    ];
    expect(budgetGap(lines, 25_000_000)).toBe(1_000_000);
    expect(budgetGap([...lines, { line: "督导", amount_fen: 1_000_000 }], 25_000_000)).toBe(0);
    expect(budgetGap([{ line: "x", amount_fen: NaN }], 100)).toBe(100);
  });
  it("runs one year, to the day before the anniversary", () => {
    expect(oneYearEnd("2025-07-01")).toBe("2026-06-30");
    expect(oneYearEnd("2026-01-01")).toBe("2026-12-31");
    expect(oneYearEnd("2028-02-29")).toBe("2029-02-28");
    expect(oneYearEnd("2027-03-01")).toBe("2028-02-29");
  });
});

describe("the contract's refusals, in Chinese", () => {
  it("says a returned report and a reinstatement need their reasons", () => {
    expect(fieldReason("a returned report needs a reason")).toBe("退回报告须写明理由");
    expect(fieldReason("say why the contract is reinstated")).toBe("请写明恢复理由");
  });
});
