// The roster import screen's reading of the API's answers (POST
// /children/imports/preview, GET /children/imports/{id}): each row's problems
// in Chinese, and how far an import has come.
import type { Schemas } from "./api/client";
import { label } from "./i18n/labels";

export type RosterPreview = Schemas["RosterPreview"];
export type RosterProgress = Schemas["RosterProgress"];
type Refusal = RosterPreview["problems"][number];

export interface ProblemLine {
  row: number;
  field: string;
  problem: string;
  detail: string;
}

/** The column a problem is in, as the roster's header names it ("household.father.status" → 父亲状况). */
export function columnLabel(field: string): string {
  if (field.startsWith("household.father")) return "父亲状况";
  if (field.startsWith("household.mother")) return "母亲状况";
  if (field.startsWith("household.economic_status")) return "家庭经济状况";
  const head = field.split(".")[0];
  if (head === "father") return "父亲状况";
  if (head === "mother") return "母亲状况";
  if (head === "economic_status") return "家庭经济状况";
  return label(head);
}

/** One line per problem, in row order, for the preview's table. */
export function problemLines(refusals: readonly Refusal[] | undefined): ProblemLine[] {
  return (refusals ?? []).flatMap((refusal) =>
    refusal.problems.map((p) => ({
      row: refusal.row,
      field: columnLabel(p.field),
      problem: label(p.code),
      detail: p.message,
    })),
  );
}

/** Percent of the file's rows done (0 to 100). */
export function percentDone(progress: Pick<RosterProgress, "rows" | "rows_done"> | undefined): number {
  if (!progress || !progress.rows) return progress ? 100 : 0;
  return Math.min(100, Math.round((progress.rows_done / progress.rows) * 100));
}
