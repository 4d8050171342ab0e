import { describe, expect, it, vi } from "vitest";
import createClient from "openapi-fetch";
import type { paths } from "../src/api/schema";
import { newIdempotencyKey, sessionMiddleware, setCsrfToken, whenSessionExpires } from "../src/api/client";

function clientAnswering(status: number, seen: Request[]) {
  const client = createClient<paths>({
    baseUrl: "http://gateway.test",
    fetch: async (request: Request) => {
      seen.push(request);
      return new Response(JSON.stringify({ items: [], next_cursor: null, error: "UNAUTHENTICATED" }), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    },
  });
  client.use(sessionMiddleware);
  return client;
}

describe("the session middleware", () => {
  it("sends the CSRF token on unsafe requests only", async () => {
    const seen: Request[] = [];
    const client = clientAnswering(200, seen);
    setCsrfToken("abc123");
    await client.GET("/public/notices", {});
    await client.POST("/children/{child_id}/visits", {
      params: { path: { child_id: "c1" }, header: { "Idempotency-Key": "k1" } },
      body: { visited_on: "2026-01-02", visitor: "王", findings: "好" },
    });
    expect(seen[0].headers.get("X-CSRF-Token")).toBeNull();
    expect(seen[1].headers.get("X-CSRF-Token")).toBe("abc123");
    expect(seen[1].headers.get("Idempotency-Key")).toBe("k1");
    setCsrfToken(null);
  });

  it("reports an expired session, but not a wrong password", async () => {
    const expired = vi.fn();
    whenSessionExpires(expired);
    const client = clientAnswering(401, []);
    await client.GET("/auth/me", {});
    expect(expired).toHaveBeenCalledTimes(1);
    await client.POST("/auth/session", { body: { username: "a", password: "b" } });
    expect(expired).toHaveBeenCalledTimes(1);
  });
});

describe("idempotency keys", () => {
  it("are fresh, random and fit the gateway's pattern", () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(/^[\x21-\x7e]{1,200}$/);
  });
});
