import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../src/emulator/index.js";
import { slackSignature } from "../../src/emulator/index.js";
import { approvalActions } from "../../src/slack/blocks/approval.js";
import { type AppStack, startAppStack } from "../support/app-stack.js";
import { type EffectStandIn, startEffectStandIn } from "../support/effect-stand-in.js";
import { effectTool } from "../support/effect-tool.js";

/**
 * Approve clicks through the emulator (signed block_actions to the web role): a click counts only when
 * it comes from someone who may decide, in the run's workspace, carrying the token signed for exactly
 * that approval. Clicks by others, tampered or transplanted tokens, forged signatures and replays of a
 * decided click change nothing: the approval stays as it was and the effect runs at most once.
 */
describe("approval clicks", () => {
  let stack: AppStack;
  let standIn: EffectStandIn;

  beforeAll(async () => {
    standIn = await startEffectStandIn();
    stack = await startAppStack({
      reply: (body) =>
        body.messages.some((message) => message.role === "tool")
          ? { text: "The effect is recorded." }
          : { toolCalls: [{ name: "record_effect", arguments: { n: 1 } }] },
      tools: [effectTool(standIn.url, { approval: true })],
    });
  });
  afterAll(async () => {
    await stack?.close();
    await standIn?.close();
  });

  /** Alice asks for an effect; resolves with the approval message in her thread and its stored row. */
  async function pendingApproval(text: string) {
    const { slack, database } = stack;
    const posted = await slack.mention({ user: slack.users.alice, channel: slack.channels.general, text });
    const message = await slack
      .waitFor(
        () =>
          slack.thread(posted.channel, posted.ts).find((candidate) => buttonValue(candidate) !== undefined),
        20_000,
      )
      .catch(async (error: Error) => {
        const runs = await database.run.findMany({ where: { triggerTs: posted.ts } });
        const thread = slack.thread(posted.channel, posted.ts).map((candidate) => candidate.text);
        throw new Error(
          `${error.message}; runs ${JSON.stringify(runs.map((run) => run.status))}, thread ${JSON.stringify(thread)}`,
        );
      });
    const value = JSON.parse(buttonValue(message)!) as { approvalId: string; token: string };
    const row = await database.approval.findUniqueOrThrow({ where: { id: value.approvalId } });
    expect(row.channel).toBe(posted.channel);
    return { posted, message, row, value };
  }

  /** Clicks and waits for the private answer the clicker gets; returns its text. */
  async function click(
    user: { id: string },
    message: Message,
    options: { value?: string; actionId?: string } = {},
  ): Promise<string> {
    const before = stack.slack.ephemerals({ user }).length;
    const result = await stack.slack.clickButton({
      user,
      channel: message.channel,
      messageTs: message.ts,
      actionId: options.actionId ?? approvalActions.approve,
      value: options.value,
    });
    expect(result.acked).toBe(true);
    return privateAnswer(user, before);
  }

  async function privateAnswer(user: { id: string }, before: number): Promise<string> {
    const answer = await stack.slack.waitFor(() => stack.slack.ephemerals({ user }).at(before), 10_000);
    return answer.text;
  }

  async function unchanged(approvalId: string) {
    const row = await stack.database.approval.findUniqueOrThrow({ where: { id: approvalId } });
    expect(row.status).toBe("pending");
    expect(row.decidedBy).toBeNull();
    expect(standIn.counts.size).toBe(0);
  }

  it("refuses a click by someone who is not an approver", async () => {
    const { message, row } = await pendingApproval("record an effect (bob will try to approve)");
    const answer = await click(stack.slack.users.bob, message);
    expect(answer).toContain("can decide on this request, so nothing changed");
    await unchanged(row.id);
    // Bob cannot deny it either (the Deny button opens no dialog for him).
    const denied = await click(stack.slack.users.bob, message, { actionId: approvalActions.deny });
    expect(denied).toContain("nothing changed");
    await unchanged(row.id);
  });

  it("refuses tampered tokens and tokens moved to another approval", async () => {
    const first = await pendingApproval("record an effect (first)");
    const second = await pendingApproval("record an effect (second)");
    const alice = stack.slack.users.alice;
    const flipped = `${first.value.token.slice(0, -2)}${first.value.token.endsWith("AA") ? "BB" : "AA"}`;
    const attempts = [
      { approvalId: first.value.approvalId, token: flipped },
      { approvalId: first.value.approvalId, token: second.value.token },
      { approvalId: second.value.approvalId, token: first.value.token },
      { approvalId: first.value.approvalId, token: "" },
    ];
    for (const value of attempts) {
      const answer = await click(alice, first.message, { value: JSON.stringify(value) });
      expect(answer).toContain("doesn't match any request");
    }
    for (const value of ["not json", "{}", JSON.stringify({ approvalId: first.value.approvalId })]) {
      expect(await click(alice, first.message, { value })).toContain("doesn't match any request");
    }
    await unchanged(first.row.id);
    await unchanged(second.row.id);
  });

  it("refuses a genuine token clicked from another workspace, and a click with a forged signature", async () => {
    const { message, row } = await pendingApproval("record an effect (clicked from elsewhere)");
    const alice = stack.slack.users.alice;
    const bob = stack.slack.users.bob;
    const bobBefore = stack.slack.ephemerals({ user: bob }).length;
    const genuine = await stack.slack.clickButton({
      user: bob,
      channel: message.channel,
      messageTs: message.ts,
      actionId: approvalActions.approve,
    });
    expect(await privateAnswer(bob, bobBefore)).toContain("nothing changed");
    // The same payload as Alice from another team: the token is genuine, the workspace is not.
    const payload = JSON.parse(new URLSearchParams(genuine.delivery.body).get("payload")!) as Record<
      string,
      unknown
    >;
    const elsewhere = {
      ...payload,
      team: { id: "T0ELSEWHERE", domain: "elsewhere" },
      user: { ...(payload.user as object), id: alice.id, team_id: "T0ELSEWHERE" },
    };
    const body = new URLSearchParams({ payload: JSON.stringify(elsewhere) }).toString();
    const answered = stack.slack.ephemerals().length;
    const fromElsewhere = await postInteraction(body, stack.slack.signingSecret);
    expect(fromElsewhere.status).toBe(200);
    // The answer goes through the click's response_url, which Slack tied to the original clicker.
    const answer = await stack.slack.waitFor(() => stack.slack.ephemerals().at(answered), 10_000);
    expect(answer.text).toContain("doesn't match any request");

    // Alice's own click, but signed by someone who does not know the signing secret.
    const asAlice = { ...payload, user: { ...(payload.user as object), id: alice.id } };
    const forged = await postInteraction(
      new URLSearchParams({ payload: JSON.stringify(asAlice) }).toString(),
      "a-guessed-signing-secret",
    );
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await unchanged(row.id);
  });

  it("decides once: replays of the approving click, and a late Deny, change nothing", async () => {
    const { message, row, posted } = await pendingApproval("record an effect (approved once)");
    const alice = stack.slack.users.alice;
    const approved = await stack.slack.clickButton({
      user: alice,
      channel: message.channel,
      messageTs: message.ts,
      actionId: approvalActions.approve,
    });
    expect(approved.acked).toBe(true);
    await stack.slack.waitForMessage(
      { channel: posted.channel, threadTs: posted.ts, contains: "The effect is recorded." },
      20_000,
    );
    const decided = await stack.database.approval.findUniqueOrThrow({ where: { id: row.id } });
    expect(decided).toMatchObject({ status: "approved", decidedBy: alice.id });
    expect([...standIn.counts.entries()]).toEqual([[decided.toolCallKey, 1]]);

    // The exact request again (same bytes, same signature, still within five minutes), then freshly signed.
    const before = stack.slack.ephemerals({ user: alice }).length;
    const attempt = approved.delivery.attempts[0]!;
    const exact = await fetch(approved.delivery.url!, {
      method: "POST",
      headers: attempt.headers,
      body: approved.delivery.body,
    });
    expect(exact.status).toBe(200);
    expect(await privateAnswer(alice, before)).toContain("already approved");
    expect((await postInteraction(approved.delivery.body, stack.slack.signingSecret)).status).toBe(200);
    expect(await privateAnswer(alice, before + 1)).toContain("already approved");

    // The same button value on Deny: no dialog, no change.
    const payload = JSON.parse(new URLSearchParams(approved.delivery.body).get("payload")!) as {
      actions: Array<Record<string, unknown>>;
    };
    payload.actions = payload.actions.map((action) => ({ ...action, action_id: approvalActions.deny }));
    const deny = await postInteraction(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      stack.slack.signingSecret,
    );
    expect(deny.status).toBe(200);
    expect(await privateAnswer(alice, before + 2)).toContain("already approved");

    const after = await stack.database.approval.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toMatchObject({ status: "approved", decidedBy: alice.id, decidedAt: decided.decidedAt });
    expect([...standIn.counts.values()]).toEqual([1]);
    const answers = stack.slack
      .thread(posted.channel, posted.ts)
      .filter((candidate) => candidate.text.includes("The effect is recorded."));
    expect(answers).toHaveLength(1);
  });

  async function postInteraction(body: string, secret: string): Promise<Response> {
    const timestamp = Math.floor(Date.now() / 1000);
    return fetch(`${stack.running.webUrl}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(secret, timestamp, body),
      },
      body,
    });
  }
});

function buttonValue(message: Message): string | undefined {
  for (const block of message.blocks ?? []) {
    for (const element of (block.elements as Array<{ action_id?: string; value?: string }> | undefined) ??
      []) {
      if (element.action_id === approvalActions.approve) return element.value;
    }
  }
  return undefined;
}
