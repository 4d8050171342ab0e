import { describe, expect, it } from "vitest";
import { isNetworkFailure, verdict } from "../src/outbox";
import { childOf, conflictWhat, fieldName } from "../src/conflicts";

describe("what the outbox does with an answer", () => {
  it("drops what landed, a replayed first answer included", () => {
    expect(verdict(201)).toBe("sent");
    expect(verdict(200)).toBe("sent");
  });
  it("keeps a refusal to show the director (a duplicate ID number, a child moved away)", () => {
    expect(verdict(409, "DUPLICATE_ID_NUMBER")).toBe("refused");
    expect(verdict(404, "NOT_FOUND")).toBe("refused");
    expect(verdict(422, "RULE_VIOLATION")).toBe("refused");
    expect(verdict(400, "VALIDATION_ERROR")).toBe("refused");
  });
  it("sends again later what was not about the submission", () => {
    expect(verdict(401, "UNAUTHENTICATED")).toBe("sign-in");
    expect(verdict(429, "TOO_MANY_ATTEMPTS")).toBe("later");
    expect(verdict(409, "IDEMPOTENT_REQUEST_IN_PROGRESS")).toBe("later");
    expect(verdict(403, "CSRF_REFUSED")).toBe("later");
    expect(verdict(503, "SERVICE_UNAVAILABLE")).toBe("later");
    expect(verdict(504, "UPSTREAM_TIMEOUT")).toBe("later");
  });
  it("tells a failed fetch from an answer", () => {
    expect(isNetworkFailure(new TypeError("Failed to fetch"))).toBe(true);
    expect(isNetworkFailure(new Error("something else"))).toBe(false);
  });
});

describe("an offline conflict in Chinese", () => {
  it("names what was sent and which child", () => {
    expect(conflictWhat("POST /children")).toBe("儿童建档");
    expect(conflictWhat("POST /children/{child_id}/visits")).toBe("走访记录");
    const id = "0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9";
    expect(childOf(`/children/${id}/visits`)).toBe(id);
    expect(childOf("/children")).toBeNull();
    expect(fieldName("id_number")).toBe("身份证号");
    expect(fieldName("unknown_field")).toBe("unknown_field");
  });
});
