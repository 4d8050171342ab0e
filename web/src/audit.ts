// The auditor's reading of the audit routes (DESIGN.md §5, audit row): which
// logs there are, what a verification says, what each event changed, and the
// moment a chosen date stands for. Kept apart from the screens so it is tested.
import { label } from "./i18n/labels";

/** The services whose logs the gateway verifies (services/gateway/api/audit.py AUDITED). */
export const AUDITED_SERVICES = ["registry", "grants", "casework", "finance", "gateway"] as const;
export type AuditedService = (typeof AUDITED_SERVICES)[number];

const SERVICE_NAMES: Record<AuditedService, string> = {
  registry: "儿童档案",
  grants: "项目申报与评审",
  casework: "个案与服务记录",
  finance: "资金与财务",
  gateway: "账号、登录与查阅记录",
};

export function serviceName(service: string): string {
  return SERVICE_NAMES[service as AuditedService] ?? service;
}

export function isAuditedService(value: unknown): value is AuditedService {
  return typeof value === "string" && (AUDITED_SERVICES as readonly string[]).includes(value);
}

export interface Verification {
  ok: boolean;
  checked: number;
  sealed_position: number;
  unsealed: number;
  broken_at?: number | null;
  reason?: string | null;
  record?: Record<string, unknown> | null;
}

// What verify's reasons (shared/audit/verify.py) mean, by their first word.
const REASONS: [string, string][] = [
  ["altered", "内容被改动"],
  ["deleted", "已封存的记录被删除"],
  ["inserted", "封存范围内插入了未封存的记录"],
  ["reordered", "记录被调换或替换"],
  ["forged", "签名不符（疑似伪造）"],
  ["rolled back", "日志被回滚或重写（与外部锚点不符）"],
];

export function reasonText(reason: string | null | undefined): string {
  if (!reason) return "原因不明";
  const found = REASONS.find(([prefix]) => reason.startsWith(prefix));
  return found ? found[1] : reason;
}

/** A verification in a sentence: green when the whole chain holds, red with the position where it breaks. */
export function verdict(v: Verification): { ok: boolean; title: string; detail: string } {
  if (v.ok) {
    const unsealed = v.unsealed ? `，另有 ${v.unsealed} 条待封存` : "";
    return { ok: true, title: "链完整", detail: `已核验 ${v.checked} 条，已封存至第 ${v.sealed_position} 条${unsealed}` };
  }
  return {
    ok: false,
    title: `在第 ${v.broken_at ?? "?"} 条断裂`,
    detail: `${reasonText(v.reason)}（已核验 ${v.checked} 条，已封存至第 ${v.sealed_position} 条）`,
  };
}

/** The record named at a break (verify's `record`: its aggregate id and version), if any. */
export function brokenRecord(v: Verification): { id: string; version?: number } | null {
  const id = v.record?.["aggregate_id"] ?? v.record?.["originator_id"];
  if (typeof id !== "string") return null;
  const version = v.record?.["version"] ?? v.record?.["originator_version"];
  return { id, version: typeof version === "number" ? version : undefined };
}

export interface HistoryEvent {
  position?: number | null;
  version: number;
  event: string;
  at: string;
  actor_id?: string | null;
  actor_role?: string | null;
  correlation_id?: string | null;
  data: Record<string, unknown>;
}

export interface Change {
  field: string;
  before?: unknown;
  after: unknown;
  first: boolean; // the field had no value before this event
}

// Fields that say why a change was made, shown as its reason rather than as a change.
const WHY = ["reason", "reasons", "note", "notes", "why", "explanation"];
// Bookkeeping every event carries, not a change of the record.
const BOOKKEEPING = new Set(["timestamp", "originator_id", "originator_version", "id", "aggregate_id"]);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Each event with what it changed (against the record's earlier events) and why. */
export function explainHistory(events: readonly HistoryEvent[]) {
  const known = new Map<string, unknown>();
  return [...events]
    .sort((a, b) => a.version - b.version)
    .map((e) => {
      const changes: Change[] = [];
      const why: string[] = [];
      for (const [field, after] of Object.entries(e.data ?? {})) {
        if (BOOKKEEPING.has(field)) continue;
        if (WHY.includes(field)) {
          const text = Array.isArray(after) ? after.map(String).join("；") : after == null ? "" : String(after);
          if (text) why.push(text);
          continue;
        }
        const first = !known.has(field);
        const before = known.get(field);
        if (first || !same(before, after)) changes.push({ field, before, after, first });
        known.set(field, after);
      }
      return { ...e, changes, why: why.join("；") };
    });
}

// The fields most records carry, in Chinese; any other is shown by its API name.
const FIELD_NAMES: Record<string, string> = {
  name: "姓名",
  gender: "性别",
  date_of_birth: "出生年月",
  id_number: "身份证号",
  town: "乡镇",
  village: "村（社区）",
  categories: "儿童类别",
  registered_on: "建档日期",
  school: "学校",
  school_status: "就学状况",
  household: "家庭情况",
  guardian: "监护人",
  guardianship_status: "监护状况",
  mental_health: "心理健康",
  distress_reasons: "困境原因",
  campaign_id: "排查批次",
  status: "状态",
  closed_on: "销档日期",
  merged_into: "合并到",
  transferred_to: "转移到",
  risk: "风险等级评估",
  level: "风险等级",
  assessed_on: "评估日期",
  next_contact_due: "下次走访期限",
  visits: "走访记录",
  visited_on: "走访日期",
  findings: "走访情况",
  follow_up: "后续跟进",
  help_records: "帮扶记录",
  absorbed: "已并入的档案",
  child_id: "儿童编号",
  contract_id: "合同编号",
  organization_id: "机构编号",
  amount_fen: "金额（分）",
  title: "标题",
  summary: "小结",
};

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

/** A value as the auditor reads it: codes in Chinese, lists joined, objects as compact JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "是" : "否";
  if (typeof value === "string") return label(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.length ? value.map((v) => (typeof v === "string" ? label(v) : String(v))).join("、") : "—";
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The record "as it stood on" a calendar date: the end of that day in Beijing time (the API wants a zoned moment). */
export function endOfDayInShanghai(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  return `${date}T23:59:59.999+08:00`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A record number as typed or pasted (spaces, capitals) → the API's form, or null if it is not one. */
export function recordId(typed: string): string | null {
  const id = typed.trim().toLowerCase();
  return UUID.test(id) ? id : null;
}

/** What became of a read in the access log, by its HTTP status. */
export function accessOutcome(status: number): { text: string; refused: boolean } {
  if (status < 400) return { text: "已查看", refused: false };
  if (status === 403) return { text: "被拒绝", refused: true };
  if (status === 404) return { text: "未找到", refused: true };
  return { text: `未成功（${status}）`, refused: true };
}

/** A logged address as a person reads it (its query decoded). */
export function readablePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
