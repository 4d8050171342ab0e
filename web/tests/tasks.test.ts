import { describe, expect, it } from "vitest";
import { pageOf } from "../src/tasks";

const id = "0b9b6a36-2a4e-4c55-9d1e-2f4a5b6c7d8e";
const director = { director: true, worker: false, contractId: "" };
const worker = { director: false, worker: true, contractId: id };

describe("where a to-do item opens", () => {
  it("opens a child's file for the director and the social worker", () => {
    const visit = { kind: "visit", link: `/children/${id}` };
    expect(pageOf(visit, director)).toBe(`/children/${id}`);
    expect(pageOf(visit, worker)).toBe(`/children/${id}`);
    expect(pageOf(visit, { director: false, worker: false, contractId: "" })).toBe("");
  });
  it("opens a case goal or review on the social worker's case screen only", () => {
    for (const kind of ["case_goal", "case_review"]) {
      expect(pageOf({ kind, link: `/cases/${id}` }, worker)).toBe(`/cases/${id}`);
      expect(pageOf({ kind, link: `/cases/${id}` }, director)).toBe("");
    }
  });
  it("opens a quarterly report only under the contract being worked on", () => {
    const report = { kind: "quarterly_report", link: `/contracts/${id}`, contract_id: id };
    expect(pageOf(report, worker)).toBe("/report");
    expect(pageOf(report, { ...worker, contractId: "" })).toBe("");
    expect(pageOf({ ...report, contract_id: "other" }, worker)).toBe("");
  });
  it("gives no link where the app has no screen", () => {
    expect(pageOf({ kind: "evaluation", link: `/contracts/${id}`, contract_id: id }, worker)).toBe("");
    expect(pageOf({ kind: "tranche_payment", link: `/contracts/${id}/funding` }, worker)).toBe("");
    expect(pageOf({ kind: "objection", link: `/public-notices/${id}` }, director)).toBe("");
    expect(pageOf({ kind: "case_goal", link: "/cases/../contracts" }, worker)).toBe("");
  });
});
