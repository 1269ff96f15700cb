import { TimestampSource } from "./clock.js";
import type { AppIdentity, EmulatorCore } from "./core.js";
import { type AppEndpoints, Deliverer } from "./delivery/deliverer.js";
import { FaultController } from "./faults.js";
import { createIdSource } from "./ids.js";
import { ResponseUrlRegistry } from "./interactivity/response-urls.js";
import { TriggerRegistry } from "./interactivity/triggers.js";
import { RateLimiter } from "./limits/rate-limiter.js";
import { misuse } from "./misuse.js";
import { issueOAuthCode } from "./oauth-flow.js";
import { createOpenIdState, signInPath } from "./openid.js";
import { resolveOptions, type SlackEmulatorOptions } from "./options.js";
import { installApp, type SeededWorkspace, seedWorkspace } from "./seed.js";
import { startHttpServer } from "./server/http-server.js";
import { emulatorRoutes } from "./server/routes.js";
import type { ApiCall, Delivery, Notice } from "./state/activity-log.js";
import { WorkspaceStore } from "./state/store.js";
import { waitFor } from "./waits.js";
import { methodRegistry } from "./web-api/registry.js";
import { type WorkspaceHandle, workspaceHandle } from "./workspace-handle.js";

export interface CreatedWorkspace extends WorkspaceHandle {
  /** For `install: "oauth"`: the code the app exchanges with oauth.v2.access. */
  oauthCode: string | undefined;
}

/** The emulator: the default workspace's handle, plus the app-wide controls and logs. */
export interface SlackEmulator extends WorkspaceHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/api/`: give it to Bolt as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** `<url>/oauth/v2/authorize`: give it to Bolt's installer as `authorizationUrl`. */
  readonly authorizeUrl: string;
  /** `<url>/openid/connect/authorize`: Sign in with Slack's authorize page. */
  readonly openIdAuthorizeUrl: string;
  /** Visiting it signs a browser in to Slack as this person (for Sign in with Slack). */
  signInUrl(userId: string): string;
  readonly signingSecret: string;
  readonly appId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly verificationToken: string;
  readonly endpoints: Readonly<AppEndpoints>;
  /** Points events, interactivity and commands at the app (separate URLs optional). */
  setRequestUrl(url: string | undefined, options?: { interactivityUrl?: string; commandsUrl?: string }): void;
  /** All state and its change stream (`store.subscribe`), for UIs. */
  readonly store: WorkspaceStore;
  readonly apiCalls: readonly ApiCall[];
  callsTo(method: string): ApiCall[];
  readonly deliveries: readonly Delivery[];
  /** Event deliveries, optionally of one event type. */
  events(type?: string): Delivery[];
  /** Commands, actions and view submissions the app did not ack in time. */
  ackTimeouts(): Delivery[];
  /** Things Slack accepts silently that are probably bugs (thread_ts of a reply, unknown thread_ts). */
  readonly notices: readonly Notice[];
  readonly faults: FaultController;
  readonly rateLimits: RateLimiter;
  workspace(teamId: string): WorkspaceHandle;
  workspaces(): WorkspaceHandle[];
  /** A second (third, ...) workspace: installed at once, or by the app through OAuth (default). */
  createWorkspace(options?: {
    name?: string;
    domain?: string;
    install?: "oauth" | "direct";
  }): Promise<CreatedWorkspace>;
  /** A code for /oauth/v2/authorize-less installs: exchange it with oauth.v2.access. */
  issueOAuthCode(options?: { teamId?: string; redirectUri?: string }): string;
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const defaultScopes = [
  "app_mentions:read",
  "assistant:write",
  "channels:history",
  "channels:read",
  "chat:write",
  "commands",
  "files:read",
  "files:write",
  "groups:history",
  "im:history",
  "im:read",
  "im:write",
  "reactions:read",
  "reactions:write",
  "users:read",
];

/** Starts a local Slack: Web API on `apiUrl`, events and interactivity sent to the app's request URL. */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const ids = createIdSource(options.seed);
  const resolved = resolveOptions(options, ids.hex(32));
  const now = resolved.now;
  const store = new WorkspaceStore();
  const urls = { base: "", api: "" };
  const endpoints: AppEndpoints = {
    events: options.requestUrl,
    interactivity: options.interactivityUrl ?? options.requestUrl,
    commands: options.commandsUrl ?? options.requestUrl,
  };
  const app: AppIdentity = {
    id: ids.next("A"),
    name: options.app?.name ?? "Coworker",
    clientId: options.app?.clientId ?? `${ids.digits(12)}.${ids.digits(13)}`,
    clientSecret: options.app?.clientSecret ?? ids.hex(32),
    verificationToken: options.app?.verificationToken ?? ids.next("", 24),
    scopes: defaultScopes,
  };
  const faults = new FaultController(now);
  const deliverer = new Deliverer({ ...resolved, ids }, () => endpoints, store.activity, faults);
  const core: EmulatorCore = {
    options: resolved,
    store,
    ids,
    timestamps: new TimestampSource(now),
    now,
    app,
    urls,
    endpoints,
    triggers: new TriggerRegistry(ids, now, resolved.triggerTtlMs),
    responseUrls: new ResponseUrlRegistry(ids, now, () => urls.base),
    faults,
    rateLimiter: new RateLimiter(now, resolved.rateLimits),
    deliverer,
    present: {
      store,
      app,
      now,
      get baseUrl() {
        return urls.base;
      },
    },
    oauthGrants: new Map(),
    openid: createOpenIdState(),
  };
  const server = await startHttpServer(resolved.host, resolved.port, emulatorRoutes(core, methodRegistry()));
  urls.base = server.url;
  urls.api = `${server.url}/api/`;

  const handles = new Map<string, WorkspaceHandle>();
  const register = (seeded: SeededWorkspace) => {
    const handle = workspaceHandle(core, seeded);
    handles.set(seeded.team.id, handle);
    return handle;
  };
  const main = register(seedWorkspace(core, { ...resolved.workspace, install: true }));
  const mainDescriptors = Object.getOwnPropertyDescriptors(main);

  const emulator: Omit<SlackEmulator, keyof WorkspaceHandle> = {
    url: urls.base,
    apiUrl: urls.api,
    authorizeUrl: `${urls.base}/oauth/v2/authorize`,
    openIdAuthorizeUrl: `${urls.base}/openid/connect/authorize`,
    signInUrl: (userId) => `${urls.base}${signInPath}?user=${encodeURIComponent(userId)}`,
    signingSecret: resolved.signingSecret,
    appId: app.id,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    verificationToken: app.verificationToken,
    endpoints,
    setRequestUrl(url, extra = {}) {
      endpoints.events = url;
      endpoints.interactivity = extra.interactivityUrl ?? url;
      endpoints.commands = extra.commandsUrl ?? url;
    },
    store,
    apiCalls: store.activity.apiCalls,
    callsTo: (method) => store.activity.apiCalls.filter((call) => call.method === method),
    deliveries: store.activity.deliveries,
    events: (type) =>
      store.activity.deliveries.filter(
        (delivery) => delivery.kind === "event" && (!type || delivery.type === type),
      ),
    ackTimeouts: () => store.activity.deliveries.filter((delivery) => delivery.ackTimedOut),
    notices: store.activity.notices,
    faults,
    rateLimits: core.rateLimiter,
    workspace(teamId) {
      const handle = handles.get(teamId);
      if (!handle) throw misuse(`no workspace ${teamId}`);
      return handle;
    },
    workspaces: () => [...handles.values()],
    async createWorkspace(input = {}) {
      const count = handles.size + 1;
      const seeded = seedWorkspace(core, {
        name: input.name ?? `Workspace ${count}`,
        domain: input.domain ?? `workspace-${count}`,
        install: false,
      });
      const handle = register(seeded);
      let oauthCode: string | undefined;
      if (input.install === "direct") {
        installApp(core, seeded.team.id, [seeded.channels.general, seeded.channels.random]);
      } else {
        oauthCode = issueOAuthCode(core, { teamId: seeded.team.id });
      }
      return Object.defineProperties(
        { oauthCode },
        Object.getOwnPropertyDescriptors(handle),
      ) as CreatedWorkspace;
    },
    issueOAuthCode: (input = {}) => issueOAuthCode(core, input),
    waitFor: (check, timeoutMs) => waitFor(store, check, { timeoutMs }),
    idle: () => deliverer.idle(),
    async close() {
      await deliverer.close();
      await server.close();
    },
  };
  return Object.defineProperties(emulator, mainDescriptors) as SlackEmulator;
}
