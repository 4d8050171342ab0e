import { describe, expect, it } from "vitest";
import { guardianRows, householdRows } from "../src/household";

describe("a child's household on the file screen", () => {
  it("shows each parent's situation, a migrant parent's workplace and the economic status in Chinese", () => {
    const rows = householdRows({
      economic_status: "dibao",
      father: { status: "migrant", whereabouts: "银川市" },
      mother: { status: "at_home", whereabouts: null },
    });
    expect(rows).toEqual([
      { label: "父亲情况", value: "外出务工" },
      { label: "父亲务工地", value: "银川市" },
      { label: "母亲情况", value: "在家" },
      { label: "家庭经济状况", value: "低保家庭" },
    ]);
  });
  it("says a household not yet filled in is 未填写", () => {
    expect(householdRows(null)).toEqual([{ label: "家庭情况", value: "未填写" }]);
    expect(householdRows({})).toEqual([{ label: "家庭情况", value: "未填写" }]);
  });
  it("shows a masked value as the API gives it", () => {
    const rows = householdRows({ economic_status: "ordinary", father: { status: "migrant", whereabouts: "***" } });
    expect(rows[1]).toEqual({ label: "父亲务工地", value: "***" });
    expect(rows[2]).toEqual({ label: "母亲情况", value: "—" });
  });
});

describe("a child's guardian on the file screen", () => {
  it("shows who the guardian is and how they can care", () => {
    expect(guardianRows({ name: "王秀英", relation: "grandparent", age: 68, health: "fair", capacity: "limited" })).toEqual([
      { label: "监护人姓名", value: "王秀英" },
      { label: "与儿童关系", value: "祖父母 / 外祖父母" },
      { label: "监护人年龄", value: "68 岁" },
      { label: "监护人健康状况", value: "一般" },
      { label: "监护能力", value: "部分具备" },
    ]);
  });
  it("says a guardian not yet filled in is 未填写", () => {
    expect(guardianRows(null)).toEqual([{ label: "监护人", value: "未填写" }]);
  });
});
