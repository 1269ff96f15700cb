import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { slackCallbackPath } from "../../src/integrations/google/settings.js";
import { botScopes, installPath, redirectPath } from "../../src/slack/install.js";
import { testConfig } from "../support/stack.js";

/**
 * The app manifests (docs/slack-manifest*.yaml) are what people paste into Slack to create the app:
 * they must be valid YAML in the manifest's shape (unknown keys are rejected, as Slack's schema does),
 * agree with each other, ask for exactly the scopes the code asks for at install, subscribe to exactly
 * the events src/slack listens to, and point at the paths the app serves.
 */
const root = join(import.meta.dirname, "..", "..");

const prompt = z.strictObject({ title: z.string().min(1), message: z.string().min(1) });
const manifestSchema = z.strictObject({
  _metadata: z.strictObject({ major_version: z.literal(1), minor_version: z.number().int() }),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().max(140),
    background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  }),
  features: z.strictObject({
    app_home: z.strictObject({
      home_tab_enabled: z.literal(true),
      messages_tab_enabled: z.literal(true),
      messages_tab_read_only_enabled: z.literal(false),
    }),
    bot_user: z.strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    assistant_view: z.strictObject({
      assistant_description: z.string().min(1),
      suggested_prompts: z.array(prompt).max(4),
    }),
    slash_commands: z.array(
      z.strictObject({
        command: z.string().startsWith("/").max(32),
        url: z.url().optional(),
        description: z.string().min(1).max(2000),
        usage_hint: z.string().max(1000),
        should_escape: z.boolean(),
      }),
    ),
  }),
  oauth_config: z.strictObject({
    redirect_urls: z.array(z.url()).optional(),
    scopes: z.strictObject({ bot: z.array(z.string()), user: z.array(z.string()).optional() }),
  }),
  settings: z.strictObject({
    event_subscriptions: z.strictObject({
      request_url: z.url().optional(),
      bot_events: z.array(z.string()).max(100),
    }),
    interactivity: z.strictObject({ is_enabled: z.literal(true), request_url: z.url().optional() }),
    org_deploy_enabled: z.literal(false),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.literal(false),
  }),
});
type Manifest = z.infer<typeof manifestSchema>;

function readManifest(name: string): Manifest {
  return manifestSchema.parse(parse(readFileSync(join(root, "docs", name), "utf8")));
}

const http = readManifest("slack-manifest.yaml");
const socket = readManifest("slack-manifest.socket-mode.yaml");

/** The scope each event needs (Slack's event reference); events without one need none. */
const eventScopes: Record<string, string> = {
  app_mention: "app_mentions:read",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  "message.mpim": "mpim:history",
  assistant_thread_started: "assistant:write",
  assistant_thread_context_changed: "assistant:write",
};
const messageEvents = ["message.channels", "message.groups", "message.im", "message.mpim"];
/** In the manifest (the issue asks for the assistant view) before src/slack listens to them. */
const awaitingListeners = new Set(["assistant_thread_started", "assistant_thread_context_changed"]);

/** What src/slack registers with Bolt, read from the source (every listener goes through these calls). */
function registrations() {
  const files = readdirSync(join(root, "src", "slack"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(root, "src", "slack", file), "utf8"));
  const source = files.join("\n");
  const events = new Set([...source.matchAll(/\.event\(\s*["']([a-z_.]+)["']/g)].map((match) => match[1]!));
  if (/\.message\(/.test(source)) for (const event of messageEvents) events.add(event);
  if (/new Assistant\(/.test(source)) {
    for (const event of ["assistant_thread_started", "assistant_thread_context_changed", "message.im"])
      events.add(event);
  }
  return {
    events,
    commands: /\.command\(\s*services\.config\.slack\.command/.test(source),
    interactive: /\.(action|view|shortcut|options)\(/.test(source),
  };
}

describe("Slack app manifests", () => {
  it("ask for exactly the scopes the installer asks for, and every scope an event needs", () => {
    for (const manifest of [http, socket]) {
      expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...botScopes].sort());
      for (const event of manifest.settings.event_subscriptions.bot_events) {
        const scope = eventScopes[event];
        if (scope) expect(manifest.oauth_config.scopes.bot).toContain(scope);
      }
    }
    // Least privilege: nothing that posts where the bot was not invited, reads emails or reactions.
    for (const scope of ["chat:write.public", "users:read.email", "reactions:read", "channels:join"]) {
      expect(botScopes).not.toContain(scope);
    }
  });

  it("subscribe to exactly the events src/slack listens to", () => {
    const registered = registrations();
    const subscribed = new Set(http.settings.event_subscriptions.bot_events);
    for (const event of registered.events) expect(subscribed, event).toContain(event);
    for (const event of subscribed) {
      expect(registered.events.has(event) || awaitingListeners.has(event), event).toBe(true);
    }
    for (const event of ["app_mention", "app_home_opened", ...messageEvents, ...awaitingListeners]) {
      expect(subscribed).toContain(event);
    }
    expect(registered.commands).toBe(true);
  });

  it("offer the slash command the app registers, with interactivity and App Home on", () => {
    const command = testConfig().slack.command;
    for (const manifest of [http, socket]) {
      expect(manifest.features.slash_commands.map((item) => item.command)).toEqual([command]);
      expect(manifest.settings.interactivity.is_enabled).toBe(true);
      expect(manifest.features.app_home.home_tab_enabled).toBe(true);
      expect(manifest.features.assistant_view.assistant_description.length).toBeGreaterThan(0);
    }
  });

  it("differ only in transport: HTTP mode has request URLs on the paths the app serves", () => {
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    const eventsUrl = new URL(http.settings.event_subscriptions.request_url ?? "");
    expect(eventsUrl.protocol).toBe("https:");
    expect(eventsUrl.pathname).toBe("/slack/events");
    expect(http.settings.interactivity.request_url).toBe(eventsUrl.toString());
    expect(http.features.slash_commands[0]?.url).toBe(eventsUrl.toString());
    expect(http.oauth_config.redirect_urls).toEqual([
      `${eventsUrl.origin}${redirectPath}`,
      `${eventsUrl.origin}${slackCallbackPath}`,
    ]);
    // Sign in with Slack (Google connect links): exactly the scopes it asks for.
    expect(http.oauth_config.scopes.user).toEqual(["openid", "email"]);
    expect(installPath).toBe("/slack/install");

    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(socket.settings.interactivity.request_url).toBeUndefined();
    expect(socket.features.slash_commands[0]?.url).toBeUndefined();

    const withoutTransport = (manifest: Manifest) => ({
      ...manifest,
      features: {
        ...manifest.features,
        slash_commands: manifest.features.slash_commands.map(({ url: _url, ...rest }) => rest),
      },
      oauth_config: { scopes: manifest.oauth_config.scopes },
      settings: {
        ...manifest.settings,
        socket_mode_enabled: undefined,
        event_subscriptions: { bot_events: manifest.settings.event_subscriptions.bot_events },
        interactivity: { is_enabled: manifest.settings.interactivity.is_enabled },
      },
    });
    expect(withoutTransport(socket)).toEqual(withoutTransport(http));
  });
});
