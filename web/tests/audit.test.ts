import { describe, expect, it } from "vitest";
import {
  accessOutcome,
  brokenRecord,
  fieldName,
  readablePath,
  endOfDayInShanghai,
  explainHistory,
  isAuditedService,
  reasonText,
  recordId,
  serviceName,
  showValue,
  verdict,
  type HistoryEvent,
} from "../src/audit";

describe("verdict", () => {
  it("says a whole chain is green with what was checked and what waits for its seal", () => {
    const v = verdict({ ok: true, checked: 12, sealed_position: 10, unsealed: 2 });
    expect(v.ok).toBe(true);
    expect(v.title).toBe("链完整");
    expect(v.detail).toBe("已核验 12 条，已封存至第 10 条，另有 2 条待封存");
  });

  it("says a broken chain is red at the position where it breaks and why", () => {
    const v = verdict({
      ok: false,
      checked: 3,
      sealed_position: 10,
      unsealed: 0,
      broken_at: 4,
      reason: "altered: the stored event differs from what was sealed",
    });
    expect(v.ok).toBe(false);
    expect(v.title).toBe("在第 4 条断裂");
    expect(v.detail).toContain("内容被改动");
  });

  it("translates each kind of break and keeps an unknown reason as the API said it", () => {
    expect(reasonText("deleted: a sealed event is missing")).toBe("已封存的记录被删除");
    expect(reasonText("inserted: an event inside the sealed range was never sealed")).toContain("插入");
    expect(reasonText("reordered or replaced: this is not the event sealed at this position")).toContain("调换");
    expect(reasonText("forged: bad MAC")).toContain("伪造");
    expect(reasonText("rolled back or rewritten: the chain differs from the anchor")).toContain("回滚");
    expect(reasonText("something new")).toBe("something new");
    expect(reasonText(null)).toBe("原因不明");
  });

  it("names the record at the break, when the API knows it", () => {
    const base = { ok: false, checked: 1, sealed_position: 1, unsealed: 0 };
    expect(brokenRecord({ ...base, record: { aggregate_id: "a1", version: 2 } })).toEqual({ id: "a1", version: 2 });
    expect(brokenRecord({ ...base, record: null })).toBeNull();
    expect(brokenRecord(base)).toBeNull();
  });
});

describe("explainHistory", () => {
  const event = (version: number, data: Record<string, unknown>, extra: Partial<HistoryEvent> = {}): HistoryEvent => ({
    version,
    event: `Child.E${version}`,
    at: "2026-03-01T00:00:00Z",
    actor_id: "admin",
    actor_role: "bureau_admin",
    data,
    ...extra,
  });

  it("shows each field's value before and after, only where it changed, and the reason apart", () => {
    const explained = explainHistory([
      event(2, { level: 1, reasons: ["父母外出", "祖母年迈"], timestamp: "x" }),
      event(1, { name: "李小花", level: 3 }),
      event(3, { level: 1, village: "A 村", reason: "搬家" }),
    ]);
    expect(explained.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(explained[0].changes).toEqual([
      { field: "name", before: undefined, after: "李小花", first: true },
      { field: "level", before: undefined, after: 3, first: true },
    ]);
    expect(explained[1].changes).toEqual([{ field: "level", before: 3, after: 1, first: false }]);
    expect(explained[1].why).toBe("父母外出；祖母年迈");
    // level unchanged at version 3: not listed as a change
    expect(explained[2].changes).toEqual([{ field: "village", before: undefined, after: "A 村", first: true }]);
    expect(explained[2].why).toBe("搬家");
  });

  it("compares lists and objects by value", () => {
    const explained = explainHistory([event(1, { tags: ["a"] }), event(2, { tags: ["a"] }), event(3, { tags: ["a", "b"] })]);
    expect(explained[1].changes).toEqual([]);
    expect(explained[2].changes[0]).toMatchObject({ before: ["a"], after: ["a", "b"] });
  });
});

describe("values and inputs", () => {
  it("shows values as an auditor reads them", () => {
    expect(showValue(null)).toBe("—");
    expect(showValue("")).toBe("—");
    expect(showValue(true)).toBe("是");
    expect(showValue(["a", "b"])).toBe("a、b");
    expect(showValue([])).toBe("—");
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue(0)).toBe("0");
    expect(showValue("male")).toBe("男");
    expect(showValue(["left_behind"])).toBe("留守儿童");
    expect(showValue("李小花")).toBe("李小花");
  });

  it("names the common fields in Chinese and keeps others by their API name", () => {
    expect(fieldName("date_of_birth")).toBe("出生年月");
    expect(fieldName("brand_new_field")).toBe("brand_new_field");
  });

  it("says what became of each logged read", () => {
    expect(accessOutcome(200)).toEqual({ text: "已查看", refused: false });
    expect(accessOutcome(403)).toEqual({ text: "被拒绝", refused: true });
    expect(accessOutcome(404)).toEqual({ text: "未找到", refused: true });
    expect(accessOutcome(500).text).toBe("未成功（500）");
    expect(readablePath("/a?as_of=2026-12-05T23%3A59%3A59%2B08%3A00")).toBe("/a?as_of=2026-12-05T23:59:59+08:00");
    expect(readablePath("/bad%E0%A4%A")).toBe("/bad%E0%A4%A");
  });

  it("takes a chosen date as the end of that day in Beijing time", () => {
    expect(endOfDayInShanghai("2026-03-05")).toBe("2026-03-05T23:59:59.999+08:00");
    expect(() => endOfDayInShanghai("2026-3-5")).toThrow();
  });

  it("accepts a record number as pasted and refuses what is not one", () => {
    expect(recordId("  3F2B0C1D-0000-4000-8000-00000000ABCD ")).toBe("3f2b0c1d-0000-4000-8000-00000000abcd");
    expect(recordId("3f2b0c1d")).toBeNull();
    expect(recordId("")).toBeNull();
  });

  it("knows the audited services by their Chinese names", () => {
    expect(serviceName("registry")).toBe("儿童档案");
    expect(isAuditedService("gateway")).toBe(true);
    expect(isAuditedService("nosuch")).toBe(false);
    expect(serviceName("nosuch")).toBe("nosuch");
  });
});
