// Organisations and their dated evidence, and an applicant's application, kept
// out of the screens so they are tested on their own: the credit code's checks
// (the same as services/grants/domain/credit_code.py, so a typo is said at the
// field before sending), which fields each kind of evidence carries
// (organizations.py EVIDENCE_FIELDS), what waits for the bureau's
// verification, and whether a proposal covers its call.

import { label as say } from "./i18n/labels";

// -- unified social credit code (GB 32100) -----------------------------------------------------------
const CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

function checkCharacter(first17: string): string {
  let total = 0;
  for (let i = 0; i < 17; i++) total += CHARSET.indexOf(first17[i]) * (3 ** i % 31);
  return CHARSET[(31 - (total % 31)) % 31];
}

function organizationCheckCharacter(first8: string): string {
  let total = 0;
  for (let i = 0; i < 8; i++) total += parseInt(first8[i], 36) * ORG_WEIGHTS[i];
  const check = 11 - (total % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

/** Why a typed code is not a valid unified social credit code, in Chinese ("" when it is). */
export function creditCodeProblem(typed: string): string {
  const code = typed.trim().toUpperCase();
  if (code.length !== 18) return "统一社会信用代码应为 18 位";
  if ([...code].some((c) => !CHARSET.includes(c))) return "含有不允许的字符（不使用 I、O、S、V、Z）";
  if (!/^\d{6}$/.test(code.slice(2, 8))) return "第 3–8 位应为行政区划代码（数字）";
  if (organizationCheckCharacter(code.slice(8, 16)) !== code[16]) return "组织机构代码（第 9–17 位）校验不符";
  if (checkCharacter(code.slice(0, 17)) !== code[17]) return "校验码（第 18 位）不符，请核对";
  return "";
}

/** The registration type the code's first two characters name (credit_code.registration_type). */
export function registrationTypeOf(typed: string): string {
  const code = typed.trim().toUpperCase();
  if (code[0] !== "5") return "not_civil_affairs";
  return { "1": "social_group", "2": "private_non_enterprise", "3": "foundation" }[code[1]] ?? "other_civil_affairs";
}

/** Only social groups (51) and private non-enterprise units (52) may apply (eligibility.py). */
export function mayApply(registrationType: string): boolean {
  return registrationType === "social_group" || registrationType === "private_non_enterprise";
}

// -- evidence ----------------------------------------------------------------------------------------
export const EVIDENCE_KINDS = [
  "annual_inspection",
  "evaluation_grade",
  "credit_check",
  "misconduct",
  "honour",
  "project_experience",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export type EvidenceField =
  | "year"
  | "result"
  | "grade"
  | "valid_until"
  | "list_name"
  | "subject"
  | "description"
  | "authority"
  | "title"
  | "issuer"
  | "outcome";

/** What each kind of evidence must carry besides its date (organizations.py EVIDENCE_FIELDS). */
export const EVIDENCE_FIELDS: Record<EvidenceKind, readonly EvidenceField[]> = {
  annual_inspection: ["year", "result"],
  evaluation_grade: ["grade", "valid_until"],
  credit_check: ["list_name", "subject", "result"],
  misconduct: ["subject", "description", "authority"],
  honour: ["title", "issuer"],
  project_experience: ["title", "issuer", "outcome"],
};

/** The choices a field offers for a kind (the rest are typed). */
export const EVIDENCE_CHOICES: Partial<Record<string, readonly string[]>> = {
  "annual_inspection.result": ["qualified", "basically_qualified", "unqualified"],
  "credit_check.result": ["clear", "listed"],
  subject: ["organisation", "legal_representative", "project_lead"],
  outcome: ["good", "satisfactory", "poor"],
};

export function choicesFor(kind: EvidenceKind, field: EvidenceField): readonly string[] | undefined {
  return EVIDENCE_CHOICES[`${kind}.${field}`] ?? EVIDENCE_CHOICES[field];
}

export interface EvidenceForm {
  kind: EvidenceKind;
  effective_on: string | null;
  year: number | null;
  grade: number | null;
  valid_until: string | null;
  result: string;
  list_name: string;
  subject: string;
  description: string;
  authority: string;
  title: string;
  issuer: string;
  outcome: string;
  document_ref: string;
  note: string;
}

export function blankEvidence(kind: EvidenceKind = "annual_inspection"): EvidenceForm {
  return {
    kind,
    effective_on: null,
    year: null,
    grade: null,
    valid_until: null,
    result: "",
    list_name: "",
    subject: "",
    description: "",
    authority: "",
    title: "",
    issuer: "",
    outcome: "",
    document_ref: "",
    note: "",
  };
}

/** The request for one item: its kind's fields only (the service refuses the others), blanks left out. */
export function evidenceBody(form: EvidenceForm): Record<string, string | number> {
  const body: Record<string, string | number> = { kind: form.kind };
  if (form.effective_on) body.effective_on = form.effective_on;
  for (const name of [...EVIDENCE_FIELDS[form.kind], "document_ref", "note"] as const) {
    const value = form[name];
    if (value === null || value === undefined) continue;
    const kept = typeof value === "string" ? value.trim() : value;
    if (kept !== "") body[name] = kept;
  }
  return body;
}

export interface Verification {
  verified_by: string;
  verified_on: string;
  source: string;
  reason?: string;
}

export interface Evidence {
  evidence_id: string;
  kind: string;
  effective_on: string;
  status: "submitted" | "verified" | "rejected" | string;
  verification: Verification | null;
  [field: string]: unknown;
}

/** What the bureau still has to verify or reject: only verified evidence counts for eligibility. */
export function awaitingVerification(evidence: readonly Evidence[] | null | undefined): Evidence[] {
  return (evidence ?? []).filter((e) => e.status === "submitted");
}

/** One item in a line a person reads: "2024年 合格", "信用中国…：机构 未列入"… */
export function evidenceSummary(e: Evidence): string {
  const label = (code: unknown, context?: string) => say(code as string | number | null | undefined, context);
  switch (e.kind) {
    case "annual_inspection":
      return `${e.year}年 ${label(e.result, "inspection_result")}`;
    case "evaluation_grade":
      return `${e.grade}A，有效期至 ${e.valid_until}`;
    case "credit_check":
      return `${e.list_name}：${label(e.subject, "evidence_subject")} ${label(e.result, "credit_result")}`;
    case "misconduct":
      return `${label(e.subject, "evidence_subject")}：${e.description}（${e.authority}）`;
    case "honour":
      return `${e.title}（${e.issuer}）`;
    case "project_experience":
      return `${e.title}（${e.issuer}），实施效果${label(e.outcome, "experience_outcome")}`;
    default:
      return "";
  }
}

// -- an application -----------------------------------------------------------------------------------
export interface CallWindow {
  status: string;
  submission_opens: string;
  submission_closes: string;
}

/** Whether a call takes applications on `today` (calls.py check_accepts_submission). */
export function acceptsApplications(call: CallWindow, today: string): boolean {
  return call.status === "published" && call.submission_opens <= today && today <= call.submission_closes;
}

/** The call's service lines the proposal has no activity for: every one must be covered. */
export function uncoveredLines(callLines: readonly string[], activities: readonly { service_line: string; description: string }[]): string[] {
  const covered = new Set(activities.filter((a) => a.description.trim()).map((a) => a.service_line));
  return callLines.filter((line) => !covered.has(line));
}

/** The four documents every application needs (eligibility.py REQUIRED_DOCUMENTS), the form signed and sealed. */
export const REQUIRED_DOCUMENTS = [
  "application_form",
  "registration_certificate",
  "bank_account_documents",
  "accountant_qualification",
] as const;
export const OPTIONAL_DOCUMENTS = ["honour_certificates", "evaluation_grade_proof"] as const;

/** Lines that are blank in every cell are left out; the others are sent as typed. */
export function filledRows<T extends object>(rows: readonly T[]): T[] {
  return rows.filter((row) => Object.values(row).some((v) => (typeof v === "string" ? v.trim() !== "" : v !== null && v !== undefined)));
}

/** The proposal's total in fen, and how much it exceeds the call's budget (0 when within). */
export function overBudget(lines: readonly { amount_fen: number }[], budgetFen: number): number {
  const total = lines.reduce((sum, l) => sum + (Number.isFinite(l.amount_fen) ? l.amount_fen : 0), 0);
  return Math.max(0, total - budgetFen);
}

/** The status a provider's application may still be withdrawn in (proposals.py BEFORE_CONTRACT). */
export const WITHDRAWABLE = [
  "submitted",
  "preliminary_passed",
  "in_review",
  "shortlisted",
  "on_notice",
  "determined",
  "optimising",
] as const;

export function mayWithdraw(status: string): boolean {
  return (WITHDRAWABLE as readonly string[]).includes(status);
}

/** A bureau may disqualify (false materials…) up to the contract, and after rejection or withdrawal. */
export function mayDisqualify(status: string): boolean {
  return mayWithdraw(status) || ["rejected", "not_selected", "withdrawn"].includes(status);
}

// -- the application form → POST /calls/{call_id}/applications ----------------------------------------
export interface ProposalForm {
  summary: string;
  data_points: { indicator: string; value: string; source: string }[];
  target_group: string;
  objectives: string; // one a line
  activities: { service_line: string; description: string }[];
  budget_lines: { line: string; yuan: string }[];
  schedule: { milestone: string; due: string | null }[];
  evaluation_standard: string;
  team: { name: string; role: string; qualifications: string }[];
}

export interface DocumentForm {
  kind: string;
  reference: string;
  signed_and_sealed: boolean;
}

/** Yuan as typed ("1,500.50") → fen; null when blank, NaN when not an amount. */
export function fenOf(text: string): number | null {
  const clean = text.replace(/[,，\s元¥￥]/g, "");
  if (clean === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return Number.NaN;
  const [whole, cents = ""] = clean.split(".");
  return Number(whole) * 100 + Number(cents.padEnd(2, "0"));
}

/** The proposal as the API takes it: rows left blank dropped, objectives one a line, yuan in fen
 *  (an amount that is not one is sent as -1 so the service names the line). */
export function proposalBody(form: ProposalForm) {
  return {
    needs_analysis: { summary: form.summary.trim(), data_points: filledRows(form.data_points) },
    target_group: form.target_group.trim(),
    objectives: form.objectives
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean),
    activities: form.activities.filter((a) => a.description.trim()).map((a) => ({ ...a, description: a.description.trim() })),
    budget_lines: filledRows(form.budget_lines).map((l) => {
      const fen = fenOf(l.yuan);
      return { line: l.line.trim(), amount_fen: fen === null || Number.isNaN(fen) ? -1 : fen };
    }),
    schedule: filledRows(form.schedule).map((m) => ({ milestone: m.milestone.trim(), due: m.due ?? "" })),
    evaluation_standard: form.evaluation_standard.trim(),
    team: filledRows(form.team),
  };
}

/** The documents sent: only those with a reference typed. */
export function documentsBody(documents: readonly DocumentForm[]): DocumentForm[] {
  return documents
    .filter((d) => d.reference.trim())
    .map((d) => ({ kind: d.kind, reference: d.reference.trim(), signed_and_sealed: d.kind === "application_form" && d.signed_and_sealed }));
}

/** The required documents not yet named, and whether the form is signed and sealed. */
export function documentProblems(documents: readonly DocumentForm[]): { missing: string[]; unsigned: boolean } {
  const named = new Set(documents.filter((d) => d.reference.trim()).map((d) => d.kind));
  const form = documents.find((d) => d.kind === "application_form");
  return {
    missing: REQUIRED_DOCUMENTS.filter((k) => !named.has(k)),
    unsigned: !!form?.reference.trim() && !form.signed_and_sealed,
  };
}
