// Where an item of GET /me/tasks opens in the app (docs/tasks.md). The API
// gives each item the API path of its record; the app has a screen for some
// of them, and only for some roles: a child's file (/children/{id}) for the
// director and the social worker, a case (/cases/{id}) and the quarterly
// report of the contract being worked under for the social worker. Anything
// else (an evaluation, an objection, a tranche) has no screen here: no link.
export interface TaskLike {
  kind: string;
  link: string;
  contract_id?: string;
}

export interface Viewer {
  director: boolean; // child_director or bureau_admin
  worker: boolean; // provider_staff
  contractId: string; // the contract the worker is working under ("" if none)
}

const CHILD = /^\/children\/[0-9a-fA-F-]+$/;
const CASE = /^\/cases\/[0-9a-fA-F-]+$/;

export function pageOf(item: TaskLike, viewer: Viewer): string {
  if (CHILD.test(item.link)) return viewer.director || viewer.worker ? item.link : "";
  if (!viewer.worker) return "";
  if (item.kind === "case_goal" || item.kind === "case_review") return CASE.test(item.link) ? item.link : "";
  if (item.kind === "quarterly_report" && item.contract_id && item.contract_id === viewer.contractId) return "/report";
  return "";
}
