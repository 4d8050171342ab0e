import { describe, expect, it } from "vitest";
import { columnLabel, percentDone, problemLines } from "../src/roster";

describe("the roster import screen", () => {
  it("shows each problem in Chinese with the roster's column", () => {
    const lines = problemLines([
      { row: 4, problems: [{ code: "ROW_ID_NUMBER_CHECKSUM", field: "id_number", message: "check character" }] },
      { row: 9, problems: [{ code: "ROW_MISSING_FIELD", field: "household.father.status", message: "is required" }] },
    ]);
    expect(lines).toEqual([
      { row: 4, field: "身份证号", problem: "身份证号校验码不对", detail: "check character" },
      { row: 9, field: "父亲状况", problem: "必填项为空", detail: "is required" },
    ]);
  });

  it("names the village column as the roster does", () => {
    expect(columnLabel("village")).toBe("村（社区）");
  });

  it("counts progress by rows done", () => {
    expect(percentDone({ rows: 200, rows_done: 50 })).toBe(25);
    expect(percentDone({ rows: 0, rows_done: 0 })).toBe(100);
    expect(percentDone(undefined)).toBe(0);
  });
});
