// The registry's writes on a child's file (corrections, docs/registry.md
// "Rules") and the bureau's review of candidate duplicates, read as a person
// needs them: which facts can be corrected and how each is filled in, the
// API's refusals placed at the field they concern, a file's history in
// sentences, and which of two duplicate files to keep. Kept apart from the
// screens so it is tested (web/tests/registry.test.ts).
import { label } from "./i18n/labels";
import { fieldName, showValue } from "./audit";

/** The facts a correction may change (CorrectionRequest.field), in the order the form offers them. */
export const CORRECTABLE = [
  "name",
  "gender",
  "date_of_birth",
  "id_number",
  "town",
  "village",
  "categories",
  "distress_reasons",
  "household",
  "guardian",
  "guardianship_status",
  "school_status",
  "school",
  "mental_health",
] as const;
export type CorrectableField = (typeof CORRECTABLE)[number];

/** A child director keeps to their village: moving a child is the bureau's correction (403 otherwise). */
export const BUREAU_ONLY_FIELDS: readonly CorrectableField[] = ["town", "village"];

export function correctableFields(isBureau: boolean): { value: CorrectableField; label: string }[] {
  return CORRECTABLE.filter((f) => isBureau || !BUREAU_ONLY_FIELDS.includes(f)).map((value) => ({
    value,
    label: fieldName(value),
  }));
}

/** How each fact is filled in on the correction form. */
export type ValueKind = "text" | "date" | "choice" | "choices" | "household" | "guardian" | "mental_health";

export const CHOICES: Partial<Record<CorrectableField, readonly string[]>> = {
  gender: ["male", "female"],
  categories: ["left_behind", "distressed", "unattended"],
  distress_reasons: ["poverty", "disability", "serious_illness", "guardianship_missing", "guardianship_improper"],
  guardianship_status: ["parents", "entrusted", "missing", "improper", "institutional"],
  school_status: ["not_school_age", "in_school", "not_enrolled", "dropped_out", "special_education"],
};

export function valueKind(field: CorrectableField): ValueKind {
  if (field === "date_of_birth") return "date";
  if (field === "categories" || field === "distress_reasons") return "choices";
  if (field === "gender" || field === "guardianship_status" || field === "school_status") return "choice";
  if (field === "household" || field === "guardian" || field === "mental_health") return field;
  return "text";
}

/** Facts a file may go without: cleared, they are sent as null. */
const OPTIONAL: readonly CorrectableField[] = [
  "id_number",
  "school",
  "school_status",
  "guardianship_status",
  "household",
  "guardian",
  "mental_health",
];

/** Everything the correction form can hold; only the chosen fact's part is sent. */
export interface Draft {
  text: string;
  date: string;
  choice: string;
  choices: string[];
  father_status: string;
  father_whereabouts: string;
  mother_status: string;
  mother_whereabouts: string;
  economic_status: string;
  guardian_name: string;
  guardian_relation: string;
  guardian_age: number | undefined;
  guardian_health: string;
  guardian_capacity: string;
  screened_on: string;
  result: string;
  notes: string;
}

export function emptyDraft(): Draft {
  return {
    text: "",
    date: "",
    choice: "",
    choices: [],
    father_status: "",
    father_whereabouts: "",
    mother_status: "",
    mother_whereabouts: "",
    economic_status: "",
    guardian_name: "",
    guardian_relation: "",
    guardian_age: undefined,
    guardian_health: "",
    guardian_capacity: "",
    screened_on: "",
    result: "",
    notes: "",
  };
}

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** The form filled with the file's current value of `field`, so a person changes only what is wrong. */
export function draftFrom(file: Obj | null | undefined, field: CorrectableField): Draft {
  const draft = emptyDraft();
  const current = file?.[field];
  switch (valueKind(field)) {
    case "text":
      draft.text = str(current);
      break;
    case "date":
      draft.date = str(current);
      break;
    case "choice":
      draft.choice = str(current);
      break;
    case "choices":
      draft.choices = Array.isArray(current) ? current.map(String) : [];
      break;
    case "household": {
      const h = obj(current);
      draft.father_status = str(obj(h.father).status);
      draft.father_whereabouts = str(obj(h.father).whereabouts);
      draft.mother_status = str(obj(h.mother).status);
      draft.mother_whereabouts = str(obj(h.mother).whereabouts);
      draft.economic_status = str(h.economic_status);
      break;
    }
    case "guardian": {
      const g = obj(current);
      draft.guardian_name = str(g.name);
      draft.guardian_relation = str(g.relation);
      draft.guardian_age = typeof g.age === "number" ? g.age : undefined;
      draft.guardian_health = str(g.health);
      draft.guardian_capacity = str(g.capacity);
      break;
    }
    case "mental_health": {
      const m = obj(current);
      draft.screened_on = str(m.screened_on);
      draft.result = str(m.result);
      draft.notes = str(m.notes);
      break;
    }
  }
  return draft;
}

function parent(status: string, whereabouts: string) {
  return { status, whereabouts: status === "migrant" && whereabouts.trim() ? whereabouts.trim() : undefined };
}

/** The correction's `value`, shaped as at registration (CorrectionRequest.value); an emptied optional fact is null. */
export function correctionValue(field: CorrectableField, draft: Draft): unknown {
  const optional = OPTIONAL.includes(field);
  switch (valueKind(field)) {
    case "text": {
      const text = draft.text.trim();
      return optional && !text ? null : text;
    }
    case "date":
      return draft.date || null;
    case "choice":
      return draft.choice || null;
    case "choices":
      return [...draft.choices];
    case "household":
      if (!draft.father_status && !draft.mother_status && !draft.economic_status) return null;
      return {
        father: parent(draft.father_status, draft.father_whereabouts),
        mother: parent(draft.mother_status, draft.mother_whereabouts),
        economic_status: draft.economic_status || undefined,
      };
    case "guardian":
      if (!draft.guardian_relation) return null;
      return {
        name: draft.guardian_name.trim() || undefined,
        relation: draft.guardian_relation,
        age: draft.guardian_age,
        health: draft.guardian_health || undefined,
        capacity: draft.guardian_capacity || undefined,
      };
    case "mental_health":
      if (!draft.result && !draft.screened_on) return null;
      return { screened_on: draft.screened_on || undefined, result: draft.result || undefined, notes: draft.notes.trim() || null };
  }
}

export interface PlacedErrors {
  /** under the value as a whole */
  value: string;
  /** under a part of the value ("father.status", "age"…) */
  parts: Record<string, string>;
  reason: string;
  field: string;
  /** a rule the corrected file would break on another fact (e.g. categories needing the household) */
  others: string[];
}

/** The API's refusal (flattened by fieldErrors) placed on the correction form: the shape's
 *  errors come under `value`, the rules' under the fact's own name, and a rule broken on
 *  another fact of the file is said with that fact's name. */
export function placeCorrectionErrors(fields: Record<string, string>, field: string): PlacedErrors {
  const placed: PlacedErrors = { value: "", parts: {}, reason: "", field: "", others: [] };
  for (const [key, message] of Object.entries(fields)) {
    if (key === "reason") placed.reason = message;
    else if (key === "field") placed.field = message;
    else if (key === "value" || key === field) placed.value = message;
    else if (key.startsWith("value.")) placed.parts[key.slice(6)] = message;
    else if (key.startsWith(`${field}.`)) placed.parts[key.slice(field.length + 1)] = message;
    else if (key === "child_id") placed.others.push(`档案：${message}`);
    else placed.others.push(`${fieldName(key.split(".")[0])}：${message}`);
  }
  return placed;
}

// -- a file's history (GET /children/{id}/history) ----------------------------------

export interface FileChange {
  version?: number;
  event?: string;
  at?: string;
  actor?: Record<string, unknown>;
  reason?: string | null;
  data?: Record<string, unknown>;
}

const EVENTS: Record<string, string> = {
  registered: "建档",
  corrected: "更正",
  visit_recorded: "走访",
  risk_assessed: "风险评估",
  help_recorded: "关爱帮扶",
  merged_into: "并入另一档案",
  absorbed: "并入重复档案",
  transferred_out: "转出本区",
  left_behind_ended: "留守儿童身份结束",
  aged_out: "年满十八周岁",
};

export function eventName(event: string | undefined): string {
  return (event && EVENTS[event]) || event || "—";
}

function detail(event: string | undefined, data: Obj): string {
  switch (event) {
    case "corrected":
      return `${fieldName(str(data.field))}：${showValue(data.old)} → ${showValue(data.new)}`;
    case "visit_recorded":
      return `${str(data.visited_on)} ${str(data.visitor)}`.trim();
    case "risk_assessed":
      return `${label(data.level as number)}（评估日期 ${str(data.assessed_on)}）`;
    case "merged_into":
      return `并入档案 ${str(data.survivor_id)}`;
    case "absorbed":
      return `档案 ${str(data.merged_id)} 并入本档案`;
    case "transferred_out":
      return `转往 ${str(data.destination)}（${str(data.transferred_on)}）`;
    case "registered":
      return `${str(data.name)} ${str(data.town)}${str(data.village)}`.trim();
    default:
      return "";
  }
}

export interface HistoryRow {
  version: number;
  at: string;
  who: string;
  role: string;
  what: string;
  detail: string;
  reason: string;
}

/** Each change of a file in a sentence, newest first. */
export function fileHistory(changes: readonly FileChange[] | null | undefined): HistoryRow[] {
  return [...(changes ?? [])]
    .sort((a, b) => (b.version ?? 0) - (a.version ?? 0))
    .map((c) => {
      const actor = obj(c.actor);
      const who = str(actor.id);
      const role = str(actor.role);
      return {
        version: c.version ?? 0,
        at: c.at ?? "",
        who: !who || who === "system" ? "系统" : who,
        role: !role || role === "system" ? "" : label(role),
        what: eventName(c.event),
        detail: detail(c.event, obj(c.data)),
        reason: c.reason ?? "",
      };
    });
}

// -- candidate duplicates (GET /children/duplicates) ---------------------------------

export interface FileSummary {
  child_id?: string;
  name?: string;
  registered_on?: string;
  visits?: number;
  help_records?: number;
}

export function similarity(score: number | undefined): string {
  return `${Math.round((score ?? 0) * 100)}%`;
}

/** Which file of a pair to keep when merging: the older file (the one the village has
 *  worked on longest), then the one with more visits and help records; ties keep the first. */
export function suggestedSurvivor(first: FileSummary, second: FileSummary): "first" | "second" {
  const a = first.registered_on ?? "";
  const b = second.registered_on ?? "";
  if (a && b && a !== b) return a < b ? "first" : "second";
  const work = (f: FileSummary) => (f.visits ?? 0) + (f.help_records ?? 0);
  return work(second) > work(first) ? "second" : "first";
}

/** How a contract reaches a child (GET /casework/children/{id}/reach `via`). */
export function reachVia(via: string | undefined): string {
  return via === "service_area" ? "服务区域覆盖" : via === "referral" ? "转介" : (via ?? "—");
}

/** Reasons typed one a line (an assessment's `reasons`): blank lines dropped. */
export function reasonLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}
