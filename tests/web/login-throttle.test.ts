import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../src/observability/metrics.js";
import { startWeb, type WebRole } from "../../src/roles/web.js";
import { createServices, type Services } from "../../src/services.js";
import { adminPassword, startWebStack, type WebStack } from "./support/web-stack.js";

/**
 * Password guessing on /admin/login: the reviewer's 500 guesses in a burst are almost all refused
 * (429) without being checked, even the right password is refused while an address is blocked, a
 * second web replica (same Redis) refuses too, the delay doubles with each further failure, and a
 * site-wide limit holds when the guesses come from many addresses. The audit table holds each
 * checked guess. ADMIN_ADDRESS_HEADER lets the test speak for several addresses.
 */
const addressHeader = "x-test-client";

function attempt(web: { url: string }, password: string, address: string): Promise<Response> {
  return fetch(`${web.url}/admin/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", [addressHeader]: address },
    body: new URLSearchParams({ password, next: "/runs" }),
    redirect: "manual",
  });
}

const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("admin login rate limits", () => {
  let stack: WebStack;
  let replicaServices: Services;
  let replica: WebRole;

  beforeAll(async () => {
    stack = await startWebStack({
      env: { ADMIN_ADDRESS_HEADER: addressHeader },
      loginLimits: {
        perAddress: { free: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, windowMs: 600_000 },
        global: { free: 30, baseDelayMs: 1_000, maxDelayMs: 60_000, windowMs: 600_000 },
      },
    });
    replicaServices = createServices(stack.services.config);
    replica = await startWeb(replicaServices, {
      port: 0,
      metrics: createMetrics({ processMetrics: false }),
      adminPassword,
    });
  });
  afterAll(async () => {
    await replica?.close();
    await replicaServices?.close();
    await stack?.close();
  });

  it("refuses a burst of guesses, and the right password too while blocked, on every replica", async () => {
    const address = "203.0.113.7";
    const burst = await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        attempt(index % 2 ? replica : stack.web, `guess ${index}`, address),
      ),
    );
    const statuses = burst.map((response) => response.status);
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(500 - checked);
    const audited = await stack.database.adminLoginAudit.count({ where: { address, outcome: "failure" } });
    expect(audited).toBe(checked);

    // Blocked: the right password is not even checked, here or on the other replica.
    for (const web of [stack.web, replica]) {
      const right = await attempt(web, adminPassword, address);
      expect(right.status).toBe(429);
      expect(right.headers.get("set-cookie")).toBeNull();
      expect(Number(right.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Another address is not blocked.
    expect((await attempt(stack.web, adminPassword, "198.51.100.1")).status).toBe(303);
  });

  it("doubles the wait with each further failure, and a success clears the address", async () => {
    const address = "203.0.113.8";
    for (let index = 0; index < 6; index += 1) {
      expect((await attempt(index % 2 ? replica : stack.web, "guess", address)).status).toBe(401);
    }
    const first = await attempt(stack.web, "guess", address);
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("1");
    await waitMs(1_050);
    expect((await attempt(replica, "guess", address)).status).toBe(401);
    const second = await attempt(stack.web, adminPassword, address);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("2");
    await waitMs(2_050);
    expect((await attempt(stack.web, adminPassword, address)).status).toBe(303);
    expect((await attempt(stack.web, "one slip", address)).status).toBe(401);
    expect((await attempt(stack.web, "two slips", address)).status).toBe(401);
  });

  it("limits guesses from many addresses together", async () => {
    // Failures so far are counted against the site as well; more from fresh addresses reach its limit.
    let lastStatus = 0;
    for (let index = 0; index < 40 && lastStatus !== 429; index += 1) {
      lastStatus = (await attempt(stack.web, "spread out", `192.0.2.${index}`)).status;
    }
    expect(lastStatus).toBe(429);
    const fresh = await attempt(replica, adminPassword, "192.0.2.250");
    expect(fresh.status).toBe(429);
  });
});
