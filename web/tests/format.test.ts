import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMoney, todayInShanghai } from "../src/format";

describe("dates on the programme's calendar (Asia/Shanghai)", () => {
  it("writes a calendar date as it is, in Chinese", () => {
    expect(formatDate("2026-03-05")).toBe("2026年03月05日");
  });
  it("puts an instant on Beijing time, whatever the device's zone", () => {
    // 17:30 UTC on 31 Dec is already 1 Jan in Shanghai.
    expect(formatDate("2025-12-31T17:30:00Z")).toBe("2026年01月01日");
    expect(formatDateTime("2025-12-31T17:30:00Z")).toBe("2026年01月01日 01:30");
  });
  it("knows today in Shanghai", () => {
    expect(todayInShanghai(new Date("2026-06-30T16:00:00Z"))).toBe("2026-07-01");
  });
  it("says nothing is there with a dash", () => {
    expect(formatDate(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
  });
});

describe("money in 元 with two decimals", () => {
  it("turns integer fen into yuan", () => {
    expect(formatMoney(123456)).toBe("1,234.56 元");
    expect(formatMoney(5)).toBe("0.05 元");
    expect(formatMoney(0)).toBe("0.00 元");
    expect(formatMoney(-150)).toBe("-1.50 元");
    expect(formatMoney(1000000000)).toBe("10,000,000.00 元");
  });
});
