import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsApproval } from "../../../src/tools/policy.js";
import { readFileTool } from "../../../src/tools/slack/read-file.js";
import { uploadFileTool } from "../../../src/tools/slack/upload-file.js";
import { call, type SlackToolStack, startSlackToolStack } from "./stack.js";

let stack: SlackToolStack;

beforeAll(async () => {
  stack = await startSlackToolStack();
});
afterAll(async () => {
  await stack.close();
});

describe("upload_file", () => {
  it("shares a text file in the run's own thread (a write that needs approval by default)", async () => {
    const { slack } = stack;
    expect(needsApproval(uploadFileTool, {})).toBe(true);
    const root = await slack.post({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: "make a csv",
    });

    const result = await call(
      uploadFileTool,
      { filename: "totals.csv", content: "team,total\nsales,42\n", comment: "Here it is" },
      stack.context({ threadTs: root.ts }),
    );

    const file = slack.files().find((candidate) => candidate.name === "totals.csv");
    expect(file?.content?.toString("utf8")).toBe("team,total\nsales,42\n");
    expect(file?.channels).toEqual([slack.channels.general.id]);
    const shared = slack
      .thread(slack.channels.general, root.ts)
      .find((message) => message.fileIds.length > 0);
    expect(shared?.text).toBe("Here it is");
    expect(shared?.fileIds).toEqual([file?.id]);
    expect(result.content).toBe(`Shared totals.csv in #general (thread ${root.ts}); file_id ${file?.id}.`);
  });

  it("refuses a channel the requester cannot see", async () => {
    const { slack } = stack;
    const hidden = slack.addChannel({
      name: "hr",
      isPrivate: true,
      members: [slack.users.bob.id],
      withBot: true,
    });
    await expect(
      call(uploadFileTool, { filename: "a.txt", content: "x", channel: hidden.id }, stack.context()),
    ).rejects.toThrow(/not visible to the person who asked/);
    expect(slack.files().some((file) => file.name === "a.txt")).toBe(false);
  });
});

describe("read_file", () => {
  it("reads a text file someone shared where the requester can see it, as untrusted data", async () => {
    const { slack } = stack;
    const posted = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "the notes",
      files: [{ name: "notes.md", content: "# Notes\n\n- ship on Friday\n" }],
    });
    const fileId = posted.message.fileIds[0]!;

    const result = await call(readFileTool, { file_id: fileId }, stack.context());

    expect(result.untrusted).toBe(true);
    expect(result.content).toContain(`File notes.md (${fileId}, text/markdown, shared in #random):`);
    expect(result.content).toContain("- ship on Friday");
  });

  it("refuses files shared only where the requester cannot see, and binary files", async () => {
    const { slack } = stack;
    const hidden = slack.addChannel({
      name: "legal",
      isPrivate: true,
      members: [slack.users.bob.id],
      withBot: true,
    });
    const secret = await slack.post({
      user: slack.users.bob,
      channel: hidden,
      text: "contract",
      files: [{ name: "contract.txt", content: "secret terms" }],
    });
    await expect(call(readFileTool, { file_id: secret.message.fileIds[0] }, stack.context())).rejects.toThrow(
      /not shared anywhere that I'm in and the person who asked can see/,
    );
    const image = await slack.post({
      user: slack.users.bob,
      channel: slack.channels.random,
      text: "pic",
      files: [{ name: "photo.png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]) }],
    });
    await expect(call(readFileTool, { file_id: image.message.fileIds[0] }, stack.context())).rejects.toThrow(
      /image\/png, which I can't read as text/,
    );
  });
});
