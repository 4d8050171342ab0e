// The provider social worker's working context: the contract they work under
// (every casework write names one — 卫沙民社函〔2025〕11号 §三: services are
// delivered under the signed contract), and the names of the children their
// records point at. The worker picks the contract from their organisation's
// (GET /contracts lists only those for provider staff) once per browser
// session; it is kept in sessionStorage (an id, never a child's data).
// Children's names live in memory only.
import { reactive } from "vue";
import { api } from "./api/client";
import { formatDate } from "./format";

const KEY = "sw.contract";

function stored(): string {
  try {
    return globalThis.sessionStorage?.getItem(KEY) ?? "";
  } catch {
    return "";
  }
}

export const work = reactive({
  contractId: stored(),
  contractTitle: "",
  names: {} as Record<string, string>, // child_id → name ("" while unknown)
  // The chosen contract's service area: where line 1 (摸底走访建档) may be done.
  area: [] as ServicePlace[],
  // The chosen contract's screening campaigns (GET /screening-campaigns?contract_id=,
  // which lists provider staff only their organisation's contracts' campaigns),
  // newest first, plus any planned in this session before the list reloads.
  campaigns: [] as { campaign_id: string; name: string }[],
});

export interface ServicePlace {
  town: string;
  village?: string | null;
}

export function chooseContract(contractId: string, title: string, area: readonly ServicePlace[] = []): void {
  if (work.contractId !== contractId) work.campaigns = [];
  work.contractId = contractId;
  work.contractTitle = title;
  work.area = area.map((place) => ({ town: place.town, village: place.village ?? null }));
  try {
    globalThis.sessionStorage?.setItem(KEY, contractId);
  } catch {
    /* private mode: kept for this page only */
  }
}

/** On sign-out: nothing of the last worker stays in the page. */
export function forgetWork(): void {
  work.contractId = "";
  work.contractTitle = "";
  work.names = {};
  work.area = [];
  work.campaigns = [];
  try {
    globalThis.sessionStorage?.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A record number as a person pastes it (spaces, capitals, 「」) → the API's UUID, or null. */
export function normaliseId(text: string): string | null {
  const id = text.replace(/[\s「」“”"'《》]/g, "").toLowerCase();
  return UUID.test(id) ? id : null;
}

export const HIDDEN_CHILD = "（无权查看的儿童）";

/** Learns the names of these children (GET /children/{id}: provider staff may
 *  read the files of children their contracts reach); a child out of reach is
 *  named as hidden, never left blank. */
export async function nameChildren(ids: readonly string[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => id && work.names[id] === undefined);
  await Promise.all(
    missing.map(async (id) => {
      work.names[id] = "";
      try {
        const { data } = await api.GET("/children/{child_id}", { params: { path: { child_id: id } } });
        work.names[id] = data?.name ?? HIDDEN_CHILD;
      } catch {
        delete work.names[id]; // a network failure: try again next time
      }
    }),
  );
}

export function childName(id: string | null | undefined): string {
  if (!id) return "—";
  return work.names[id] || "…";
}

/** The children named so far, by name, for pickers. */
export function knownChildren(): { value: string; label: string }[] {
  return Object.entries(work.names)
    .filter(([, name]) => name && name !== HIDDEN_CHILD)
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
}

/** "1,234.5" 元 as typed → integer fen; "" → null; anything else → NaN. */
export function yuanToFen(text: string): number | null {
  const clean = text.replace(/[,，\s元¥￥]/g, "");
  if (clean === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return Number.NaN;
  const [whole, cents = ""] = clean.split(".");
  return Number(whole) * 100 + Number(cents.padEnd(2, "0"));
}

/** The quarter a calendar date falls in, as the report's period: "2026-Q4". */
export function quarterOf(day: string): string {
  const [year, month] = day.split("-").map(Number);
  return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** This quarter and the `count - 1` before it, newest first. */
export function recentQuarters(today: string, count = 4): string[] {
  let [year, quarter] = quarterOf(today).split("-Q").map(Number);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-Q${quarter}`);
    quarter -= 1;
    if (quarter === 0) {
      quarter = 4;
      year -= 1;
    }
  }
  return out;
}

export function quarterLabel(period: string): string {
  const [year, quarter] = period.split("-Q");
  return `${year}年第${"一二三四"[Number(quarter) - 1]}季度`;
}

export interface GoalRow {
  description: string;
  target_date: string;
}

/** The plan's goals as the API takes them: blank rows dropped, no target date sent as null. */
export function planGoals(rows: readonly GoalRow[]): { description: string; target_date: string | null }[] {
  return rows
    .filter((row) => row.description.trim())
    .map((row) => ({ description: row.description.trim(), target_date: row.target_date || null }));
}

/** "需要一; 需要二\n需要三" → ["需要一", "需要二", "需要三"]: one need a line or between 、；; */
export function splitNeeds(text: string): string[] {
  return text
    .split(/[\n;；、,，]/)
    .map((need) => need.trim())
    .filter(Boolean);
}

export type CaseStage = "intake" | "assessed" | "planned" | "reviewed" | "closed";

interface CaseLike {
  status?: string;
  assessments?: unknown[];
  goals?: unknown[];
  reviews?: unknown[];
  closure?: unknown;
}

/** How far a case has gone: intake → assessment → plan → review → closure. */
export function caseStage(detail: CaseLike): CaseStage {
  if (detail.closure || detail.status === "closed") return "closed";
  if (detail.reviews?.length) return "reviewed";
  if (detail.goals?.length) return "planned";
  if (detail.assessments?.length) return "assessed";
  return "intake";
}

export const STAGES: { stage: CaseStage; title: string }[] = [
  { stage: "intake", title: "接案" },
  { stage: "assessed", title: "需求评估" },
  { stage: "planned", title: "服务计划" },
  { stage: "reviewed", title: "跟进回顾" },
  { stage: "closed", title: "结案" },
];

/** The activity kinds that are safety education: they cover some of the six topics (§二.7). */
export const SAFETY_KINDS = ["safety_education_children", "safety_education_guardians"] as const;
export const SAFETY_TOPICS = [
  "drowning",
  "bullying",
  "sexual_abuse",
  "fire_and_electricity",
  "food_poisoning",
  "road_safety",
] as const;
// A community social organisation's own activity is recorded for that
// organisation by the bureau, so the worker's form offers the other five.
export const ACTIVITY_KINDS = [
  "monthly_theme",
  "safety_education_children",
  "safety_education_guardians",
  "protection_publicity",
  "protection_month",
  "social_organization_activity",
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Which of the activity form's fields a kind uses (the API refuses the others). */
export function activityFields(kind: ActivityKind | "") {
  return {
    theme: kind === "monthly_theme",
    topics: (SAFETY_KINDS as readonly string[]).includes(kind),
    organization: kind === "social_organization_activity",
  };
}

type Organisation = { organization_id: string; name?: string; town?: string; village?: string | null; contract_id?: string | null };

/** The community social organisations an activity may name (GET
 *  /community-organizations), those nurtured under the worker's contract
 *  first, each named with its place. */
export function organisationChoices(rows: readonly Organisation[], contractId: string) {
  const ours = (o: Organisation) => Number(Boolean(contractId) && o.contract_id === contractId);
  return [...rows]
    .sort((a, b) => ours(b) - ours(a) || (a.name ?? "").localeCompare(b.name ?? "", "zh-CN"))
    .map((o) => ({ value: o.organization_id, label: `${o.name ?? ""}（${o.town ?? ""}${o.village ?? ""}）` }));
}

/** Care kinds that give money or goods and so state their value (§二.3). */
export const CARE_KINDS = [
  "hardship_aid",
  "festival_visit",
  "daily_care",
  "homework_help",
  "interpersonal_adjustment",
  "education_aid",
  "psychological_counselling",
  "reading_guidance",
  "sport_and_play",
  "companionship",
] as const;

/** Whether a care kind states the value of what it gave: money kinds must,
 *  festival visits and daily care may, the rest give none. */
export function careValue(kind: string): "required" | "optional" | "none" {
  if (kind === "hardship_aid" || kind === "education_aid") return "required";
  if (kind === "festival_visit" || kind === "daily_care") return "optional";
  return "none";
}

/** The children this contract reaches (living in its service area, or
 *  referred to it), named as the worker may see them, so pickers can offer
 *  them by name (GET /contracts/{id}/children, a page at a time). */
export async function learnContractChildren(contractId: string, pages = 20): Promise<void> {
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const { data } = await api.GET("/contracts/{contract_id}/children", {
      params: { path: { contract_id: contractId }, query: { limit: 500, cursor } },
    });
    for (const child of data?.items ?? []) work.names[child.child_id] = child.name;
    cursor = data?.next_cursor ?? undefined;
    if (!cursor) return;
  }
}

export interface ContractChoice {
  contract_id: string;
  organization_name: string;
  period_start: string;
  period_end: string;
  status: string;
  service_area: { town: string; village?: string | null }[];
}

/** The contracts of the worker's organisation (the gateway narrows the list
 *  to it), or null when the list could not be read. */
export async function myContracts(): Promise<ContractChoice[] | null> {
  try {
    const { data } = await api.GET("/contracts", { params: { query: { limit: 500 } } });
    return data ? data.items : null;
  } catch {
    return null;
  }
}

/** "滨河镇新北村、迎水桥镇（全镇）" */
export function areaText(area: ContractChoice["service_area"]): string {
  return area.map((place) => (place.village ? `${place.town}${place.village}` : `${place.town}（全镇）`)).join("、");
}

export function contractTitle(contract: { organization_name: string; period_end: string }): string {
  return `${contract.organization_name}（合同期至 ${formatDate(contract.period_end)}）`;
}

/** The contract's title for the menu, and whether the worker may work under it. */
export async function loadContract(contractId: string): Promise<"ok" | "hidden" | "failed"> {
  try {
    const { data, response } = await api.GET("/contracts/{contract_id}", {
      params: { path: { contract_id: contractId } },
    });
    if (data) {
      chooseContract(contractId, contractTitle(data), data.service_area);
      return "ok";
    }
    return response.status === 403 || response.status === 404 ? "hidden" : "failed";
  } catch {
    return "failed";
  }
}

/** The towns of a service area, in its order, each once. */
export function areaTowns(area: readonly ServicePlace[]): string[] {
  return [...new Set(area.map((place) => place.town))];
}

/** The villages of a town the area names, or null when the whole town is
 *  covered (any of its villages may be typed). */
export function areaVillages(area: readonly ServicePlace[], town: string): string[] | null {
  const places = area.filter((place) => place.town === town);
  if (!places.length) return [];
  if (places.some((place) => !place.village)) return null;
  return [...new Set(places.map((place) => place.village as string))];
}

/** Where a form opens: the area's first town, and its village when the town
 *  lists exactly one. */
export function firstPlace(area: readonly ServicePlace[]): { town: string; village: string } {
  const town = areaTowns(area)[0] ?? "";
  const villages = areaVillages(area, town);
  return { town, village: villages?.length === 1 ? villages[0] : "" };
}

/** Lists the chosen contract's campaigns from the API, newest first; false
 *  when the list could not be read (what is already listed stays). */
export async function loadCampaigns(): Promise<boolean> {
  const contractId = work.contractId;
  if (!contractId) return true;
  try {
    const { data } = await api.GET("/screening-campaigns", {
      params: { query: { contract_id: contractId, limit: 100 } },
    });
    if (!data) return false;
    if (work.contractId !== contractId) return true; // the worker switched contracts meanwhile
    const listed = [...data.items]
      .sort((a, b) => (b.starts_on ?? "").localeCompare(a.starts_on ?? ""))
      .map((c) => ({ campaign_id: c.campaign_id as string, name: c.name ?? "" }));
    const ids = new Set(listed.map((c) => c.campaign_id));
    work.campaigns = [...work.campaigns.filter((c) => !ids.has(c.campaign_id)), ...listed];
    return true;
  } catch {
    return false;
  }
}

/** Keeps a campaign planned in this session on the list, newest first. */
export function rememberCampaign(campaignId: string, name: string): void {
  work.campaigns = [{ campaign_id: campaignId, name }, ...work.campaigns.filter((c) => c.campaign_id !== campaignId)];
}
