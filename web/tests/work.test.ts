import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  activityFields,
  organisationChoices,
  areaText,
  areaTowns,
  areaVillages,
  chooseContract,
  firstPlace,
  rememberCampaign,
  loadCampaigns,
  learnContractChildren,
  myContracts,
  careValue,
  caseStage,
  childName,
  forgetWork,
  HIDDEN_CHILD,
  knownChildren,
  nameChildren,
  normaliseId,
  planGoals,
  quarterLabel,
  quarterOf,
  recentQuarters,
  splitNeeds,
  work,
  yuanToFen,
} from "../src/work";
import { api } from "../src/api/client";

const ID = "3f2b8c1e-5d4a-4b6e-9f10-2a3b4c5d6e7f";

describe("record numbers as a person pastes them", () => {
  it("accepts a UUID with spaces, capitals or quotes", () => {
    expect(normaliseId(` ${ID.toUpperCase()} `)).toBe(ID);
    expect(normaliseId(`「${ID}」`)).toBe(ID);
  });
  it("refuses anything else", () => {
    expect(normaliseId("")).toBeNull();
    expect(normaliseId("123")).toBeNull();
    expect(normaliseId(`${ID}0`)).toBeNull();
  });
});

describe("money typed in 元 becomes integer fen", () => {
  it("reads yuan with up to two decimals, separators and a unit", () => {
    expect(yuanToFen("200")).toBe(20000);
    expect(yuanToFen("1,234.5")).toBe(123450);
    expect(yuanToFen("0.05元")).toBe(5);
    expect(yuanToFen("￥ 88.80")).toBe(8880);
  });
  it("says nothing was given with null and refuses nonsense with NaN", () => {
    expect(yuanToFen("")).toBeNull();
    expect(yuanToFen("1.234")).toBeNaN();
    expect(yuanToFen("-5")).toBeNaN();
    expect(yuanToFen("五十")).toBeNaN();
  });
});

describe("quarters for the report", () => {
  it("names the quarter a date falls in", () => {
    expect(quarterOf("2026-01-01")).toBe("2026-Q1");
    expect(quarterOf("2026-03-31")).toBe("2026-Q1");
    expect(quarterOf("2026-12-05")).toBe("2026-Q4");
  });
  it("lists recent quarters across a year's turn, newest first", () => {
    expect(recentQuarters("2026-02-10", 3)).toEqual(["2026-Q1", "2025-Q4", "2025-Q3"]);
  });
  it("says a quarter in Chinese", () => {
    expect(quarterLabel("2026-Q4")).toBe("2026年第四季度");
  });
});

describe("the case plan and assessment forms", () => {
  it("sends goals without blank rows, and no target date as null", () => {
    expect(
      planGoals([
        { description: " 每周按时完成作业 ", target_date: "2027-01-31" },
        { description: "   ", target_date: "2027-02-01" },
        { description: "与同学建立友谊", target_date: "" },
      ]),
    ).toEqual([
      { description: "每周按时完成作业", target_date: "2027-01-31" },
      { description: "与同学建立友谊", target_date: null },
    ]);
  });
  it("splits needs written one a line or between 、；", () => {
    expect(splitNeeds("学业辅导、情绪支持\n监护指导；；")).toEqual(["学业辅导", "情绪支持", "监护指导"]);
  });
  it("tells how far a case has gone", () => {
    expect(caseStage({ status: "open" })).toBe("intake");
    expect(caseStage({ assessments: [{}] })).toBe("assessed");
    expect(caseStage({ assessments: [{}], goals: [{}] })).toBe("planned");
    expect(caseStage({ assessments: [{}], goals: [{}], reviews: [{}] })).toBe("reviewed");
    expect(caseStage({ status: "closed", closure: {} })).toBe("closed");
  });
});

describe("what each activity and care kind asks for", () => {
  it("asks the monthly 塞上护童 activity for its theme and safety education for topics", () => {
    expect(activityFields("monthly_theme")).toEqual({ theme: true, topics: false, organization: false });
    expect(activityFields("safety_education_guardians")).toEqual({ theme: false, topics: true, organization: false });
    expect(activityFields("protection_publicity")).toEqual({ theme: false, topics: false, organization: false });
  });
  it("asks a community organisation's activity which organisation held it, its contract's own first", () => {
    expect(activityFields("social_organization_activity")).toEqual({ theme: false, topics: false, organization: true });
    const rows = [
      { organization_id: "o1", name: "乙儿童之家志愿队", town: "迎水桥镇", village: null, contract_id: "c2" },
      { organization_id: "o2", name: "新北村妇女儿童互助会", town: "滨河镇", village: "新北村", contract_id: "c1" },
      { organization_id: "o3", name: "甲读书会", town: "滨河镇", village: "新北村", contract_id: null },
    ];
    const offered = organisationChoices(rows, "c1").map((o) => o.value);
    expect(offered[0]).toBe("o2");
    expect([...offered].sort()).toEqual(["o1", "o2", "o3"]);
    expect(organisationChoices(rows, "c1")[0]).toEqual({ value: "o2", label: "新北村妇女儿童互助会（滨河镇新北村）" });
    expect(organisationChoices(rows, "c1").find((o) => o.value === "o1")?.label).toBe("乙儿童之家志愿队（迎水桥镇）");
  });
  it("asks money kinds for a value, lets goods kinds give one, and no other", () => {
    expect(careValue("hardship_aid")).toBe("required");
    expect(careValue("festival_visit")).toBe("optional");
    expect(careValue("homework_help")).toBe("none");
  });
});

describe("children's names", () => {
  beforeEach(() => forgetWork());

  it("asks the API once per child and names a child out of reach as hidden", async () => {
    const other = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    const get = vi.spyOn(api, "GET").mockImplementation((async (_path: string, init: { params: { path: { child_id: string } } }) => {
      const id = init.params.path.child_id;
      return id === ID
        ? { data: { name: "李小花" }, response: new Response() }
        : { error: { error: "NOT_FOUND" }, response: new Response(null, { status: 404 }) };
    }) as never);
    await nameChildren([ID, other, ID]);
    await nameChildren([ID]);
    expect(get).toHaveBeenCalledTimes(2);
    expect(childName(ID)).toBe("李小花");
    expect(childName(other)).toBe(HIDDEN_CHILD);
    expect(knownChildren()).toEqual([{ value: ID, label: "李小花" }]);
    get.mockRestore();
  });

  it("forgets names and the contract on sign-out", () => {
    work.names[ID] = "李小花";
    work.contractId = ID;
    forgetWork();
    expect(work.names).toEqual({});
    expect(work.contractId).toBe("");
  });
});

describe("the lists a worker picks from", () => {
  beforeEach(() => forgetWork());

  it("names every child the contract reaches, page after page", async () => {
    const other = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    const asked: (string | undefined)[] = [];
    const get = vi.spyOn(api, "GET").mockImplementation((async (
      path: string,
      init: { params: { path: { contract_id: string }; query: { cursor?: string } } },
    ) => {
      expect(path).toBe("/contracts/{contract_id}/children");
      expect(init.params.path.contract_id).toBe(ID);
      asked.push(init.params.query.cursor);
      return init.params.query.cursor
        ? { data: { items: [{ child_id: other, name: "王小明" }], next_cursor: null }, response: new Response() }
        : { data: { items: [{ child_id: ID, name: "李小花" }], next_cursor: ID }, response: new Response() };
    }) as never);
    await learnContractChildren(ID);
    expect(asked).toEqual([undefined, ID]);
    expect(knownChildren().map((c) => c.label)).toEqual(["李小花", "王小明"].sort((a, b) => a.localeCompare(b, "zh-CN")));
    get.mockRestore();
  });

  it("reads the organisation's contracts, or says it could not", async () => {
    const row = { contract_id: ID, organization_name: "阳光", period_start: "2026-01-01", period_end: "2026-12-31", status: "active", service_area: [] };
    let get = vi.spyOn(api, "GET").mockImplementation((async () => ({ data: { items: [row], next_cursor: null }, response: new Response() })) as never);
    expect(await myContracts()).toEqual([row]);
    get.mockRestore();
    get = vi.spyOn(api, "GET").mockImplementation((async () => {
      throw new TypeError("offline");
    }) as never);
    expect(await myContracts()).toBeNull();
    get.mockRestore();
  });

  it("lists the chosen contract's campaigns from the API, newest first, keeping one just planned", async () => {
    chooseContract(ID, "阳光");
    rememberCampaign("c-new", "刚计划的排查");
    const rows = [
      { campaign_id: "c-old", name: "春季排查", starts_on: "2026-03-01" },
      { campaign_id: "c-late", name: "秋季排查", starts_on: "2026-09-01" },
    ];
    let asked: unknown;
    let get = vi.spyOn(api, "GET").mockImplementation((async (_path: string, init: unknown) => {
      asked = init;
      return { data: { items: rows, next_cursor: null }, response: new Response() };
    }) as never);
    expect(await loadCampaigns()).toBe(true);
    expect(asked).toEqual({ params: { query: { contract_id: ID, limit: 100 } } });
    expect(work.campaigns.map((c) => c.name)).toEqual(["刚计划的排查", "秋季排查", "春季排查"]);
    get.mockRestore();
    get = vi.spyOn(api, "GET").mockImplementation((async () => {
      throw new TypeError("offline");
    }) as never);
    expect(await loadCampaigns()).toBe(false);
    expect(work.campaigns).toHaveLength(3);
    get.mockRestore();
    forgetWork();
  });

  it("writes a service area as places, a whole town said so", () => {
    expect(areaText([{ town: "滨河镇", village: "新北村" }, { town: "迎水桥镇", village: null }])).toBe("滨河镇新北村、迎水桥镇（全镇）");
  });
});

describe("line 1 in the contract's service area", () => {
  const area = [
    { town: "滨河镇", village: "新北村" },
    { town: "滨河镇", village: "新墩村" },
    { town: "迎水桥镇", village: null },
  ];

  it("offers each town once, in the contract's order", () => {
    expect(areaTowns(area)).toEqual(["滨河镇", "迎水桥镇"]);
    expect(areaTowns([])).toEqual([]);
  });

  it("offers the villages a town lists, or any village when the whole town is covered", () => {
    expect(areaVillages(area, "滨河镇")).toEqual(["新北村", "新墩村"]);
    expect(areaVillages(area, "迎水桥镇")).toBeNull();
    expect(areaVillages(area, "东园镇")).toEqual([]);
    // a town named both whole and by village: the whole town is covered
    expect(areaVillages([{ town: "东园镇", village: "郭庄村" }, { town: "东园镇" }], "东园镇")).toBeNull();
  });

  it("opens a form on the first town, with its village when it lists only one", () => {
    expect(firstPlace(area)).toEqual({ town: "滨河镇", village: "" });
    expect(firstPlace([{ town: "滨河镇", village: "新北村" }])).toEqual({ town: "滨河镇", village: "新北村" });
    expect(firstPlace([{ town: "迎水桥镇", village: null }])).toEqual({ town: "迎水桥镇", village: "" });
    expect(firstPlace([])).toEqual({ town: "", village: "" });
  });

  it("keeps the chosen contract's area, and forgets it and its campaigns on sign-out or another contract", () => {
    chooseContract(ID, "星火", area);
    expect(work.area.map((p) => p.village)).toEqual(["新北村", "新墩村", null]);
    rememberCampaign("c1", "春季排查");
    rememberCampaign("c2", "秋季排查");
    rememberCampaign("c1", "春季排查");
    expect(work.campaigns.map((c) => c.campaign_id)).toEqual(["c1", "c2"]);
    chooseContract(ID, "星火", area);
    expect(work.campaigns).toHaveLength(2);
    chooseContract("another", "另一合同", []);
    expect(work.campaigns).toEqual([]);
    rememberCampaign("c3", "排查");
    forgetWork();
    expect(work.area).toEqual([]);
    expect(work.campaigns).toEqual([]);
  });
});
