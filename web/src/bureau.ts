// The bureau's reading of its figures (issue 16, bureau staff): the counts of
// GET /children/statistics made into chart series, overdue contacts grouped by
// village, and what GET /health says needs an operator. Kept apart from the
// screens so it is tested (web/tests/bureau.test.ts).
import { label } from "./i18n/labels";
import { serviceName } from "./audit";

export interface Series {
  names: string[];
  values: number[];
}

/** A count table as a chart's series: labelled in Chinese, in the given order
 *  of codes first (e.g. tiers 1, 2, 3), then the rest by count, largest first;
 *  ties by name so the chart reads the same on every load. Zero counts drop. */
export function toSeries(
  counts: Record<string, number> | null | undefined,
  context?: string,
  order: readonly string[] = [],
): Series {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  const rank = (code: string) => {
    const at = order.indexOf(code);
    return at < 0 ? order.length : at;
  };
  entries.sort(([a, n], [b, m]) => rank(a) - rank(b) || m - n || a.localeCompare(b, "zh-CN"));
  return { names: entries.map(([code]) => label(code, context)), values: entries.map(([, n]) => n) };
}

export function total(series: Series): number {
  return series.values.reduce((sum, n) => sum + n, 0);
}

export interface OverdueLike {
  town?: string;
  village?: string;
  days_overdue?: number;
}

export interface VillageOverdue {
  town: string;
  village: string;
  count: number;
  longest: number; // the most days any child there is overdue
}

/** Overdue contacts by village: the villages with most overdue children first. */
export function overdueByVillage(items: readonly OverdueLike[]): VillageOverdue[] {
  const found = new Map<string, VillageOverdue>();
  for (const item of items) {
    const town = item.town ?? "";
    const village = item.village ?? "";
    const key = `${town}\u0000${village}`;
    const row = found.get(key) ?? { town, village, count: 0, longest: 0 };
    row.count += 1;
    row.longest = Math.max(row.longest, item.days_overdue ?? 0);
    found.set(key, row);
  }
  return [...found.values()].sort(
    (a, b) => b.count - a.count || b.longest - a.longest || `${a.town}${a.village}`.localeCompare(`${b.town}${b.village}`, "zh-CN"),
  );
}

export interface Problem {
  where: string;
  what: string;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});

/** What GET /health says an operator must look at: the message broker down, a
 *  service unreachable or its store failing, parked events or refused
 *  envelopes on a feed, a consumer failing, a sealer refusing. */
export function healthProblems(health: unknown): Problem[] {
  const body = obj(health);
  const out: Problem[] = [];
  if (obj(body.rabbitmq).ok === false) out.push({ where: "消息队列", what: "无法连接" });
  for (const [service, raw] of Object.entries(obj(body.services))) {
    const state = obj(raw);
    const where = serviceName(service);
    if (state.ok === false) {
      out.push({ where, what: "无法连接" });
      continue;
    }
    if (obj(state.store).ok === false) out.push({ where, what: "数据库不可用" });
    if (obj(state.sealer).refused) out.push({ where, what: "日志封存被拒绝" });
    for (const [upstream, feedRaw] of Object.entries(obj(state.consumers))) {
      const feed = obj(feedRaw);
      const parked = Array.isArray(feed.parked) ? feed.parked.length : 0;
      const refused = Number(obj(feed.refused).unacknowledged ?? 0);
      const from = serviceName(upstream);
      if (parked) out.push({ where, what: `来自${from}的 ${parked} 条事件被搁置` });
      if (refused) out.push({ where, what: `来自${from}的 ${refused} 条消息被拒收` });
      if (feed.failure) out.push({ where, what: `接收${from}的事件失败` });
    }
    const relay = obj(state.relay);
    if (Array.isArray(relay.parked) && relay.parked.length)
      out.push({ where, what: `${relay.parked.length} 条待发事件被搁置` });
  }
  if (obj(obj(body.gateway).sealer).refused) out.push({ where: serviceName("gateway"), what: "日志封存被拒绝" });
  return out;
}

/** An account's scope as a person reads it: a director's village, a
 *  provider's organisation, a reviewer's panel seats, or the whole district. */
export function scopeText(scope: Record<string, unknown> | null | undefined): string {
  const s = scope ?? {};
  const parts: string[] = [];
  if (typeof s.town === "string") parts.push(`${s.town}${typeof s.village === "string" ? s.village : ""}`);
  if (typeof s.organization_id === "string") parts.push(`机构 ${s.organization_id.slice(0, 8)}…`);
  if (Array.isArray(s.panel_member_ids)) parts.push(`评审席位 ${s.panel_member_ids.length} 个`);
  return parts.join("；") || "全区";
}

// -- opening an account (POST /users) ---------------------------------------------------------------

export const ACCOUNT_ROLES = ["child_director", "provider_staff", "reviewer", "finance_officer", "auditor", "bureau_admin"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface NewAccountForm {
  username: string;
  display_name: string;
  role: AccountRole | "";
  password: string;
  town: string;
  village: string;
  organization_id: string;
  /** A reviewer's panel seats, one or more, separated by spaces, commas or new lines. */
  seats: string;
}

/** What each role is confined to (services/gateway/domain/roles.py SCOPE_FIELDS). */
export function scopeFieldsOf(role: string): ("town" | "village" | "organization_id" | "panel_member_ids")[] {
  if (role === "child_director") return ["town", "village"];
  if (role === "provider_staff") return ["organization_id"];
  if (role === "reviewer") return ["panel_member_ids"];
  return [];
}

export function seatIds(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；]+/).filter(Boolean))];
}

/** The request for POST /users: the scope carries only what the role is confined to,
 *  so a field left over from another role choice is never sent. */
export function newAccountRequest(form: NewAccountForm) {
  const scope: Record<string, string | string[]> = {};
  for (const field of scopeFieldsOf(form.role)) {
    if (field === "panel_member_ids") {
      const seats = seatIds(form.seats);
      if (seats.length) scope.panel_member_ids = seats;
    } else if (form[field].trim()) scope[field] = form[field].trim();
  }
  return {
    username: form.username.trim(),
    display_name: form.display_name.trim(),
    role: form.role as AccountRole,
    password: form.password,
    ...(Object.keys(scope).length ? { scope } : {}),
  };
}
