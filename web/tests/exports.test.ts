import { describe, expect, it } from "vitest";
import { exportHref } from "../src/exports";

describe("exportHref", () => {
  it("keeps the filters that are set and drops empty ones", () => {
    expect(exportHref("/cases/export.xlsx", { contract_id: "c-1", status: "", flagged: undefined })).toBe(
      "/cases/export.xlsx?contract_id=c-1",
    );
  });
  it("encodes values and leaves a bare path without a query", () => {
    expect(exportHref("/care-services/export.xlsx")).toBe("/care-services/export.xlsx");
    expect(exportHref("/x", { as_of_position: 0, village: "新北村" })).toBe("/x?as_of_position=0&village=%E6%96%B0%E5%8C%97%E6%9D%91");
  });
});
