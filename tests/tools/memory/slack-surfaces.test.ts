import type { AddressInfo, Server } from "node:net";
import { App } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, startSlackEmulator } from "../../../src/emulator/index.js";
import { createServices, type Services } from "../../../src/services.js";
import { registerSlashCommand, subcommands } from "../../../src/slack/commands/index.js";
import { memorySubcommand } from "../../../src/slack/commands/memory.js";
import { homeSections, publishHome, registerHome } from "../../../src/slack/home/index.js";
import {
  forgetMemoryAction,
  memoriesSection,
  registerMemoryActions,
} from "../../../src/slack/home/memories.js";
import { shortMemoryId } from "../../../src/tools/memory/store.js";
import { quietLogger } from "../../emulator/clients.js";
import { runCoworkerCommand } from "../../support/slash-command.js";
import { appEnvironment, testConfig, testDatabase } from "../../support/stack.js";

let slack: SlackEmulator;
let services: Services;
let app: App;

/** A real Bolt app with the memory subcommand, the memories Home section and its Forget button. */
beforeAll(async () => {
  slack = await startSlackEmulator();
  const { url } = await testDatabase();
  services = createServices(testConfig(appEnvironment({ databaseUrl: url, slack })));
  app = new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    clientOptions: { slackApiUrl: slack.apiUrl },
    logger: quietLogger,
  });
  registerSlashCommand(app, services, [memorySubcommand]);
  registerHome(app, services, [memoriesSection]);
  registerMemoryActions(app, services, (client, viewer) =>
    publishHome(services, client, viewer, [memoriesSection]),
  );
  const server = (await app.start(0)) as Server;
  slack.setRequestUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterAll(async () => {
  await app.stop();
  await services.close();
  await slack.close();
});

async function remember(scope: string, scopeId: string, content: string, createdBy: string) {
  return services.database.memory.create({
    data: { workspaceId: slack.teamId, scope, scopeId, content, createdBy },
  });
}

function lastEphemeral(user: { id: string }, count: number) {
  return slack.waitFor(() => {
    const list = slack.ephemerals({ user });
    return list.length >= count ? list.at(-1) : undefined;
  }, 5000);
}

describe("people see and delete what the coworker remembers", () => {
  it("is part of the app's slash command and App Home", () => {
    expect(subcommands).toContain(memorySubcommand);
    expect(homeSections).toContain(memoriesSection);
  });

  it("/coworker memory lists what the person can see here, and forget deletes one", async () => {
    const { alice, bob } = slack.users;
    const own = await remember("user", alice.id, "Alice likes <b>bold</b> summaries", alice.id);
    await remember("channel", slack.channels.general.id, "General's standup is at 9:30", bob.id);
    await remember("user", bob.id, "Bob's private preference", bob.id);

    await runCoworkerCommand(slack, alice, "memory");
    const listed = await lastEphemeral(alice, 1);
    expect(listed.text).toContain(`[${shortMemoryId(own.id)}] (for <@${alice.id}>,`);
    expect(listed.text).toContain("Alice likes &lt;b&gt;bold&lt;/b&gt; summaries");
    expect(listed.text).toContain("General's standup is at 9:30");
    expect(listed.text).not.toContain("Bob's private preference");

    await runCoworkerCommand(slack, alice, `memory forget ${shortMemoryId(own.id)}`);
    const forgotten = await lastEphemeral(alice, 2);
    expect(forgotten.text).toContain("Forgotten:");
    expect(await services.database.memory.findUnique({ where: { id: own.id } })).toBeNull();

    const bobs = await services.database.memory.findFirstOrThrow({ where: { scopeId: bob.id } });
    await runCoworkerCommand(slack, alice, `memory forget ${shortMemoryId(bobs.id)}`);
    const refused = await lastEphemeral(alice, 3);
    expect(refused.text).toContain("that you can see here");
    expect(await services.database.memory.findUnique({ where: { id: bobs.id } })).not.toBeNull();
  });

  it("shows memories in App Home with a Forget button that deletes and refreshes", async () => {
    const { carol } = slack.users;
    const memory = await remember("user", carol.id, "Carol reviews design docs on Tuesdays", carol.id);
    await remember("workspace", slack.teamId, "The office closes at 6pm", carol.id);

    await slack.openHome(carol);
    const home = await slack.waitFor(() => {
      const view = slack.homeView(carol);
      return JSON.stringify(view?.definition ?? {}).includes("Tuesdays") ? view : undefined;
    }, 5000);
    expect(JSON.stringify(home.definition)).toContain("The office closes at 6pm");

    await slack.clickButton({
      user: carol,
      viewId: home.id,
      actionId: forgetMemoryAction,
      blockId: `memory_${memory.id}`,
    });
    await slack.waitFor(() => {
      const view = slack.homeView(carol);
      return !JSON.stringify(view?.definition ?? {}).includes("Tuesdays") ? view : undefined;
    }, 5000);
    expect(await services.database.memory.findUnique({ where: { id: memory.id } })).toBeNull();
    expect(JSON.stringify(slack.homeView(carol)?.definition)).toContain("The office closes at 6pm");
  });
});
