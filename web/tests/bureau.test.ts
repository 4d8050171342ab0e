import { describe, expect, it } from "vitest";
import { healthProblems, newAccountRequest, overdueByVillage, scopeText, toSeries, total } from "../src/bureau";
import { chartHeight, chartOption } from "../src/charts";

describe("figures as chart series", () => {
  it("labels codes in Chinese, largest first, zero counts left out", () => {
    const series = toSeries({ left_behind: 3, distressed: 7, orphan: 0 });
    expect(series).toEqual({ names: ["困境儿童", "留守儿童"], values: [7, 3] });
    expect(total(series)).toBe(10);
  });
  it("keeps a given order of codes (tiers 1, 2, 3, then unassessed) whatever the counts", () => {
    const series = toSeries({ unassessed: 9, "3": 5, "1": 2 }, "tier", ["1", "2", "3", "unassessed"]);
    expect(series.names).toEqual(["一级（高风险）", "三级（低风险）", "未评估"]);
    expect(series.values).toEqual([2, 5, 9]);
  });
  it("breaks ties by name, so the chart reads the same on every load", () => {
    expect(toSeries({ 宣和镇: 2, 滨河镇: 2, 东园镇: 4 }).names).toEqual(["东园镇", "滨河镇", "宣和镇"]);
  });
  it("gives an empty series for no figures", () => {
    expect(toSeries(undefined)).toEqual({ names: [], values: [] });
  });
});

describe("chart options", () => {
  const series = { names: ["甲", "乙"], values: [5, 2] };
  it("draws bars with the largest at the top and every value written on its bar, no animation", () => {
    const option = chartOption(series) as Record<string, any>;
    expect(option.animation).toBe(false);
    expect(option.yAxis.data).toEqual(["乙", "甲"]);
    expect(option.series[0].data).toEqual([2, 5]);
    expect(option.series[0].label.show).toBe(true);
  });
});

describe("chart height", () => {
  it("gives each bar room and a few bars a floor", () => {
    expect(chartHeight({ names: ["甲"], values: [1] })).toBe(140);
    expect(chartHeight({ names: Array(10).fill("甲"), values: Array(10).fill(1) })).toBe(448);
  });
});

describe("overdue contacts by village", () => {
  it("counts each village's overdue children, the most first, with the longest wait", () => {
    const rows = overdueByVillage([
      { town: "滨河镇", village: "新北村", days_overdue: 3 },
      { town: "宣和镇", village: "张洪村", days_overdue: 40 },
      { town: "滨河镇", village: "新北村", days_overdue: 12 },
    ]);
    expect(rows).toEqual([
      { town: "滨河镇", village: "新北村", count: 2, longest: 12 },
      { town: "宣和镇", village: "张洪村", count: 1, longest: 40 },
    ]);
  });
  it("keeps villages of the same name in different towns apart", () => {
    const rows = overdueByVillage([
      { town: "甲镇", village: "新村" },
      { town: "乙镇", village: "新村" },
    ]);
    expect(rows).toHaveLength(2);
  });
});

describe("what health says needs an operator", () => {
  const healthy = {
    status: "ok",
    rabbitmq: { ok: true },
    services: {
      registry: { store: { ok: true }, sealer: { refused: null }, relay: { parked: [] }, consumers: {} },
      casework: {
        store: { ok: true },
        sealer: { refused: null },
        consumers: { registry: { failure: null, parked: [], refused: { unacknowledged: 0 } } },
      },
    },
    gateway: { sealer: { refused: null } },
  };
  it("finds nothing when all is well", () => {
    expect(healthProblems(healthy)).toEqual([]);
  });
  it("names parked events, refusals, failing feeds, a down broker and an unreachable service", () => {
    const sick = structuredClone(healthy) as any;
    sick.rabbitmq.ok = false;
    sick.services.casework.consumers.registry = {
      failure: "boom",
      parked: [{ notification_id: 4 }, { notification_id: 5 }],
      refused: { unacknowledged: 1 },
    };
    sick.services.registry.relay.parked = [{ notification_id: 9 }];
    sick.services.finance = { ok: false, error: "timeout" };
    sick.gateway.sealer.refused = 12;
    expect(healthProblems(sick)).toEqual([
      { where: "消息队列", what: "无法连接" },
      { where: "儿童档案", what: "1 条待发事件被搁置" },
      { where: "个案与服务记录", what: "来自儿童档案的 2 条事件被搁置" },
      { where: "个案与服务记录", what: "来自儿童档案的 1 条消息被拒收" },
      { where: "个案与服务记录", what: "接收儿童档案的事件失败" },
      { where: "资金与财务", what: "无法连接" },
      { where: "账号、登录与查阅记录", what: "日志封存被拒绝" },
    ]);
  });
  it("reads a body that is not health as nothing to report", () => {
    expect(healthProblems(undefined)).toEqual([]);
  });
});

describe("an account's scope", () => {
  it("reads a director's village, an organisation, panel seats or the whole district", () => {
    expect(scopeText({ town: "滨河镇", village: "新北村" })).toBe("滨河镇新北村");
    expect(scopeText({ organization_id: "0b9b6a36-2a4e-4c55-9d1e-2f4a5b6c7d8e" })).toBe("机构 0b9b6a36…");
    expect(scopeText({ panel_member_ids: ["a", "b"] })).toBe("评审席位 2 个");
    expect(scopeText({})).toBe("全区");
  });
});

describe("opening an account", () => {
  const form = {
    username: " li.zhuren ",
    display_name: " 李主任 ",
    role: "child_director" as const,
    password: "a long password 12",
    town: "滨河镇",
    village: "新北村",
    organization_id: "left-over-from-another-choice",
    seats: "",
  };

  it("sends only the scope the role is confined to", () => {
    expect(newAccountRequest(form)).toEqual({
      username: "li.zhuren",
      display_name: "李主任",
      role: "child_director",
      password: "a long password 12",
      scope: { town: "滨河镇", village: "新北村" },
    });
    expect(newAccountRequest({ ...form, role: "auditor" })).not.toHaveProperty("scope");
    expect(newAccountRequest({ ...form, role: "provider_staff" }).scope).toEqual({ organization_id: "left-over-from-another-choice" });
  });

  it("reads a reviewer's seats however they were pasted, each once", () => {
    const a = "11111111-1111-1111-1111-111111111111";
    const b = "22222222-2222-2222-2222-222222222222";
    expect(newAccountRequest({ ...form, role: "reviewer", seats: `${a}，${b}\n${a} ` }).scope).toEqual({ panel_member_ids: [a, b] });
    // none given: no scope sent, so the server names the missing field
    expect(newAccountRequest({ ...form, role: "reviewer", seats: " " })).not.toHaveProperty("scope");
  });
});
