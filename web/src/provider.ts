// The provider's own contract, without Vue: the quarterly written report that
// cites the generated report on screen (卫沙民社函〔2025〕11号 §五.(三).4; the
// gateway regenerates it at that position and refuses another hash), where each
// quarter's written report stands, and what a force-majeure report and the
// supervision records must carry before they are sent.

export interface GeneratedReport {
  year: number;
  quarter: number;
  as_of_position: number;
  content_hash: string;
  children?: { reached?: number };
}

export interface WrittenReport {
  report_id: string;
  year: number;
  quarter: number;
  summary: string;
  submitted_on: string;
  status: string; // submitted, accepted, returned
  reason: string | null;
  reviewed_on: string | null;
}

/** The body of POST /contracts/{id}/quarterly-reports: the quarter and the
 *  citation come from the generated report read on screen, never typed. */
export function writtenReportBody(report: GeneratedReport, summary: string, submittedOn: string | null) {
  const reached = report.children?.reached;
  return {
    year: report.year,
    quarter: report.quarter,
    summary,
    submitted_on: submittedOn || null,
    figures: typeof reached === "number" ? { children_reached: reached } : null,
    generated_report: { as_of_position: report.as_of_position, content_hash: report.content_hash },
  };
}

/** The written report that stands for a quarter: the latest one submitted
 *  (a returned report may be submitted again; the newer one counts). */
export function standingReport(reports: readonly WrittenReport[], period: string): WrittenReport | undefined {
  const [year, quarter] = period.split("-Q").map(Number);
  return reports
    .filter((r) => r.year === year && r.quarter === quarter)
    .reduce<WrittenReport | undefined>((latest, r) => (latest && latest.submitted_on > r.submitted_on ? latest : r), undefined);
}

/** A quarter takes a (new) written report while none stands or the bureau returned it. */
export function maySubmit(standing: WrittenReport | undefined): boolean {
  return !standing || standing.status === "returned";
}

/** Where the quarter's written report stands, in one line. */
export function standingText(standing: WrittenReport | undefined): string {
  if (!standing) return "本季度尚未报送书面报告";
  switch (standing.status) {
    case "submitted":
      return `已于 ${standing.submitted_on} 报送，等待区民社局审核`;
    case "accepted":
      return `已于 ${standing.submitted_on} 报送，区民社局已审核通过`;
    case "returned":
      return `区民社局已退回${standing.reason ? `（${standing.reason}）` : ""}，请修改后重新报送`;
    default:
      return standing.status;
  }
}

/** What must be filled before a written report goes; "" when it may be sent. */
export function summaryProblem(summary: string): string {
  if (!summary.trim()) return "请填写书面报告（本季度项目实施情况）";
  if (summary.length > 5000) return "不能超过 5000 个字";
  return "";
}

export const FORCE_MAJEURE_ACTIONS = ["continue", "suspend", "terminate"] as const;

/** A force-majeure report's own checks (the API says the same): the event and its impact, each up to 5000 字. */
export function forceMajeureProblems(report: { event: string; impact: string }): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, text, what] of [
    ["event", report.event, "事件"],
    ["impact", report.impact, "对服务的影响"],
  ] as const) {
    if (!text.trim()) found[field] = `请填写${what}`;
    else if (text.length > 5000) found[field] = "不能超过 5000 个字";
  }
  return found;
}

export const SUPERVISION_FOCUS = ["implementation_concept", "professional_skills", "resource_development"] as const;

/** Minutes and head counts as the casework rules take them: whole numbers within bounds. */
export function countProblem(value: number | null | undefined, max: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "必填";
  if (!Number.isInteger(value)) return "应为整数";
  if (value < 1 || value > max) return `应在 1 到 ${max} 之间`;
  return "";
}

/** The directors attending a session, as the supervision table names them
 *  (村 and name, from the directors' list); one not in the list is still counted. */
export function attendingText(
  ids: readonly string[] | undefined,
  directors: readonly { director_id: string; town?: string | null; village?: string | null; name?: string }[],
): string {
  const byId = new Map(directors.map((d) => [d.director_id, `${d.village ?? ""} ${d.name ?? ""}`.trim()]));
  const named = (ids ?? []).map((id) => byId.get(id) ?? "（未列出的儿童主任）");
  return named.length ? named.join("、") : "—";
}

/** Sessions as a table lists them: the latest held first (then as the API listed them). */
export function latestFirst<T extends { held_on?: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (b.held_on ?? "").localeCompare(a.held_on ?? ""));
}
