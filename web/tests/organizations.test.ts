import { describe, expect, it } from "vitest";
import {
  acceptsApplications,
  awaitingVerification,
  blankEvidence,
  creditCodeProblem,
  documentProblems,
  documentsBody,
  evidenceBody,
  evidenceSummary,
  fenOf,
  mayApply,
  mayDisqualify,
  mayWithdraw,
  overBudget,
  proposalBody,
  registrationTypeOf,
  uncoveredLines,
  type Evidence,
  type ProposalForm,
} from "../src/organizations";
import { fieldReason } from "../src/i18n/fieldErrors";

// Codes made by tests/support/grants.py credit_code() (GB 32100 with the GB 11714 part).
const NPO = "52640502MJ0000018H";
const GROUP = "51640502MJ0000026F";
const COMPANY = "91640502MJ00000346";

describe("the unified social credit code, checked as typed", () => {
  it("accepts valid codes, typed in lower case or with spaces", () => {
    expect(creditCodeProblem(NPO)).toBe("");
    expect(creditCodeProblem(` ${GROUP.toLowerCase()} `)).toBe("");
  });
  it("says what is wrong, in Chinese", () => {
    expect(creditCodeProblem(NPO.slice(0, 17))).toBe("统一社会信用代码应为 18 位");
    expect(creditCodeProblem(NPO.slice(0, 17) + "I")).toBe("含有不允许的字符（不使用 I、O、S、V、Z）");
    expect(creditCodeProblem("52AB0502MJ0000018H")).toBe("第 3–8 位应为行政区划代码（数字）");
    expect(creditCodeProblem("52640502MJ0000019H")).toBe("组织机构代码（第 9–17 位）校验不符");
    expect(creditCodeProblem("52640502MJ0000018J")).toBe("校验码（第 18 位）不符，请核对");
  });
  it("reads the registration type, and only 51 and 52 may apply", () => {
    expect(registrationTypeOf(NPO)).toBe("private_non_enterprise");
    expect(registrationTypeOf(GROUP)).toBe("social_group");
    expect(registrationTypeOf(COMPANY)).toBe("not_civil_affairs");
    expect(registrationTypeOf("53640502MJ0000018H")).toBe("foundation");
    expect([NPO, GROUP, COMPANY].map((c) => mayApply(registrationTypeOf(c)))).toEqual([true, true, false]);
  });
});

describe("evidence", () => {
  it("sends only the fields its kind carries, blanks left out", () => {
    const form = { ...blankEvidence("credit_check"), effective_on: "2026-05-09", list_name: " 信用中国严重失信主体名单 ", subject: "organisation", result: "clear", year: 2024, title: "left over" };
    expect(evidenceBody(form)).toEqual({
      kind: "credit_check",
      effective_on: "2026-05-09",
      list_name: "信用中国严重失信主体名单",
      subject: "organisation",
      result: "clear",
    });
    const inspection = { ...blankEvidence("annual_inspection"), effective_on: "2025-04-30", year: 2024, result: "qualified", document_ref: "年检.pdf" };
    expect(evidenceBody(inspection)).toEqual({ kind: "annual_inspection", effective_on: "2025-04-30", year: 2024, result: "qualified", document_ref: "年检.pdf" });
  });
  it("lists what still waits for the bureau's verification", () => {
    const items = [
      { evidence_id: "a", kind: "honour", effective_on: "2025-01-01", status: "verified", verification: null },
      { evidence_id: "b", kind: "honour", effective_on: "2025-01-02", status: "submitted", verification: null },
      { evidence_id: "c", kind: "honour", effective_on: "2025-01-03", status: "rejected", verification: null },
    ] as Evidence[];
    expect(awaitingVerification(items).map((e) => e.evidence_id)).toEqual(["b"]);
    expect(awaitingVerification(undefined)).toEqual([]);
  });
  it("says an item in a line, with the words each field means there", () => {
    const base = { evidence_id: "x", effective_on: "2025-04-30", status: "verified", verification: null };
    expect(evidenceSummary({ ...base, kind: "annual_inspection", year: 2024, result: "qualified" })).toBe("2024年 合格");
    expect(evidenceSummary({ ...base, kind: "credit_check", list_name: "信用中国", subject: "legal_representative", result: "listed" })).toBe(
      "信用中国：法定代表人 已列入",
    );
    expect(evidenceSummary({ ...base, kind: "evaluation_grade", grade: 4, valid_until: "2029-12-31" })).toBe("4A，有效期至 2029-12-31");
  });
  it("explains the service's refusals in Chinese", () => {
    expect(fieldReason("is required for credit_check evidence")).toBe("必填");
    expect(fieldReason("does not apply to honour evidence")).toBe("此类材料不填此项");
    expect(fieldReason("was already verified")).toBe("该材料已核实，每项材料只核实一次");
    expect(fieldReason("say why the evidence is rejected")).toBe("驳回须写明理由（申报机构可见）");
    expect(fieldReason("check character does not match (GB 32100)")).toBe("校验码（第 18 位）不符，请核对");
  });
});

describe("an application", () => {
  const call = { status: "published", submission_opens: "2026-05-13", submission_closes: "2026-05-31" };
  it("is taken only by a published call within its window", () => {
    expect(acceptsApplications(call, "2026-05-13")).toBe(true);
    expect(acceptsApplications(call, "2026-05-31")).toBe(true);
    expect(acceptsApplications(call, "2026-06-01")).toBe(false);
    expect(acceptsApplications(call, "2026-05-12")).toBe(false);
    expect(acceptsApplications({ ...call, status: "closed" }, "2026-05-20")).toBe(false);
  });
  it("must have an activity for every line of the call", () => {
    const activities = [
      { service_line: "life_care", description: "节日探访" },
      { service_line: "safety_education", description: "  " },
    ];
    expect(uncoveredLines(["life_care", "safety_education", "screening_and_files"], activities)).toEqual([
      "safety_education",
      "screening_and_files",
    ]);
  });
  it("reads yuan as typed and says how far a budget goes over the call's", () => {
    expect(fenOf("1,500.5")).toBe(150050);
    expect(fenOf("250000元")).toBe(25000000);
    expect(fenOf("")).toBeNull();
    expect(fenOf("1.234")).toBeNaN();
    expect(overBudget([{ amount_fen: 15_000_000 }, { amount_fen: 11_000_000 }], 25_000_000)).toBe(1_000_000);
    expect(overBudget([{ amount_fen: 10_000_000 }], 25_000_000)).toBe(0);
  });
  it("sends the proposal as the API takes it", () => {
    const form: ProposalForm = {
      summary: " 需求 ",
      data_points: [
        { indicator: "困境儿童人数", value: "412", source: "台账" },
        { indicator: "", value: "", source: "" },
      ],
      target_group: "儿童",
      objectives: "一人一档全覆盖\n\n 每月一主题 ",
      activities: [
        { service_line: "life_care", description: "探访" },
        { service_line: "safety_education", description: "" },
      ],
      budget_lines: [
        { line: "人员经费", yuan: "150,000" },
        { line: "活动经费", yuan: "abc" },
        { line: "", yuan: "" },
      ],
      schedule: [{ milestone: "摸底建档完成", due: "2026-09-30" }],
      evaluation_standard: "按季度考核",
      team: [{ name: "王强", role: "项目负责人", qualifications: "" }],
    };
    expect(proposalBody(form)).toEqual({
      needs_analysis: { summary: "需求", data_points: [{ indicator: "困境儿童人数", value: "412", source: "台账" }] },
      target_group: "儿童",
      objectives: ["一人一档全覆盖", "每月一主题"],
      activities: [{ service_line: "life_care", description: "探访" }],
      budget_lines: [
        { line: "人员经费", amount_fen: 15_000_000 },
        { line: "活动经费", amount_fen: -1 },
      ],
      schedule: [{ milestone: "摸底建档完成", due: "2026-09-30" }],
      evaluation_standard: "按季度考核",
      team: [{ name: "王强", role: "项目负责人", qualifications: "" }],
    });
  });
  it("names the documents still missing and an unsigned form", () => {
    const docs = [
      { kind: "application_form", reference: "申报书.pdf", signed_and_sealed: false },
      { kind: "registration_certificate", reference: "登记证书.pdf", signed_and_sealed: true },
      { kind: "bank_account_documents", reference: "", signed_and_sealed: false },
      { kind: "accountant_qualification", reference: "", signed_and_sealed: false },
    ];
    expect(documentProblems(docs)).toEqual({ missing: ["bank_account_documents", "accountant_qualification"], unsigned: true });
    expect(documentsBody(docs)).toEqual([
      { kind: "application_form", reference: "申报书.pdf", signed_and_sealed: false },
      { kind: "registration_certificate", reference: "登记证书.pdf", signed_and_sealed: false },
    ]);
  });
  it("may be withdrawn before the contract, and disqualified after a rejection too", () => {
    expect(mayWithdraw("submitted")).toBe(true);
    expect(mayWithdraw("contracted")).toBe(false);
    expect(mayWithdraw("rejected")).toBe(false);
    expect(mayDisqualify("rejected")).toBe(true);
    expect(mayDisqualify("withdrawn")).toBe(true);
    expect(mayDisqualify("disqualified")).toBe(false);
    expect(mayDisqualify("contracted")).toBe(false);
  });
  it("explains the service's refusals of a proposal in Chinese", () => {
    expect(fieldReason("total 26000000 fen exceeds the call's budget 25000000 fen")).toBe("预算合计 260,000.00 元，超过公告预算 250,000.00 元");
    expect(fieldReason("no activities for: life_care, safety_education")).toBe("以下服务内容尚无活动安排：生活关爱服务、安全教育引导");
    expect(fieldReason("outside the submission window 2026-05-13 to 2026-05-31")).toBe("不在申报期内（2026-05-13 至 2026-05-31）");
    expect(fieldReason("a disqualification must say what was found")).toBe("请写明查实的情况");
    expect(fieldReason("closing a call needs a reason")).toBe("请写明关闭理由");
  });
});
