import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../src/emulator/index.js";
import { encodeComposerText, parseSlashCommand } from "../../src/emulator/ui/composer-text.js";
import { type Receiver, startEmulatorAndReceiver } from "./receiver.js";

/** The UI's HTTP side: the page, its JSON endpoints over the store, and the change stream. */
let slack: SlackEmulator;
let receiver: Receiver;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ slack, receiver, close } = await startEmulatorAndReceiver());
});
afterEach(() => close());

function act(name: string, body: unknown, contentType = "application/json") {
  return fetch(`${slack.url}/ui/api/teams/${slack.teamId}/actions/${name}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: JSON.stringify(body),
  });
}

describe("the UI's endpoints", () => {
  it("serves the page to browsers at / and keeps the JSON status for other clients", async () => {
    const page = await fetch(slack.url, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await page.text()).toContain('<script type="module" src="/ui/assets/app.js">');
    const status = await fetch(slack.url);
    expect(await status.json()).toEqual({ ok: true, apiUrl: slack.apiUrl });

    const script = await fetch(`${slack.url}/ui/assets/app.js`);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    const marked = await fetch(`${slack.url}/ui/vendor/marked.js`);
    expect(await marked.text()).toContain("export");
    expect((await fetch(`${slack.url}/ui/assets/..%2Froutes.ts`)).status).toBe(404);
  });

  it("posts what was typed as a person, with @-mentions turned into real mentions", async () => {
    const response = await act("compose", {
      user: slack.users.bob.id,
      channel: slack.channels.general.id,
      text: "@coworker ask @Carol about #random & <stuff>",
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ts: string };
    const message = slack.message("general", answer.ts);
    expect(message?.text).toBe(
      `<@${slack.botUserId}> ask <@${slack.users.carol.id}> about <#${slack.channels.random.id}|random> &amp; &lt;stuff&gt;`,
    );
    expect(message?.user).toBe(slack.users.bob.id);
    const events = receiver.events().map((body) => body.event.type);
    expect(events.sort()).toEqual(["app_mention", "message"]);
  });

  it("dispatches /commands as slash commands and clicks through the interactivity path", async () => {
    const command = await act("compose", {
      user: slack.users.alice.id,
      channel: slack.channels.general.id,
      text: "/coworker status now",
    });
    expect(await command.json()).toMatchObject({ ok: true, kind: "command", acked: true });
    const form = new URLSearchParams(receiver.requests.at(-1)?.body);
    expect(form.get("command")).toBe("/coworker");
    expect(form.get("text")).toBe("status now");
    expect(form.get("user_id")).toBe(slack.users.alice.id);

    const client = slack.botToken as string;
    const posted = (await (
      await fetch(`${slack.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { authorization: `Bearer ${client}`, "content-type": "application/json" },
        body: JSON.stringify({
          channel: slack.channels.general.id,
          text: "go?",
          blocks: [
            {
              type: "actions",
              elements: [
                { type: "button", action_id: "go", text: { type: "plain_text", text: "Go" }, value: "1" },
              ],
            },
          ],
        }),
      })
    ).json()) as { ts: string };
    const click = await act("click", {
      user: slack.users.carol.id,
      channel: slack.channels.general.id,
      messageTs: posted.ts,
      actionId: "go",
    });
    expect(await click.json()).toMatchObject({ ok: true, acked: true });
    const payload = JSON.parse(new URLSearchParams(receiver.requests.at(-1)?.body).get("payload") ?? "{}");
    expect(payload).toMatchObject({
      type: "block_actions",
      user: { id: slack.users.carol.id },
      actions: [{ action_id: "go", value: "1" }],
      container: { type: "message", message_ts: posted.ts },
    });
  });

  it("refuses what a person cannot do, and bodies that are not JSON", async () => {
    const outsider = slack.addUser({ name: "dave" });
    const refused = await act("compose", {
      user: outsider.id,
      channel: slack.channels.general.id,
      text: "hi",
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, error: "not_possible" });
    const invalid = await act("compose", { user: slack.users.alice.id });
    expect(await invalid.json()).toMatchObject({ ok: false, error: "invalid_input" });
    const form = await act("compose", { user: slack.users.alice.id }, "text/plain");
    expect(form.status).toBe(415);
    expect((await fetch(`${slack.url}/ui/api/teams/TNOPE/conversations/C1/messages`)).status).toBe(404);
    expect((await act("constructor", {})).status).toBe(404);
  });

  it("reads the directory, channels, threads and views", async () => {
    const mention = await slack.mention({ user: "alice", channel: "general", text: "hello" });
    await slack.reply({ user: "bob", channel: "general", threadTs: mention.ts, text: "me too" });
    const directory = (await (await fetch(`${slack.url}/ui/api/workspaces`)).json()) as {
      workspaces: {
        id: string;
        botUserId: string;
        users: { name: string }[];
        conversations: { name?: string; members: string[] }[];
      }[];
    };
    expect(directory.workspaces[0]).toMatchObject({ id: slack.teamId, botUserId: slack.botUserId });
    expect(directory.workspaces[0]?.users.map((user) => user.name)).toEqual([
      "alice",
      "bob",
      "carol",
      "coworker",
    ]);
    const general = directory.workspaces[0]?.conversations.find((item) => item.name === "general");
    expect(general?.members).toContain(slack.botUserId);

    const base = `${slack.url}/ui/api/teams/${slack.teamId}`;
    const channel = (await (
      await fetch(`${base}/conversations/${slack.channels.general.id}/messages`)
    ).json()) as {
      messages: { ts: string; replyCount: number }[];
    };
    expect(channel.messages).toEqual([expect.objectContaining({ ts: mention.ts, replyCount: 1 })]);
    const thread = (await (
      await fetch(`${base}/conversations/${slack.channels.general.id}/threads/${mention.ts}`)
    ).json()) as { messages: { text: string }[] };
    expect(thread.messages.map((message) => message.text)).toEqual([`<@${slack.botUserId}> hello`, "me too"]);
    const views = await (await fetch(`${base}/people/${slack.users.alice.id}/views`)).json();
    expect(views).toEqual({ modals: [], home: null });
  });

  it("streams store changes as Server-Sent Events", async () => {
    const controller = new AbortController();
    const response = await fetch(`${slack.url}/ui/api/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await slack.post({ user: "carol", channel: "random", text: "live!" });
    let received = "";
    while (!received.includes("message_posted")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      received += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    const event = received
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; message?: { text: string; user: string } })
      .find((item) => item.type === "message_posted");
    expect(event?.message).toMatchObject({ text: "live!", user: slack.users.carol.id });
  });
});

describe("composer text", () => {
  const slackPeople = async () => {
    const emulator = await startSlackEmulator();
    const people = emulator.store.directory.usersOf(emulator.teamId);
    const channels = emulator.store.directory.conversationsOf(emulator.teamId);
    await emulator.close();
    return { emulator, people, channels };
  };

  it("mentions people and the app by handle, display or real name, in any case", async () => {
    const { emulator, people, channels } = await slackPeople();
    const encode = (text: string) => encodeComposerText(text, people, channels);
    expect(encode("@Coworker hi")).toBe(`<@${emulator.botUserId}> hi`);
    expect(encode("hey @coworker, and @AliceAdmin.")).toBe(
      `hey <@${emulator.botUserId}>, and <@${emulator.users.alice.id}>.`,
    );
    expect(encode("@here mail me at bob@example.com or @nobody")).toBe(
      "<!here> mail me at bob@example.com or @nobody",
    );
    expect(encode("see #General, not #1")).toBe(`see <#${emulator.channels.general.id}|general>, not #1`);
    expect(encode("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
  });

  it("recognises slash commands only at the start", () => {
    expect(parseSlashCommand("/coworker approve 12")).toEqual({ command: "/coworker", text: "approve 12" });
    expect(parseSlashCommand("/Coworker")).toEqual({ command: "/coworker", text: "" });
    expect(parseSlashCommand("/path/to/file is broken")).toBeUndefined();
    expect(parseSlashCommand("run /coworker")).toBeUndefined();
  });
});
