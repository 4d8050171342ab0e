import { describe, expect, it } from "vitest";
import { usePages } from "../src/loading";

type Row = { id: number };

describe("usePages", () => {
  it("reads the first page, then the next one after its cursor", async () => {
    const asked: (string | null)[] = [];
    const { list, load } = usePages<Row>(async (cursor) => {
      asked.push(cursor);
      return cursor ? { data: { items: [{ id: 3 }], next_cursor: null } } : { data: { items: [{ id: 1 }, { id: 2 }], next_cursor: "2" } };
    });
    await load();
    expect(list.items.map((r) => r.id)).toEqual([1, 2]);
    expect(list.next).toBe("2");
    await load(true);
    expect(list.items.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(list.next).toBeNull();
    expect(asked).toEqual([null, "2"]);
  });

  it("leaves a refused filter's reason in Chinese under its parameter, and clears it on the next read", async () => {
    let refuse = true;
    const { list, load } = usePages<Row>(async () =>
      refuse
        ? { error: { error: "VALIDATION_FAILED", fields: { as_of: ["is after today (2026-12-06): a register cannot be rebuilt ahead of its log"] } } }
        : { data: { items: [], next_cursor: null } },
    );
    await load();
    expect(list.fields.as_of).toContain("不能晚于今天（2026-12-06）");
    expect(list.error).not.toBe("");
    expect(list.items).toEqual([]);
    refuse = false;
    await load();
    expect(list.fields).toEqual({});
    expect(list.error).toBe("");
  });
});
