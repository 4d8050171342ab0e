import { describe, expect, it } from "vitest";
import {
  correctableFields,
  correctionValue,
  draftFrom,
  emptyDraft,
  fileHistory,
  placeCorrectionErrors,
  reachVia,
  reasonLines,
  similarity,
  suggestedSurvivor,
  valueKind,
} from "../src/registry";
import { fieldErrors } from "../src/i18n/fieldErrors";

describe("which facts a correction offers", () => {
  it("offers the bureau every fact, a village director all but the town and village", () => {
    const bureau = correctableFields(true).map((f) => f.value);
    const director = correctableFields(false).map((f) => f.value);
    expect(bureau).toContain("village");
    expect(director).not.toContain("town");
    expect(director).not.toContain("village");
    expect(director).toContain("name");
    expect(bureau.length - director.length).toBe(2);
  });
  it("labels each fact in Chinese", () => {
    expect(correctableFields(true).find((f) => f.value === "date_of_birth")?.label).toBe("出生年月");
  });
});

describe("the correction's value", () => {
  const file = {
    name: "王小明",
    date_of_birth: "2015-03-02",
    categories: ["left_behind"],
    school: "新北小学",
    household: { father: { status: "migrant", whereabouts: "银川" }, mother: { status: "at_home" }, economic_status: "dibao" },
    guardian: { name: "王奶奶", relation: "grandparent", age: 66, health: "fair", capacity: "limited" },
  };

  it("starts from the file's current value", () => {
    expect(draftFrom(file, "name").text).toBe("王小明");
    expect(draftFrom(file, "date_of_birth").date).toBe("2015-03-02");
    expect(draftFrom(file, "categories").choices).toEqual(["left_behind"]);
    const household = draftFrom(file, "household");
    expect([household.father_status, household.father_whereabouts, household.economic_status]).toEqual(["migrant", "银川", "dibao"]);
    expect(draftFrom(file, "guardian").guardian_age).toBe(66);
    expect(draftFrom(null, "name")).toEqual(emptyDraft());
  });

  it("is shaped as at registration, a list copied and not shared with the form", () => {
    const draft = draftFrom(file, "categories");
    const value = correctionValue("categories", draft) as string[];
    expect(value).toEqual(["left_behind"]);
    draft.choices.push("distressed");
    expect(value).toEqual(["left_behind"]);
    expect(correctionValue("name", { ...emptyDraft(), text: "  王晓明 " })).toBe("王晓明");
  });

  it("sends an emptied optional fact as null, a required one as typed for the API to refuse", () => {
    expect(correctionValue("school", emptyDraft())).toBeNull();
    expect(correctionValue("id_number", { ...emptyDraft(), text: "  " })).toBeNull();
    expect(correctionValue("household", emptyDraft())).toBeNull();
    expect(correctionValue("guardian", emptyDraft())).toBeNull();
    expect(correctionValue("name", emptyDraft())).toBe("");
  });

  it("keeps a migrant parent's place of work and drops it for a parent at home", () => {
    const draft = { ...draftFrom(file, "household"), mother_whereabouts: "石嘴山" };
    expect(correctionValue("household", draft)).toEqual({
      father: { status: "migrant", whereabouts: "银川" },
      mother: { status: "at_home", whereabouts: undefined },
      economic_status: "dibao",
    });
  });

  it("fills each kind of fact in its own way", () => {
    expect(valueKind("gender")).toBe("choice");
    expect(valueKind("distress_reasons")).toBe("choices");
    expect(valueKind("mental_health")).toBe("mental_health");
    expect(valueKind("school")).toBe("text");
  });
});

describe("a refused correction, at its field", () => {
  it("puts the shape's errors under the value and its parts", () => {
    const fields = fieldErrors({ value: { father: { status: ["Must be one of: at_home, migrant."] } }, reason: ["Shorter than minimum length 1."] });
    const placed = placeCorrectionErrors(fields, "household");
    expect(placed.parts["father.status"]).toBe("请从选项中选择");
    expect(placed.reason).toBe("不能为空");
    expect(placed.others).toEqual([]);
  });
  it("puts a rule on the corrected fact under the value, and one it breaks elsewhere with that fact's name", () => {
    const fields = fieldErrors({
      categories: ["left_behind applies only to children under 16"],
      household: ["left_behind and unattended (and poverty) need the household (each parent's status)"],
    });
    const placed = placeCorrectionErrors(fields, "categories");
    expect(placed.value).toBe("留守儿童须未满16周岁");
    expect(placed.others).toEqual(["家庭情况：请填写家庭情况（父母情况和家庭经济状况）"]);
  });
  it("says a closed file and an unchanged value in Chinese", () => {
    const closed = placeCorrectionErrors(fieldErrors({ child_id: ["the file is closed (transferred_out); nothing more can be recorded"] }), "name");
    expect(closed.others).toEqual(["档案：该档案已转出，不能再办理"]);
    const same = placeCorrectionErrors(fieldErrors({ value: ["is the same as the current value"] }), "name");
    expect(same.value).toBe("与档案中现有内容相同，无需更正");
  });
  it("tells a director that moving a child is the bureau's", () => {
    const placed = placeCorrectionErrors(fieldErrors({ field: ["child directors cannot correct village; ask the bureau"] }), "village");
    expect(placed.field).toContain("区民政局");
  });
});

describe("a file's history", () => {
  const changes = [
    { version: 1, event: "registered", at: "2026-01-02T01:00:00+00:00", actor: { id: "admin", role: "bureau_admin" }, reason: null, data: { name: "王小明", town: "滨河镇", village: "新北村" } },
    { version: 2, event: "corrected", at: "2026-02-03T01:00:00+00:00", actor: { id: "li", role: "child_director" }, reason: "户口本核对", data: { field: "name", old: "王小名", new: "王小明" } },
    { version: 3, event: "aged_out", at: "2026-03-01T00:00:00+00:00", actor: { id: "system", role: "system" }, data: {} },
  ];
  it("reads newest first, each change in a sentence with who and why", () => {
    const rows = fileHistory(changes);
    expect(rows.map((r) => r.what)).toEqual(["年满十八周岁", "更正", "建档"]);
    expect(rows[1]).toMatchObject({ who: "li", role: "儿童主任", detail: "姓名：王小名 → 王小明", reason: "户口本核对" });
    expect(rows[0]).toMatchObject({ who: "系统", role: "" });
    expect(rows[2].detail).toBe("王小明 滨河镇新北村");
  });
  it("is empty for no changes", () => {
    expect(fileHistory(undefined)).toEqual([]);
  });
});

describe("candidate duplicates", () => {
  it("shows the score as a percentage", () => {
    expect(similarity(0.874)).toBe("87%");
    expect(similarity(undefined)).toBe("0%");
  });
  it("suggests keeping the older file, then the one with more work recorded", () => {
    expect(suggestedSurvivor({ registered_on: "2026-03-01" }, { registered_on: "2025-11-20" })).toBe("second");
    expect(suggestedSurvivor({ registered_on: "2025-01-01", visits: 0 }, { registered_on: "2025-01-01", visits: 2 })).toBe("second");
    expect(suggestedSurvivor({ registered_on: "2025-01-01", visits: 1 }, { registered_on: "2025-01-01", help_records: 1 })).toBe("first");
  });
});

describe("small readings", () => {
  it("takes reasons one a line, blank lines dropped", () => {
    expect(reasonLines(" 父母外出务工\n\n 祖母年迈 \r\n")).toEqual(["父母外出务工", "祖母年迈"]);
  });
  it("says how a contract reaches a child", () => {
    expect(reachVia("service_area")).toBe("服务区域覆盖");
    expect(reachVia("referral")).toBe("转介");
  });
});
