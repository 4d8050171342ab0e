import { describe, expect, it } from "vitest";
import { citedReportHrefs, reportPdfHref } from "../src/reportPdf";

describe("reportPdfHref", () => {
  it("names the contract, the quarter and the position of the report on screen", () => {
    expect(reportPdfHref("c-1", "2025-Q3", 53)).toBe("/contracts/c-1/reports/quarterly/2025-Q3.pdf?as_of_position=53");
  });
  it("keeps position 0 and leaves the position out when none is known", () => {
    expect(reportPdfHref("c-1", "2025-Q3", 0)).toBe("/contracts/c-1/reports/quarterly/2025-Q3.pdf?as_of_position=0");
    expect(reportPdfHref("c-1", "2025-Q3")).toBe("/contracts/c-1/reports/quarterly/2025-Q3.pdf");
  });
  it("escapes what it puts in the path", () => {
    expect(reportPdfHref("a/b", "2025-Q3")).toBe("/contracts/a%2Fb/reports/quarterly/2025-Q3.pdf");
  });
});

describe("the generated report a written report cites", () => {
  it("links the PDF and the .xlsx at the cited log position", () => {
    const written = { year: 2026, quarter: 4, generated_report: { as_of_position: 42 } };
    expect(citedReportHrefs("c-1", written)).toEqual({
      pdf: "/contracts/c-1/reports/quarterly/2026-Q4.pdf?as_of_position=42",
      xlsx: "/contracts/c-1/reports/quarterly/2026-Q4/export.xlsx?as_of_position=42",
    });
  });
  it("has none for a report submitted before citations", () => {
    expect(citedReportHrefs("c-1", { year: 2025, quarter: 3, generated_report: null })).toBeNull();
    expect(citedReportHrefs("c-1", { year: 2025, quarter: 3 })).toBeNull();
  });
});
