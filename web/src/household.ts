// A child's household and guardian (GET /children/{id}) as labelled rows for
// the file screen: each parent's situation and, for a migrant parent, where
// they work; the family's economic status; who the guardian is. Values are
// shown as the API gives them (already masked for the reader's role); a block
// the file has not filled in yet reads as 未填写.
import { label } from "./i18n/labels";

export interface Row {
  label: string;
  value: string;
}

type Parent = { status?: string; whereabouts?: string | null };
type Household = { economic_status?: string; father?: Parent; mother?: Parent };
type Guardian = { name?: string | null; relation?: string; age?: number; health?: string; capacity?: string };

const NOT_FILLED = "未填写";
const text = (value: unknown) => (value === null || value === undefined || value === "" ? "—" : String(value));
const filled = (block: unknown): block is Record<string, unknown> =>
  typeof block === "object" && block !== null && Object.keys(block).length > 0;

function parentRows(who: "father" | "mother", parent: Parent | undefined): Row[] {
  const rows = [{ label: label(`household_${who}`), value: parent ? label(parent.status) : "—" }];
  if (parent?.status === "migrant" || parent?.whereabouts)
    rows.push({ label: label(`household_${who}_whereabouts`), value: text(parent?.whereabouts) });
  return rows;
}

export function householdRows(household: unknown): Row[] {
  if (!filled(household)) return [{ label: label("household"), value: NOT_FILLED }];
  const h = household as Household;
  return [
    ...parentRows("father", h.father),
    ...parentRows("mother", h.mother),
    { label: label("economic_status"), value: label(h.economic_status) },
  ];
}

export function guardianRows(guardian: unknown): Row[] {
  if (!filled(guardian)) return [{ label: label("guardian"), value: NOT_FILLED }];
  const g = guardian as Guardian;
  return [
    { label: label("guardian_name"), value: text(g.name) },
    { label: label("guardian_relation"), value: label(g.relation) },
    { label: label("guardian_age"), value: g.age === undefined || g.age === null ? "—" : `${g.age} 岁` },
    { label: label("guardian_health"), value: label(g.health) },
    { label: label("guardian_capacity"), value: label(g.capacity) },
  ];
}
