// Who is signed in, as the gateway's session says (GET /auth/session).
import { reactive } from "vue";
import { api, setCsrfToken, whenSessionExpires, type Schemas } from "./api/client";

type User = Omit<Schemas["Session"], "csrf_token" | "expires_in">;

export const session = reactive({
  user: null as User | null,
  checked: false,
  expired: false, // a signed-in request answered 401: sign in again over the current page
});

whenSessionExpires(() => {
  if (session.user) session.expired = true;
});

function keep(answer: Schemas["Session"]): void {
  const { csrf_token, expires_in: _, ...user } = answer;
  setCsrfToken(csrf_token ?? null);
  session.user = user;
  session.expired = false;
}

export async function restoreSession(): Promise<void> {
  const { data } = await api.GET("/auth/session", {});
  if (data) keep(data);
  session.checked = true;
}

export async function signIn(username: string, password: string) {
  const { data, error, response } = await api.POST("/auth/session", { body: { username, password } });
  if (data) keep(data);
  return { ok: Boolean(data), error: error as { error?: string } | undefined, status: response.status };
}

export async function signOut(): Promise<void> {
  await api.DELETE("/auth/session", {});
  setCsrfToken(null);
  session.user = null;
  session.expired = false;
}

export function hasRole(...roles: string[]): boolean {
  return Boolean(session.user && roles.includes(session.user.role));
}
