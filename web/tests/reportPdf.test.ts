import { describe, expect, it } from "vitest";
import { reportPdfHref } from "../src/reportPdf";

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
