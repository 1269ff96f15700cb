import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordModelFailure } from "../../src/observability/model-failures.js";
import { issueRunLink, revokeRunLink } from "../../src/web/run-links.js";
import { recordFailingRun, recordSampleRun } from "../replay/support/sample-run.js";
import { adminPassword, local, signIn, startWebStack, type WebStack } from "./support/web-stack.js";

/**
 * Who sees what on the web role: a signed, expiring link opens one run (its page, tool results and
 * artifacts) and nothing else; the run list and the queue dashboard need the admin login; pages
 * escape and redact what they show.
 */
let stack: WebStack;
let runId: string;
let otherRunId: string;
const secretInPrompt = "xoxb-2222222222-secretsecretsecret";

beforeAll(async () => {
  stack = await startWebStack();
  runId = await recordSampleRun(stack.database, {
    prompt: `Forecast Oslo <script>alert("x")</script> with token ${secretInPrompt}`,
  });
  // A run of another workspace.
  otherRunId = await recordSampleRun(stack.database, { prompt: "Another workspace's secret plans" });
  await stack.database.workspace.create({ data: { id: "T_OTHER", name: "Other Co" } });
  const other = await stack.database.run.update({
    where: { id: otherRunId },
    data: { workspaceId: "T_OTHER" },
  });
  await stack.database.task.update({ where: { id: other.taskId }, data: { workspaceId: "T_OTHER" } });
});
afterAll(async () => {
  await stack?.close();
});

/** A link to run `id` given to its requester at `now`, pointed at the test's web role. */
async function issue(target: WebStack, id: string, now = Date.now()) {
  const run = await target.database.run.findUniqueOrThrow({ where: { id } });
  return issueRunLink({ ...target.services, now: () => now }, run, run.requesterId);
}
const linkFor = async (id: string, now = Date.now()) => local(stack.web, (await issue(stack, id, now)).url);

describe("signed run links", () => {
  it("are made for the public URL, signed, stored and expiring within hours", async () => {
    const issued = await issue(stack, runId);
    const link = new URL(issued.url);
    expect(`${link.origin}${link.pathname}`).toBe(`http://coworker.test/runs/${runId}`);
    const expires = Number(link.searchParams.get("expires"));
    expect(expires).toBeGreaterThan(Date.now() + 3.9 * 3600 * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 4 * 3600 * 1000);
    expect(link.searchParams.get("signature")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await stack.database.runLink.findUniqueOrThrow({ where: { id: issued.id } });
    expect(link.searchParams.get("link")).toBe(stored.id);
    expect(stored.runId).toBe(runId);
    expect(stored.expiresAt.getTime()).toBe(expires);
  });

  it("stop working once revoked, and only the person given the link can revoke it", async () => {
    const issued = await issue(stack, runId);
    const url = local(stack.web, issued.url);
    expect((await fetch(url)).status).toBe(200);
    expect(await revokeRunLink(stack.database, issued.id, "U_SOMEONE_ELSE", Date.now())).toBe(false);
    expect((await fetch(url)).status).toBe(200);
    const stored = await stack.database.runLink.findUniqueOrThrow({ where: { id: issued.id } });
    expect(await revokeRunLink(stack.database, issued.id, stored.userId, Date.now())).toBe(true);
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("This link was revoked");
  });

  it("open the run's page, escaped, redacted and with strict headers", async () => {
    const response = await fetch(await linkFor(runId));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    expect(page).toContain(runId);
    expect(page).toContain("lookup_weather");
    expect(page).toContain("approved by U_BOB");
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).not.toContain(secretInPrompt);
    expect(page).toContain("[redacted]");
  });

  it("open the run's tool results and artifacts, and nothing of another run", async () => {
    const page = await (await fetch(await linkFor(runId))).text();
    const toolCall = /data-load="(\/runs\/[^"]+\/tool-calls\/[^"]+)"/
      .exec(page)?.[1]
      ?.replaceAll("&amp;", "&");
    const artifact = /data-load="(\/runs\/[^"]+\/artifacts\/[^"]+)"/
      .exec(page)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(toolCall).toBeDefined();
    expect(artifact).toBeDefined();
    const result = await fetch(`${stack.web.url}${toolCall}`);
    expect(result.status).toBe(200);
    expect(await result.text()).toContain("Forecast for Oslo");
    const whole = await fetch(`${stack.web.url}${artifact}`);
    expect(whole.status).toBe(200);
    expect(await whole.text()).toContain("23:00 4°C");

    // The same grant on another run's resources (same ids, other run in the path) is refused.
    const foreign = (path: string) => path.replace(runId, otherRunId);
    expect((await fetch(`${stack.web.url}${foreign(toolCall!)}`)).status).toBe(403);
    expect((await fetch(`${stack.web.url}${foreign(artifact!)}`)).status).toBe(403);
  });

  it("grant one run only: another workspace's run stays closed", async () => {
    const link = new URL(await linkFor(runId));
    const borrowed = `${stack.web.url}/runs/${otherRunId}${link.search}`;
    const response = await fetch(borrowed);
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain("This link is not valid");
    expect(page).not.toContain("secret plans");
  });

  it("show a model call that failed for good, with its retries", async () => {
    const failedRunId = await recordFailingRun(stack.database);
    const run = await stack.database.run.findUniqueOrThrow({ where: { id: failedRunId } });
    const retry = {
      model: "gpt-x",
      attempt: 1,
      status: 503,
      delayMs: 500,
      error: "503 overloaded",
      at: new Date().toISOString(),
    };
    const input = {
      runId: failedRunId,
      index: run.stepCount + 1,
      model: "gpt-x",
      error: "The model failed after 2 attempts.",
      retries: [retry],
      latencyMs: 900,
    };
    // The harness may have recorded the failure itself: this test records its own, with a retry.
    await stack.database.step.deleteMany({ where: { runId: failedRunId, kind: "note" } });
    await recordModelFailure(stack.database, input);
    await recordModelFailure(stack.database, input); // a retried job failing at the same place: kept once
    expect(await stack.database.step.count({ where: { runId: failedRunId, kind: "note" } })).toBe(1);
    const page = await (await fetch(await linkFor(failedRunId))).text();
    expect(page).toContain("note · model_error");
    expect(page).toContain("The model failed after 2 attempts.");
    expect(page).toContain("retried 1× (503)");
    expect(page).toContain('failed</span> <span class="muted">(model_error)');
  });

  it("stop working when they expire or are tampered with", async () => {
    const expired = await fetch(await linkFor(runId, Date.now() - 5 * 3600 * 1000));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("This link has expired");
    const link = new URL(await linkFor(runId));
    link.searchParams.set("expires", String(Date.now() + 365 * 24 * 3600 * 1000));
    expect((await fetch(link)).status).toBe(403);
  });

  it("are needed without an admin session: the bare page sends people to sign in", async () => {
    const response = await fetch(`${stack.web.url}/runs/${runId}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      `/admin/login?next=${encodeURIComponent(`/runs/${runId}`)}`,
    );
  });
});

describe("the admin login", () => {
  it("refuses a wrong password and sets an HttpOnly cookie for the right one", async () => {
    const wrong = await fetch(`${stack.web.url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: "guess", next: "/runs" }),
      redirect: "manual",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await fetch(`${stack.web.url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: adminPassword, next: "//evil.example/" }),
      redirect: "manual",
    });
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/runs");
    expect(right.headers.get("set-cookie")).toMatch(
      /^coworker_admin=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Lax; Path=\//,
    );
  });

  it("sends people back only to a path of this site", async () => {
    const cookie = await signIn(stack.web);
    const redirectFor = async (next: string) => {
      const viaForm = await fetch(`${stack.web.url}/admin/login?next=${encodeURIComponent(next)}`, {
        headers: { cookie },
        redirect: "manual",
      });
      const viaLogin = await fetch(`${stack.web.url}/admin/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: adminPassword, next }),
        redirect: "manual",
      });
      expect(viaLogin.headers.get("location"), next).toBe(viaForm.headers.get("location"));
      return viaForm.headers.get("location");
    };
    // The reviewer's case, as the browser sends it: `%09` is a tab, which browsers drop.
    const reviewed = await fetch(`${stack.web.url}/admin/login?next=/%09/evil`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(reviewed.headers.get("location")).toBe("/runs");
    for (const next of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\\evil.example",
      "/.//evil.example",
      "//evil.example",
      "https://evil.example/",
      "/\u0000/x",
    ]) {
      expect(await redirectFor(next), JSON.stringify(next)).toBe("/runs");
    }
    expect(await redirectFor("/runs?state=failed#top")).toBe("/runs?state=failed");
    expect(await redirectFor("/admin/queues")).toBe("/admin/queues");
  });

  it("audits every sign-in, failed guess and sign-out", async () => {
    const before = await stack.database.adminLoginAudit.findMany({ select: { id: true } });
    const seen = new Set(before.map((row) => row.id));
    await fetch(`${stack.web.url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "audit-test" },
      body: new URLSearchParams({ password: "not it" }),
      redirect: "manual",
    });
    const cookie = await signIn(stack.web);
    await fetch(`${stack.web.url}/admin/logout`, { method: "POST", headers: { cookie }, redirect: "manual" });
    const rows = (await stack.database.adminLoginAudit.findMany({ orderBy: { createdAt: "asc" } })).filter(
      (row) => !seen.has(row.id),
    );
    expect(rows.map((row) => row.outcome)).toEqual(["failure", "success", "logout"]);
    expect(rows[0]).toMatchObject({ address: "127.0.0.1", userAgent: "audit-test" });
  });

  it("lists every workspace's runs with filters, and opens any run", async () => {
    expect((await fetch(`${stack.web.url}/runs`, { redirect: "manual" })).status).toBe(303);
    const cookie = await signIn(stack.web);
    const all = await (await fetch(`${stack.web.url}/runs`, { headers: { cookie } })).text();
    expect(all).toContain(runId.slice(0, 8));
    expect(all).toContain(otherRunId.slice(0, 8));
    const filtered = await (
      await fetch(`${stack.web.url}/runs?workspace=T_OTHER`, { headers: { cookie } })
    ).text();
    expect(filtered).toContain(otherRunId.slice(0, 8));
    expect(filtered).not.toContain(runId.slice(0, 8));
    const byState = await (
      await fetch(`${stack.web.url}/runs?state=cancelled`, { headers: { cookie } })
    ).text();
    expect(byState).toContain("No runs match.");
    const byUser = await (await fetch(`${stack.web.url}/runs?user=U_ALICE`, { headers: { cookie } })).text();
    // The two sample runs and the failed one of the test above.
    expect(byUser.match(/data-testid="run-row"/g)).toHaveLength(3);
    const bySchedule = await (
      await fetch(`${stack.web.url}/runs?schedule=any`, { headers: { cookie } })
    ).text();
    expect(bySchedule).toContain("No runs match.");
    const page = await fetch(`${stack.web.url}/runs/${otherRunId}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("secret plans");
  });

  it("guards the queue dashboard", async () => {
    const anonymous = await fetch(`${stack.web.url}/admin/queues`, { redirect: "manual" });
    expect(anonymous.status).toBe(303);
    expect(
      (await fetch(`${stack.web.url}/admin/queues/api/queues`, { method: "PUT", redirect: "manual" })).status,
    ).toBe(401);
    const cookie = await signIn(stack.web);
    const board = await fetch(`${stack.web.url}/admin/queues`, { headers: { cookie } });
    expect(board.status).toBe(200);
    expect(await board.text()).toContain("coworker queues");
    const api = await fetch(`${stack.web.url}/admin/queues/api/queues`, { headers: { cookie } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map(
      (queue) => queue.name,
    );
    expect(names.sort()).toEqual(["runs", "schedules"]);
  });

  it("signs out", async () => {
    const cookie = await signIn(stack.web);
    const out = await fetch(`${stack.web.url}/admin/logout`, {
      method: "POST",
      headers: { cookie },
      redirect: "manual",
    });
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    // A copy of the cookie kept from before no longer opens anything.
    expect((await fetch(`${stack.web.url}/runs`, { headers: { cookie }, redirect: "manual" })).status).toBe(
      303,
    );
    const board = await fetch(`${stack.web.url}/admin/queues/api/queues`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(board.status).not.toBe(200);
    // Other sessions stay signed in.
    const other = await signIn(stack.web);
    expect((await fetch(`${stack.web.url}/runs`, { headers: { cookie: other } })).status).toBe(200);
  });
});

describe("without an admin password", () => {
  it("keeps the admin pages off while signed run links still work", async () => {
    const bare = await startWebStack({ adminPassword: "" });
    try {
      const id = await recordSampleRun(bare.database);
      const login = await fetch(`${bare.web.url}/admin/login`);
      expect(login.status).toBe(404);
      expect(await login.text()).toContain("Set <code>ADMIN_PASSWORD</code>");
      expect(
        (
          await fetch(`${bare.web.url}/admin/login`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ password: "" }),
            redirect: "manual",
          })
        ).headers.get("set-cookie"),
      ).toBeNull();
      expect((await fetch(local(bare.web, (await issue(bare, id)).url))).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
