import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SlackEmulator } from "../../src/emulator/index.js";
import { webClient } from "./clients.js";
import { type Receiver, startEmulatorAndReceiver } from "./receiver.js";

let slack: SlackEmulator;
let receiver: Receiver;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ slack, receiver, close } = await startEmulatorAndReceiver());
});
afterEach(() => close());

describe("files", () => {
  it("uploads through WebClient's filesUploadV2 (upload URL and completion) and shares in a thread", async () => {
    const client = webClient(slack);
    const parent = await slack.post({ user: "alice", channel: "general", text: "report please" });
    const result = await client.filesUploadV2({
      channel_id: slack.channels.general.id,
      thread_ts: parent.ts,
      filename: "report.csv",
      content: "a,b\n1,2\n",
      initial_comment: "Here it is",
    });
    expect(result.ok).toBe(true);
    const [file] = slack.files().filter((candidate) => candidate.user === slack.botUserId);
    expect(file?.content?.toString()).toBe("a,b\n1,2\n");
    const shared = slack.thread("general", parent.ts).at(-1);
    expect(shared).toMatchObject({ text: "Here it is", subtype: "file_share", fileIds: [file?.id] });
    const download = await fetch(`${slack.url}/files/${file?.id}/report.csv`, {
      headers: { authorization: `Bearer ${slack.botToken}` },
    });
    expect(await download.text()).toBe("a,b\n1,2\n");
  });

  it("refuses to complete an upload that never happened", async () => {
    const client = webClient(slack);
    const url = await client.files.getUploadURLExternal({ filename: "x.txt", length: 3 });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: url.file_id as string }] }),
    ).rejects.toMatchObject({ data: { error: "file_not_found" } });
  });

  it("lets people attach files to their messages", async () => {
    const posted = await slack.dm({
      user: "bob",
      text: "see attached",
      files: [{ name: "notes.md", content: "# Notes" }],
    });
    const event = receiver.events().at(-1)?.event as {
      files: { name: string; url_private: string }[];
      subtype: string;
    };
    expect(event.subtype).toBe("file_share");
    expect(event.files[0]?.name).toBe("notes.md");
    const download = await fetch(event.files[0]?.url_private as string, {
      headers: { authorization: `Bearer ${slack.botToken}` },
    });
    expect(await download.text()).toBe("# Notes");
    expect(posted.message.fileIds).toHaveLength(1);
  });
});

describe("workspaces", () => {
  it("installs the app in a second workspace through oauth.v2.access", async () => {
    const other = await slack.createWorkspace({ name: "Beta" });
    expect(other.botToken).toBeUndefined();
    const anonymous = webClient(slack, {}, undefined);
    await expect(
      anonymous.oauth.v2.access({
        client_id: slack.clientId,
        client_secret: "wrong",
        code: other.oauthCode as string,
      }),
    ).rejects.toMatchObject({ data: { error: "bad_client_secret" } });
    const access = await anonymous.oauth.v2.access({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      code: other.oauthCode as string,
    });
    expect(access).toMatchObject({
      token_type: "bot",
      bot_user_id: other.botUserId,
      app_id: slack.appId,
      team: { id: other.teamId, name: "Beta" },
    });
    expect(other.botToken).toBe(access.access_token);
    await expect(
      anonymous.oauth.v2.access({
        client_id: slack.clientId,
        client_secret: slack.clientSecret,
        code: other.oauthCode as string,
      }),
    ).rejects.toMatchObject({ data: { error: "invalid_code" } });
    const test = await webClient(slack, {}, access.access_token).auth.test();
    expect(test.team_id).toBe(other.teamId);
    await other.mention({ user: "alice", channel: "general", text: "hello from beta" });
    const envelope = receiver.events().find((candidate) => candidate.team_id === other.teamId);
    expect(envelope?.authorizations).toEqual([
      expect.objectContaining({ team_id: other.teamId, user_id: other.botUserId }),
    ]);
  });

  it("redirects /oauth/v2/authorize to the redirect URI with a code and the state", async () => {
    await slack.createWorkspace({ name: "Gamma" });
    const authorize = new URL(slack.authorizeUrl);
    authorize.searchParams.set("client_id", slack.clientId);
    authorize.searchParams.set("scope", "chat:write");
    authorize.searchParams.set("state", "s-123");
    authorize.searchParams.set("redirect_uri", "http://127.0.0.1:9/slack/oauth_redirect");
    const response = await fetch(authorize, { redirect: "manual" });
    const location = new URL(response.headers.get("location") as string);
    expect(response.status).toBe(302);
    expect(location.searchParams.get("state")).toBe("s-123");
    const access = await webClient(slack, {}, undefined).oauth.v2.access({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      code: location.searchParams.get("code") as string,
      redirect_uri: "http://127.0.0.1:9/slack/oauth_redirect",
    });
    expect(access.team?.name).toBe("Gamma");
  });

  it("streams every change to subscribers", async () => {
    const seen: string[] = [];
    const unsubscribe = slack.store.subscribe((change) => seen.push(change.type));
    const posted = await slack.post({ user: "alice", channel: "general", text: "hi" });
    await slack.react({ user: "bob", channel: "general", ts: posted.ts, name: "wave" });
    unsubscribe();
    await slack.post({ user: "alice", channel: "general", text: "unseen" });
    expect(seen).toEqual(expect.arrayContaining(["message_posted", "reaction_added", "delivery_updated"]));
    expect(seen.filter((type) => type === "message_posted")).toHaveLength(1);
  });
});
