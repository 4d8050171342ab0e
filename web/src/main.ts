import { createApp, watch } from "vue";
import "./styles.css";
import App from "./App.vue";
import { router } from "./router";
import { session } from "./session";
import { flush, reload, startOutbox } from "./outbox";

const app = createApp(App);
app.use(router);
app.mount("#app");

// Offline: the app shell is kept by the service worker (offline/sw.js), and
// what is recorded without a signal waits in the outbox (src/outbox.ts).
// The shell is fetched for keeping only for someone signed in, and only once the
// page has loaded: on a rural phone's slow link it must not slow the first screen.
function keepTheShell(): void {
  if (!("serviceWorker" in navigator) || !import.meta.env.PROD || !session.user) return;
  const register = () => void navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
watch(() => session.user?.username, keepTheShell, { immediate: true });
startOutbox();
// Signed in (or back after an expired session): this person's outbox, sent.
watch(
  () => [session.user?.username, session.expired, session.offline],
  () => void reload().then(flush),
);
