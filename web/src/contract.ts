// The contract phase's arithmetic, kept out of the screens so it is tested on
// its own: the leaf indicators an evaluation scores (services/grants/domain/
// contracts.py leaves), the total and grade it earns, the evaluating bodies an
// evaluation cannot be recorded without (REQUIRED_EVALUATORS), and which step
// of the contract's close-out comes next.

export interface Indicator {
  code: string;
  name: string;
  max_points: number;
  children?: Indicator[];
}

export interface Leaf {
  path: string;
  name: string;
  max: number;
}

/** The leaf indicators, each by its path ("output", "effect.reach"): an evaluation scores every one. */
export function leafIndicators(indicators: readonly Indicator[] | null | undefined, prefix = ""): Leaf[] {
  return (indicators ?? []).flatMap((node) => {
    const path = `${prefix}${node.code}`;
    return node.children?.length ? leafIndicators(node.children, `${path}.`) : [{ path, name: node.name, max: node.max_points }];
  });
}

/** What is wrong with one leaf's points, in Chinese; "" when it is fine (0 to max, in steps of 0.1). */
export function pointsProblem(max: number, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "请评分";
  if (value < 0 || value > max) return `应在 0 到 ${max} 之间`;
  if (Math.abs(value * 10 - Math.round(value * 10)) > 1e-9) return "最多一位小数";
  return "";
}

/** The evaluation's total of the leaves validly scored, to one decimal. */
export function evaluationTotal(leaves: readonly Leaf[], scores: Record<string, number | null | undefined>): number {
  const tenths = leaves.reduce((sum, leaf) => {
    const value = scores[leaf.path];
    return pointsProblem(leaf.max, value) ? sum : sum + Math.round((value as number) * 10);
  }, 0);
  return tenths / 10;
}

/** 优 ≥90, 良 80–89, 中 60–79, 差 <60 (contracts.grade). */
export function gradeOf(score: number): "excellent" | "good" | "fair" | "poor" {
  if (score >= 90) return "excellent";
  if (score >= 80) return "good";
  if (score >= 60) return "fair";
  return "poor";
}

export const EVALUATOR_BODIES = [
  "civil_affairs_bureau",
  "finance_bureau",
  "implementer_representative",
  "professional_social_worker",
  "other",
] as const;
export type Body = (typeof EVALUATOR_BODIES)[number];
export type EvaluationKind = "mid_term" | "effectiveness";

/** Mid-term: the bureau (§五.(三).4); effectiveness: the bureau, finance and the implementers (§五.(四).2). */
export const REQUIRED_EVALUATORS: Record<EvaluationKind, readonly Body[]> = {
  mid_term: ["civil_affairs_bureau"],
  effectiveness: ["civil_affairs_bureau", "finance_bureau", "implementer_representative"],
};

export interface Evaluator {
  body: string;
  name: string;
}

/** The required bodies not yet among the named evaluators. */
export function missingBodies(kind: EvaluationKind, evaluators: readonly Evaluator[]): Body[] {
  const present = new Set(evaluators.filter((e) => e.name.trim()).map((e) => e.body));
  return REQUIRED_EVALUATORS[kind].filter((body) => !present.has(body));
}

/** One evaluator row per required body, for a new evaluation form. */
export function evaluatorRows(kind: EvaluationKind): Evaluator[] {
  return REQUIRED_EVALUATORS[kind].map((body) => ({ body, name: "" }));
}

export type CloseOutStep = "reports" | "mid_term" | "complete" | "effectiveness" | "audit" | "close" | "none";

/** The close-out step a contract is at: while active and the mid-term not passed,
 *  waiting for two accepted quarterly reports, then the mid-term; then completion,
 *  the effectiveness evaluation, the audit and the closure. */
export function closeOutStep(contract: {
  status: string;
  mid_term_passed: boolean;
  quarterly_reports?: readonly { status: string }[];
}): CloseOutStep {
  switch (contract.status) {
    case "active": {
      if (contract.mid_term_passed) return "complete";
      const accepted = (contract.quarterly_reports ?? []).filter((r) => r.status === "accepted").length;
      return accepted >= 2 ? "mid_term" : "reports";
    }
    case "completed":
      return "effectiveness";
    case "evaluated":
      return "audit";
    case "audited":
      return "close";
    default:
      return "none";
  }
}
