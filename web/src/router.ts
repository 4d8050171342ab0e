import { createRouter, createWebHistory, type RouteLocationNormalized } from "vue-router";
import { hasRole, restoreSession, session } from "./session";
import { forgetWork, loadContract, work } from "./work";

const DIRECTOR = ["child_director", "bureau_admin"];
// A provider's social worker: casework under their organisation's contract.
const PROVIDER = ["provider_staff"];
const worker = (title: string) => ({ title, roles: PROVIDER, contract: true });
// Line 1 (摸底走访建档): the director's screens, which a social worker uses in
// their contract's service area, under that contract (卫沙民社函〔2025〕11号 §三.(四).1).
const line1 = (title: string) => ({ title, roles: [...DIRECTOR, ...PROVIDER], contract: true });
// The audit routes are the readers' (services/gateway/policy.py READERS).
export const AUDIT = ["auditor", "bureau_admin"];
// Money moves only by finance officers; the readers see the same figures
// (services/gateway/policy.py, finance rows). The write buttons are the officer's.
export const FINANCE = ["finance_officer"];
const money = (title: string) => ({ title, roles: [...FINANCE, ...AUDIT] });
// The bureau's own screens: its desk, the children's figures, the accounts.
// The grants year is run by the bureau too; reviewers score on their own seats only.
export const BUREAU = ["bureau_admin"];
export const REVIEWER = ["reviewer"];
const bureau = (title: string) => ({ title, roles: BUREAU });

export const router = createRouter({
  history: createWebHistory("/app/"),
  routes: [
    {
      path: "/",
      name: "home",
      redirect: () =>
        hasRole(...BUREAU)
          ? "/bureau"
          : hasRole(...DIRECTOR)
            ? "/today"
            : hasRole(...PROVIDER)
              ? "/caseload"
              : hasRole(...FINANCE)
                ? "/finance"
                : hasRole(...AUDIT)
                  ? "/audit"
                  : hasRole(...REVIEWER)
                    ? "/review"
                    : "/public/notices",
    },
    { path: "/signin", name: "signin", component: () => import("./views/SignIn.vue"), meta: { title: "登录" } },
    { path: "/public/notices", component: () => import("./views/PublicNotices.vue"), meta: { title: "公示公告" } },
    { path: "/public/bans", component: () => import("./views/PublicBans.vue"), meta: { title: "失信名单" } },
    { path: "/today", component: () => import("./views/Today.vue"), meta: { title: "今日待办", roles: [...DIRECTOR, ...PROVIDER] } },
    { path: "/children", component: () => import("./views/Children.vue"), meta: line1("本村儿童") },
    {
      path: "/children/new",
      component: () => import("./views/RegisterChild.vue"),
      meta: line1("儿童建档"),
    },
    {
      path: "/children/import",
      component: () => import("./views/RosterImport.vue"),
      meta: { title: "花名册导入", roles: ["bureau_admin"] },
    },
    {
      path: "/children/:id",
      component: () => import("./views/ChildFile.vue"),
      // the auditor reads the file (and its 附件) as GET /children/{id} lets them; writes nothing
      meta: { ...line1("儿童档案"), roles: [...DIRECTOR, ...PROVIDER, "auditor"] },
    },
    {
      path: "/children/:id/visit",
      component: () => import("./views/RecordVisit.vue"),
      meta: line1("走访记录"),
    },
    // What waits on the phone to be sent, and what the server refused (src/outbox.ts).
    { path: "/outbox", component: () => import("./views/Outbox.vue"), meta: line1("待发送") },
    {
      path: "/offline-conflicts",
      component: () => import("./views/OfflineConflicts.vue"),
      meta: { title: "离线提交冲突", roles: ["bureau_admin"] },
    },
    {
      path: "/work/contract",
      component: () => import("./views/sw/ChooseContract.vue"),
      meta: { title: "选择服务合同", roles: PROVIDER },
    },
    { path: "/caseload", component: () => import("./views/sw/Caseload.vue"), meta: worker("我的个案") },
    { path: "/cases/new", component: () => import("./views/sw/OpenCase.vue"), meta: worker("新建个案") },
    { path: "/cases/:id", component: () => import("./views/sw/CaseFile.vue"), meta: worker("个案") },
    { path: "/screening", component: () => import("./views/sw/Screening.vue"), meta: worker("摸底排查") },
    { path: "/groups", component: () => import("./views/sw/Groups.vue"), meta: worker("小组工作") },
    { path: "/groups/:id", component: () => import("./views/sw/GroupDetail.vue"), meta: worker("小组") },
    { path: "/activities", component: () => import("./views/sw/Activities.vue"), meta: worker("社区活动") },
    { path: "/care", component: () => import("./views/sw/Care.vue"), meta: worker("生活关爱") },
    { path: "/report", component: () => import("./views/sw/QuarterReport.vue"), meta: worker("季度报告") },
    { path: "/bureau", component: () => import("./views/bureau/Dashboard.vue"), meta: { title: "局工作台", roles: BUREAU } },
    {
      path: "/bureau/statistics",
      component: () => import("./views/bureau/Statistics.vue"),
      meta: { title: "儿童统计", roles: BUREAU },
    },
    {
      path: "/bureau/accounts",
      component: () => import("./views/bureau/Accounts.vue"),
      meta: { title: "用户账号", roles: BUREAU },
    },
    // not under /bureau/accounts/: an account may be named "new"
    { path: "/bureau/new-account", component: () => import("./views/bureau/NewAccount.vue"), meta: { title: "开通账号", roles: BUREAU } },
    {
      path: "/bureau/accounts/:username",
      component: () => import("./views/bureau/Account.vue"),
      meta: { title: "账号", roles: BUREAU },
    },
    { path: "/audit", component: () => import("./views/audit/ChainBoard.vue"), meta: { title: "日志链核验", roles: AUDIT } },
    {
      path: "/audit/records",
      component: () => import("./views/audit/RecordHistory.vue"),
      meta: { title: "记录历史", roles: AUDIT },
    },
    {
      path: "/audit/access",
      component: () => import("./views/audit/AccessLog.vue"),
      meta: { title: "查阅记录", roles: AUDIT },
    },
    { path: "/finance", component: () => import("./views/finance/Contracts.vue"), meta: money("合同资金") },
    {
      path: "/finance/contracts/:id",
      component: () => import("./views/finance/ContractMoney.vue"),
      meta: money("合同资金明细"),
    },
    { path: "/finance/recoveries", component: () => import("./views/finance/Recoveries.vue"), meta: money("追回款") },
    { path: "/finance/journal", component: () => import("./views/finance/Journal.vue"), meta: money("会计分录") },
    {
      path: "/finance/trial-balance",
      component: () => import("./views/finance/TrialBalance.vue"),
      meta: money("试算平衡表"),
    },
    {
      path: "/finance/reconciliation",
      component: () => import("./views/finance/Reconciliation.vue"),
      meta: money("对账"),
    },
    { path: "/grants", component: () => import("./views/grants/Calls.vue"), meta: bureau("征集公告") },
    { path: "/grants/calls/:id", component: () => import("./views/grants/CallDetail.vue"), meta: bureau("征集公告详情") },
    {
      path: "/grants/applications/:id",
      component: () => import("./views/grants/Application.vue"),
      meta: bureau("申报审查"),
    },
    { path: "/grants/contracts/:id", component: () => import("./views/grants/Contract.vue"), meta: bureau("服务合同") },
    { path: "/review", component: () => import("./views/grants/review/Seats.vue"), meta: { title: "我的评审", roles: REVIEWER } },
    {
      path: "/review/:callId/:memberId/:applicationId",
      component: () => import("./views/grants/review/ScoreSheet.vue"),
      meta: { title: "申报评审", roles: REVIEWER },
    },
    // The file's registry writes and reads beyond visits (issue 16): who may is services/gateway/policy.py's.
    {
      path: "/children/:id/correct",
      component: () => import("./views/CorrectChild.vue"),
      meta: { title: "更正档案", roles: DIRECTOR },
    },
    {
      path: "/children/:id/assess",
      component: () => import("./views/AssessRisk.vue"),
      meta: { title: "风险等级评估", roles: DIRECTOR },
    },
    { path: "/children/:id/transfer", component: () => import("./views/TransferOut.vue"), meta: bureau("转出本区") },
    {
      path: "/children/:id/history",
      component: () => import("./views/ChildHistory.vue"),
      meta: { title: "档案历史", roles: [...DIRECTOR, "auditor"] },
    },
    {
      path: "/children/:id/reach",
      component: () => import("./views/ChildReach.vue"),
      meta: { title: "服务机构与转介", roles: [...DIRECTOR, "auditor"] },
    },
    {
      path: "/bureau/duplicates",
      component: () => import("./views/bureau/Duplicates.vue"),
      meta: { title: "疑似重复档案", roles: AUDIT },
    },
    { path: "/bureau/directors", component: () => import("./views/bureau/Directors.vue"), meta: { title: "儿童主任", roles: AUDIT } },
    {
      path: "/bureau/casework-children",
      component: () => import("./views/bureau/CaseworkChildren.vue"),
      meta: { title: "服务对象名册", roles: AUDIT },
    },
    { path: "/visits", component: () => import("./views/Visits.vue"), meta: { title: "走访记录", roles: [...DIRECTOR, "auditor"] } },
    // Organisations and their evidence (the bureau verifies; provider staff see their own);
    // a provider's applications to open calls.
    {
      path: "/organizations",
      component: () => import("./views/orgs/Organizations.vue"),
      meta: { title: "社会组织", roles: [...AUDIT, ...FINANCE] },
    },
    {
      path: "/organizations/:id",
      component: () => import("./views/orgs/Organization.vue"),
      meta: { title: "社会组织", roles: [...AUDIT, ...FINANCE, ...PROVIDER] },
    },
    { path: "/apply", component: () => import("./views/apply/OpenCalls.vue"), meta: { title: "项目申报", roles: PROVIDER } },
    {
      path: "/apply/:callId",
      component: () => import("./views/apply/Apply.vue"),
      meta: { title: "填写申报书", roles: [...PROVIDER, ...BUREAU] },
    },
    {
      path: "/my-applications/:id",
      component: () => import("./views/apply/MyApplication.vue"),
      meta: { title: "我的申报", roles: PROVIDER },
    },
    {
      path: "/community-organizations",
      component: () => import("./views/orgs/CommunityOrganizations.vue"),
      meta: { title: "社区社会组织", roles: [...AUDIT, ...PROVIDER], contract: true },
    },
    // The provider's own contract (the gateway answers only their organisation's) and its supervision records.
    { path: "/my-contracts/:id", component: () => import("./views/sw/MyContract.vue"), meta: { title: "我的合同", roles: PROVIDER, contract: true } },
    { path: "/supervision", component: () => import("./views/sw/Supervision.vue"), meta: worker("督导培训") },
    { path: "/:rest(.*)*", component: () => import("./views/NotFound.vue"), meta: { title: "页面不存在" } },
  ],
});

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (!session.checked) await restoreSession();
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !session.user) return { path: "/signin", query: { next: to.fullPath } };
  if (roles && !hasRole(...roles)) return { path: "/" };
  if (to.meta.contract && hasRole(...PROVIDER)) {
    if (work.contractId && !work.contractTitle) {
      // After a reload: is the kept contract still this worker's?
      const found = await loadContract(work.contractId);
      if (found === "hidden") forgetWork();
    }
    if (!work.contractId) return { path: "/work/contract", query: { next: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ""} · 沙坡头区儿童关爱服务`;
});
