// Who is signed in, as the gateway's session says (GET /auth/session).
import { reactive } from "vue";
import { api, setCsrfToken, whenSessionExpires, type Schemas } from "./api/client";

type User = Omit<Schemas["Session"], "csrf_token" | "expires_in">;

export const session = reactive({
  user: null as User | null,
  checked: false,
  expired: false, // a signed-in request answered 401: sign in again over the current page
  // Opened with no signal: who was signed in on this phone, as last known; the
  // session is asked for again (with its CSRF token) once the network returns.
  offline: false,
});

// Only who is signed in (no token: the session lives in its HttpOnly cookie),
// so that the app opened without a signal shows the director their screens.
const LAST_USER = "childcare.user";

whenSessionExpires(() => {
  if (session.user) session.expired = true;
});

function keep(answer: Schemas["Session"]): void {
  const { csrf_token, expires_in: _, ...user } = answer;
  setCsrfToken(csrf_token ?? null);
  session.user = user;
  session.expired = false;
  session.offline = false;
  localStorage.setItem(LAST_USER, JSON.stringify(user));
}

function lastUser(): User | null {
  try {
    return JSON.parse(localStorage.getItem(LAST_USER) ?? "null") as User | null;
  } catch {
    return null;
  }
}

export async function restoreSession(): Promise<void> {
  try {
    const { data, response } = await api.GET("/auth/session", {});
    if (data) keep(data);
    else if (response.status === 401) {
      localStorage.removeItem(LAST_USER);
      session.user = null;
      session.offline = false;
    }
  } catch (error) {
    // no network: the phone's last signed-in person, until it returns (a
    // request failing for another reason signs nobody in)
    if (navigator.onLine) throw error;
    session.user = lastUser();
    session.offline = session.user !== null;
  }
  session.checked = true;
}

export async function signIn(username: string, password: string) {
  const { data, error, response } = await api.POST("/auth/session", { body: { username, password } });
  if (data) keep(data);
  return { ok: Boolean(data), error: error as { error?: string } | undefined, status: response.status };
}

export async function signOut(): Promise<void> {
  localStorage.removeItem(LAST_USER); // first: the page may be left before the answer
  await api.DELETE("/auth/session", {});
  setCsrfToken(null);
  session.user = null;
  session.expired = false;
  session.offline = false;
  localStorage.removeItem(LAST_USER);
}

export function hasRole(...roles: string[]): boolean {
  return Boolean(session.user && roles.includes(session.user.role));
}
