import { createRouter, createWebHistory, type RouteLocationNormalized } from "vue-router";
import { hasRole, restoreSession, session } from "./session";

const DIRECTOR = ["child_director", "bureau_admin"];

export const router = createRouter({
  history: createWebHistory("/app/"),
  routes: [
    { path: "/", name: "home", redirect: () => (hasRole(...DIRECTOR) ? "/today" : "/public/notices") },
    { path: "/signin", name: "signin", component: () => import("./views/SignIn.vue"), meta: { title: "登录" } },
    { path: "/public/notices", component: () => import("./views/PublicNotices.vue"), meta: { title: "公示公告" } },
    { path: "/public/bans", component: () => import("./views/PublicBans.vue"), meta: { title: "失信名单" } },
    { path: "/today", component: () => import("./views/Today.vue"), meta: { title: "今日待办", roles: DIRECTOR } },
    { path: "/children", component: () => import("./views/Children.vue"), meta: { title: "本村儿童", roles: DIRECTOR } },
    {
      path: "/children/new",
      component: () => import("./views/RegisterChild.vue"),
      meta: { title: "儿童建档", roles: DIRECTOR },
    },
    {
      path: "/children/:id",
      component: () => import("./views/ChildFile.vue"),
      meta: { title: "儿童档案", roles: DIRECTOR },
    },
    {
      path: "/children/:id/visit",
      component: () => import("./views/RecordVisit.vue"),
      meta: { title: "走访记录", roles: DIRECTOR },
    },
    { path: "/:rest(.*)*", component: () => import("./views/NotFound.vue"), meta: { title: "页面不存在" } },
  ],
});

router.beforeEach(async (to: RouteLocationNormalized) => {
  if (!session.checked) await restoreSession();
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !session.user) return { path: "/signin", query: { next: to.fullPath } };
  if (roles && !hasRole(...roles)) return { path: "/" };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ""} · 沙坡头区儿童关爱服务`;
});
