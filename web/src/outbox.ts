// The phone's outbox: visits and new child files recorded without a signal
// wait here (IndexedDB, through the `idb` wrapper) and are sent when the
// network returns — on the `online` event and when the app starts. Each
// submission carries the Idempotency-Key made once when it was recorded, so a
// resend (a dropped answer, a second phone tab, a reload mid-send) never
// records it twice; and `X-Offline-Capture: <when recorded>`, so a refusal on
// arrival is recorded by the gateway as an offline conflict for the bureau.
// A submission the server refuses (4xx) is kept, with the server's reason in
// Chinese, until the director has read it and removes it.
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { reactive, toRaw } from "vue";
import { api, newIdempotencyKey, type ApiError, type Schemas } from "./api/client";
import { fieldErrors } from "./i18n/fieldErrors";
import { errorMessage } from "./i18n/labels";
import { restoreSession, session } from "./session";

export type Kind = "visit" | "child";
export type VisitBody = Schemas["VisitRequest"];
export type ChildBody = Schemas["RegisterChildRequest"];

export interface Refusal {
  status: number;
  code: string;
  message: string; // the code's Chinese message
  fields: Record<string, string>; // each refused field's reason, in Chinese
}

export interface Item {
  key: string; // the Idempotency-Key, made once when recorded
  owner: string; // who recorded it: only they send it
  kind: Kind;
  childId?: string; // a visit's child
  title: string; // what the director reads in the list (a child's name)
  body: VisitBody | ChildBody;
  capturedAt: string; // ISO 8601, when it was recorded
  refused?: Refusal;
}

interface Outbox extends DBSchema {
  items: { key: string; value: Item };
}

export const DB_NAME = "childcare-outbox";
const STORE = "items";

export const outbox = reactive({
  items: [] as Item[],
  sending: false,
});

let opened: Promise<IDBPDatabase<Outbox>> | null = null;
function db(): Promise<IDBPDatabase<Outbox>> {
  opened ??= openDB<Outbox>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore(STORE, { keyPath: "key" });
    },
  });
  return opened;
}

function owner(): string {
  return session.user?.username ?? "";
}

/** The signed-in person's items, oldest first. */
export async function reload(): Promise<void> {
  const all = await (await db()).getAll(STORE);
  outbox.items = all.filter((i) => i.owner === owner()).sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
}

export function pendingCount(): number {
  return outbox.items.filter((i) => !i.refused).length;
}

/** Keeps a submission on the phone, to be sent when the network returns. */
export async function capture(
  kind: Kind,
  title: string,
  body: VisitBody | ChildBody,
  childId?: string,
  key: string = newIdempotencyKey(), // a form's key, when its attempt may have arrived
): Promise<Item> {
  const item: Item = {
    key,
    owner: owner(),
    kind,
    childId,
    title,
    body: JSON.parse(JSON.stringify(body)), // plain data: IndexedDB cannot clone Vue's proxies
    capturedAt: new Date().toISOString(),
  };
  await (await db()).put(STORE, item);
  await reload();
  return item;
}

export async function discard(key: string): Promise<void> {
  await (await db()).delete(STORE, key);
  await reload();
}

/** What to do with an item after the server's answer. */
export type Verdict = "sent" | "refused" | "later" | "sign-in";
export function verdict(status: number, code?: string): Verdict {
  if (status >= 200 && status < 300) return "sent";
  if (status === 401) return "sign-in"; // the session ended: sent once the director signs in again
  if (status === 429 || code === "IDEMPOTENT_REQUEST_IN_PROGRESS" || code === "CSRF_REFUSED") return "later";
  if (status >= 400 && status < 500) return "refused";
  return "later"; // 5xx: the server's trouble, not the submission's
}

/** Whether a failed request failed for want of a network (not an answer). */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError || (typeof navigator !== "undefined" && !navigator.onLine);
}

function send(item: Item) {
  const header = { "Idempotency-Key": item.key };
  const headers = { "X-Offline-Capture": item.capturedAt };
  if (item.kind === "visit") {
    return api.POST("/children/{child_id}/visits", {
      params: { path: { child_id: item.childId as string }, header },
      body: item.body as VisitBody,
      headers,
    });
  }
  return api.POST("/children", { params: { header }, body: item.body as ChildBody, headers });
}

/** Sends what waits, oldest first; stops at the first network failure. */
export async function flush(): Promise<void> {
  if (outbox.sending || !session.user || (typeof navigator !== "undefined" && !navigator.onLine)) return;
  outbox.sending = true;
  try {
    // opened without a signal: the session (and its CSRF token) is asked for first
    if (session.offline) await restoreSession().catch(() => undefined);
    if (!session.user || session.offline) return;
    await reload();
    for (const item of outbox.items.filter((i) => !i.refused)) {
      let answer;
      try {
        answer = await send(item);
      } catch {
        return; // no network after all: try again when it returns
      }
      const error = (answer.error ?? {}) as ApiError;
      const next = verdict(answer.response.status, error.error);
      if (next === "sent") {
        await (await db()).delete(STORE, item.key);
      } else if (next === "refused") {
        const refused: Refusal = {
          status: answer.response.status,
          code: error.error ?? "ERROR",
          message: errorMessage(error.error),
          fields: fieldErrors(error.fields as never),
        };
        // the stored item, not its reactive proxy (IndexedDB cannot clone a Proxy)
        await (await db()).put(STORE, { ...toRaw(item), refused });
      } else {
        return;
      }
    }
  } finally {
    outbox.sending = false;
    await reload();
  }
}

/** At start: read the outbox, send it, and send again whenever the network returns. */
export function startOutbox(): void {
  if (typeof window === "undefined" || !("indexedDB" in window)) return;
  window.addEventListener("online", () => void flush());
  void reload().then(flush);
}
