import { describe, expect, it } from "vitest";
import {
  attendingText,
  countProblem,
  latestFirst,
  forceMajeureProblems,
  maySubmit,
  standingReport,
  standingText,
  summaryProblem,
  writtenReportBody,
  type WrittenReport,
} from "../src/provider";
import { fieldReason } from "../src/i18n/fieldErrors";

const generated = { year: 2026, quarter: 4, as_of_position: 42, content_hash: "a".repeat(64), children: { reached: 17 } };

function written(over: Partial<WrittenReport>): WrittenReport {
  return {
    report_id: "r",
    year: 2026,
    quarter: 4,
    summary: "s",
    submitted_on: "2026-12-01",
    status: "submitted",
    reason: null,
    reviewed_on: null,
    ...over,
  };
}

describe("the written report cites the generated report on screen", () => {
  it("takes the quarter and the citation from the generated report, the figures from its children", () => {
    expect(writtenReportBody(generated, "本季度按计划开展", "2026-12-05")).toEqual({
      year: 2026,
      quarter: 4,
      summary: "本季度按计划开展",
      submitted_on: "2026-12-05",
      figures: { children_reached: 17 },
      generated_report: { as_of_position: 42, content_hash: "a".repeat(64) },
    });
  });
  it("sends no date (today) and no figures when the report has none", () => {
    const body = writtenReportBody({ ...generated, children: undefined }, "x", null);
    expect(body.submitted_on).toBeNull();
    expect(body.figures).toBeNull();
  });
  it("refuses a blank or overlong report before sending", () => {
    expect(summaryProblem("  ")).toBe("请填写书面报告（本季度项目实施情况）");
    expect(summaryProblem("x".repeat(5001))).toBe("不能超过 5000 个字");
    expect(summaryProblem("按计划完成")).toBe("");
  });
});

describe("where a quarter's written report stands", () => {
  it("is the latest submitted for that quarter; other quarters do not count", () => {
    const reports = [
      written({ report_id: "old", status: "returned", reason: "数据不全", submitted_on: "2026-10-05" }),
      written({ report_id: "new", submitted_on: "2026-10-09" }),
      written({ report_id: "q3", quarter: 3, status: "accepted", submitted_on: "2026-10-01" }),
    ];
    expect(standingReport(reports, "2026-Q4")?.report_id).toBe("new");
    expect(standingReport(reports, "2026-Q3")?.report_id).toBe("q3");
    expect(standingReport(reports, "2026-Q2")).toBeUndefined();
  });
  it("takes a report while none stands or the bureau returned it", () => {
    expect(maySubmit(undefined)).toBe(true);
    expect(maySubmit(written({ status: "returned" }))).toBe(true);
    expect(maySubmit(written({ status: "submitted" }))).toBe(false);
    expect(maySubmit(written({ status: "accepted" }))).toBe(false);
  });
  it("says it in one line, with the bureau's reason for a return", () => {
    expect(standingText(undefined)).toBe("本季度尚未报送书面报告");
    expect(standingText(written({}))).toBe("已于 2026-12-01 报送，等待区民社局审核");
    expect(standingText(written({ status: "returned", reason: "缺少资金使用说明" }))).toBe(
      "区民社局已退回（缺少资金使用说明），请修改后重新报送",
    );
  });
});

describe("force majeure and supervision are checked before they are sent", () => {
  it("needs the event and its impact", () => {
    expect(forceMajeureProblems({ event: " ", impact: "道路中断" })).toEqual({ event: "请填写事件" });
    expect(forceMajeureProblems({ event: "洪水", impact: "" })).toEqual({ impact: "请填写对服务的影响" });
    expect(forceMajeureProblems({ event: "洪水", impact: "道路中断" })).toEqual({});
  });
  it("takes whole minutes and head counts within the rules' bounds", () => {
    expect(countProblem(null, 600)).toBe("必填");
    expect(countProblem(0, 600)).toBe("应在 1 到 600 之间");
    expect(countProblem(601, 600)).toBe("应在 1 到 600 之间");
    expect(countProblem(1.5, 600)).toBe("应为整数");
    expect(countProblem(90, 600)).toBe("");
  });
});

describe("the rules' refusals of the provider's contract work, in Chinese", () => {
  it("explains the written report's refusals", () => {
    expect(fieldReason("already has a report that is submitted")).toBe("该季度已有已提交的书面报告，不能重复报送");
    expect(fieldReason("the quarter has not begun")).toBe("该季度尚未开始，不能报送");
    expect(fieldReason("content_hash does not match the 2026-Q4 report regenerated at position 12")).toBe(
      "报告数据已变化：请重新读取本季度报告后再报送",
    );
  });
  it("says why the project cannot be transferred", () => {
    expect(
      fieldReason(
        "the project may not be transferred or subcontracted to another organisation or person; if it cannot be carried out, report force majeure to the bureau",
      ),
    ).toBe("项目不得转让或分包给其他机构或个人；确实无法履行的，请向区民社局报告不可抗力");
  });
  it("explains the supervision refusals", () => {
    expect(fieldReason("cross-learning brings together directors of two or more villages")).toBe(
      "交流学习须有两个以上村（社区）的儿童主任参加",
    );
    expect(fieldReason("is outside the contract's service period (2026-12-01 to 2027-11-30)")).toBe(
      "不在合同服务期内（2026-12-01 至 2027-11-30）",
    );
  });
});

describe("the sessions held are listed on the supervision screen", () => {
  const directors = [
    { director_id: "d1", town: "滨河镇", village: "新北村", name: "李主任" },
    { director_id: "d2", town: "迎水桥镇", village: "沙坡头村", name: "马主任" },
  ];
  it("names the directors attending, by village and name", () => {
    expect(attendingText(["d1", "d2"], directors)).toBe("新北村 李主任、沙坡头村 马主任");
  });
  it("still counts a director the list does not hold", () => {
    expect(attendingText(["d1", "d9"], directors)).toBe("新北村 李主任、（未列出的儿童主任）");
    expect(attendingText([], directors)).toBe("—");
  });
  it("lists the latest session first", () => {
    const rows = [{ held_on: "2026-10-02", id: "a" }, { held_on: "2026-11-20", id: "b" }, { held_on: "2026-09-01", id: "c" }];
    expect(latestFirst(rows).map((r) => r.id)).toEqual(["b", "a", "c"]);
    expect(rows.map((r) => r.id)).toEqual(["a", "b", "c"]);
  });
});
