// The grants year's arithmetic and bookkeeping, kept out of the screens so it
// is tested on its own: a reviewer's rubric total as they type (the same
// weighted mean as services/grants/domain/proposals.py weighted_total), each
// criterion's bounds, the reasons a failed eligibility gives, and a reviewer's
// own panel seats.

export interface Criterion {
  criterion: string;
  weight: number;
}

/** Each criterion is scored 0–100 in whole points (ScoreRequest). */
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

export type Scores = Record<string, number | null | undefined>;

function isScore(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= SCORE_MIN && value <= SCORE_MAX;
}

/** What a person typed into a score box: null while empty, NaN when not a number. */
export function parseScore(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const trimmed = String(text).trim();
  if (trimmed === "") return null;
  return /^[+-]?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : NaN;
}

/** What is wrong with one criterion's score, in Chinese; "" when it is fine. */
export function scoreProblem(value: number | null | undefined): string {
  if (value === null || value === undefined) return "请评分";
  if (!Number.isInteger(value)) return "应为整数";
  if (value < SCORE_MIN || value > SCORE_MAX) return `应在 ${SCORE_MIN} 到 ${SCORE_MAX} 之间`;
  return "";
}

/** Criterion → problem, for every criterion of the rubric that is not yet a valid score. */
export function scoreProblems(rubric: readonly Criterion[], scores: Scores): Record<string, string> {
  const found: Record<string, string> = {};
  for (const { criterion } of rubric) {
    const problem = scoreProblem(scores[criterion]);
    if (problem) found[criterion] = problem;
  }
  return found;
}

/** One criterion's part of the total: score × weight / 100 (0 while not a valid score). */
export function weightedPart(weight: number, value: number | null | undefined): number {
  return isScore(value) ? (value * weight) / 100 : 0;
}

/** The weighted total (0–100) of the criteria scored so far, to two decimals. */
export function rubricTotal(rubric: readonly Criterion[], scores: Scores): number {
  const sum = rubric.reduce((acc, { criterion, weight }) => acc + (isScore(scores[criterion]) ? scores[criterion]! * weight : 0), 0);
  return Math.round(sum) / 100;
}

/** Whether every criterion has a valid score: only then may the sheet be sent. */
export function complete(rubric: readonly Criterion[], scores: Scores): boolean {
  return rubric.length > 0 && Object.keys(scoreProblems(rubric, scores)).length === 0;
}

/** The sum of the rubric's weights (the call requires 100). */
export function weightSum(rubric: readonly Criterion[]): number {
  return rubric.reduce((acc, c) => acc + c.weight, 0);
}

/** "86.40" — a total as the panel reads it. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  return (Math.round(value * 100) / 100).toFixed(2);
}

export interface RuleResult {
  rule: string;
  kind: string;
  passed: boolean;
  reason: string;
  points: number;
}

/** The reasons of the hard rules that failed: what a rejection tells the applicant. */
export function failingReasons(rules: readonly RuleResult[]): string[] {
  return rules.filter((r) => r.kind === "hard" && !r.passed).map((r) => r.reason);
}

export interface Seat {
  member_id: string;
  role: string;
  name?: string;
}

/** The caller's seats on a call's panel: a reviewer's scope names their seats. */
export function ownSeats<T extends Seat>(panel: readonly T[] | null | undefined, memberIds: readonly string[]): T[] {
  const own = new Set(memberIds.map(String));
  return (panel ?? []).filter((seat) => own.has(String(seat.member_id)));
}

export interface Declaration {
  member_id: string;
  application_id: string;
  conflicted: boolean;
  statement?: string;
  declared_on?: string;
}

/** A member's declaration for one application, if they made it. */
export function declarationOf(
  declarations: readonly Declaration[] | null | undefined,
  memberId: string,
  applicationId: string,
): Declaration | undefined {
  return (declarations ?? []).find(
    (d) => String(d.member_id) === String(memberId) && String(d.application_id) === String(applicationId),
  );
}

/** Where a seat stands with one application: declare first, then score (unless conflicted). */
export type SeatStep = "declare" | "conflicted" | "score" | "scored";

export function seatStep(declaration: Declaration | undefined, scored: boolean): SeatStep {
  if (!declaration) return "declare";
  if (declaration.conflicted) return "conflicted";
  return scored ? "scored" : "score";
}

export const SEAT_STEP_LABELS: Record<SeatStep, string> = {
  declare: "待申报利益关系",
  conflicted: "已申报回避",
  score: "待评分",
  scored: "已评分",
};

/** The panel's four roles, and which of them the call still lacks (the shortlist needs all four). */
export const PANEL_ROLES = ["civil_affairs", "finance", "social_worker", "implementer_representative"] as const;

export function missingRoles(panel: readonly Seat[] | null | undefined): string[] {
  const seated = new Set((panel ?? []).map((s) => s.role));
  return PANEL_ROLES.filter((role) => !seated.has(role));
}

/** Whether a shortlist of `size` would cut between two equal totals (the service refuses a tie at the cut). */
export function tieAtCut(totals: readonly number[], size: number): boolean {
  const sorted = [...totals].sort((a, b) => b - a);
  return size > 0 && size < sorted.length && sorted[size - 1] === sorted[size];
}

/** Yuan typed by a person → integer fen (the API's money); NaN when it is not an amount. */
export function yuanToFen(yuan: number | null | undefined): number {
  if (yuan === null || yuan === undefined || !Number.isFinite(yuan) || yuan < 0) return NaN;
  return Math.round(yuan * 100);
}

export interface BudgetLine {
  line: string;
  amount_fen: number;
}

/** The determined amount less the plan's lines: 0 when the optimised plan adds up. */
export function budgetGap(lines: readonly BudgetLine[], amountFen: number): number {
  return amountFen - lines.reduce((sum, l) => sum + (Number.isFinite(l.amount_fen) ? l.amount_fen : 0), 0);
}

/** The last day of a one-year term from `start` ("YYYY-MM-DD"): the day before its
 *  anniversary; a 29 February start ends on 28 February (contract_term.one_year_end). */
export function oneYearEnd(start: string): string {
  const [y, m, d] = start.split("-").map(Number);
  const leapDay = m === 2 && d === 29;
  const anniversary = leapDay ? new Date(Date.UTC(y + 1, 2, 1)) : new Date(Date.UTC(y + 1, m - 1, d));
  anniversary.setUTCDate(anniversary.getUTCDate() - 1);
  return anniversary.toISOString().slice(0, 10);
}
