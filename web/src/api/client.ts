// The typed API client (types generated from the gateway's /openapi.json into
// schema.d.ts). The browser signs in with an HttpOnly session cookie it cannot
// read; the CSRF token is kept in memory only and sent on unsafe requests.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let csrfToken: string | null = null;
let onExpired: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a signed-in request answers 401 (the session expired or was closed). */
export function whenSessionExpires(handler: () => void): void {
  onExpired = handler;
}

export const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method) && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    const signingIn = new URL(request.url).pathname === "/auth/session";
    if (response.status === 401 && !signingIn) onExpired();
    return response;
  },
};

const origin = typeof window === "undefined" ? "http://localhost" : window.location.origin;
export const api = createClient<paths>({ baseUrl: origin, credentials: "same-origin" });
api.use(sessionMiddleware);

/** A fresh Idempotency-Key: one per form filling, reused by every retry of its submit,
 *  so a double tap or a resend after a dropped connection never makes two records. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ApiError {
  error?: string;
  message?: string;
  fields?: Record<string, unknown>;
}
