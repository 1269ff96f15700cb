import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import { errorMessage } from "../errors.js";
import type { RunToolset } from "../harness/loop.js";
import type { Logger } from "../logger.js";
import type { Database } from "../storage/database.js";
import { createReadArtifactTool } from "./artifacts/read-artifact.js";
import type { SandboxLimits } from "./computer/limits.js";
import { LocalSandbox } from "./computer/local-sandbox.js";
import { offerRunCode } from "./computer/run-code.js";
import type { Sandbox, SandboxEnforcement } from "./computer/sandbox.js";
import { enforcementFallbacks, recordSandboxStatus } from "./computer/sandbox-status.js";
import { memoryTools } from "./memory/index.js";
import { effectivePolicy, isOffered, type Policy, parsePolicy } from "./policy.js";
import { slackTools } from "./slack/index.js";
import type { Tool, ToolServices } from "./tool.js";
import { createAddressPolicy } from "./web/address-policy.js";
import { createFetchUrlTool } from "./web/fetch-url.js";
import { createSafeHttpClient } from "./web/safe-http-client.js";
import { createWebSearchTool } from "./web/web-search.js";

/**
 * Every tool the coworker has, built once from its configuration, and which of them one run is
 * offered: the workspace's policy (`Workspace.policy`) with the run's channel's overrides applied
 * (least privilege: `allowedTools`, `disabledTools`; approvals: `autoApprove`, `alwaysApprove`).
 * The tools: fetch_url, web_search (with a search key), run_code (when the sandbox works here),
 * read_artifact, the Slack tools (src/tools/slack) and memory (src/tools/memory).
 */
export interface ToolRegistryOptions {
  web?: {
    /** Host names fetch_url may reach even when they resolve to private addresses (intranet wikis). */
    allowHosts?: readonly string[];
    /** Addresses or CIDR ranges fetch_url may reach even when private. */
    allowCidrs?: readonly string[];
    /** Brave Search API key: without one there is no web_search. */
    searchApiKey?: string;
    /** Default Brave's; tests point it at a local server. */
    searchBaseUrl?: string;
  };
  /**
   * run_code's backend: a `Sandbox` (e.g. a remote one), or options for the local bubblewrap sandbox
   * (default root: <tmpdir>/coworker-sandboxes), or `false` for no run_code.
   */
  sandbox?:
    | Sandbox
    | {
        root?: string;
        network?: boolean;
        limits?: Partial<SandboxLimits>;
        cgroups?: boolean;
        diskQuota?: "volume" | "accounting";
      }
    | false;
  /** Tools built elsewhere (Google, schedules), offered under the same policy. */
  extra?: Tool[];
}

export interface ToolRegistry {
  /** Every tool (built on first use, then reused). */
  tools(): Promise<Tool[]>;
  /** The tools one run is offered, and the policy that decides its approvals. */
  toolset(run: { workspaceId: string; channel: string }): Promise<RunToolset>;
}

export interface RegistryServices {
  database: Database;
  logger: Logger;
}

export const defaultSandboxRoot = join(tmpdir(), "coworker-sandboxes");

export function createToolRegistry(
  services: RegistryServices,
  options: ToolRegistryOptions = {},
): ToolRegistry {
  let built: Promise<Tool[]> | undefined;
  const tools = () => {
    built ??= buildTools(services, options).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
  return {
    tools,
    toolset: async (run) => toolsetFor(services, run, await tools()),
  };
}

/** Registry options from the configuration. */
export function registryOptions(config: Config, extra: Tool[] = []): ToolRegistryOptions {
  const { web, sandbox } = config.tools;
  return {
    web: {
      allowHosts: web.allowHosts,
      allowCidrs: web.allowCidrs,
      searchApiKey: web.searchApiKey,
      searchBaseUrl: web.searchBaseUrl,
    },
    sandbox: sandbox.enabled
      ? {
          root: sandbox.root,
          network: sandbox.network,
          limits: sandbox.limits,
          cgroups: sandbox.cgroups,
          diskQuota: sandbox.diskQuota,
        }
      : false,
    extra,
  };
}

/** Applies the workspace's policy (and the channel's overrides) to `tools`. */
export async function toolsetFor(
  services: RegistryServices,
  run: { workspaceId: string; channel: string },
  tools: readonly Tool[],
): Promise<RunToolset> {
  const policy = effectivePolicy(await workspacePolicy(services, run.workspaceId), run.channel);
  const offered = tools.filter((tool) => isOffered(tool, policy));
  return { tools: new Map(offered.map((tool) => [tool.name, tool])), policy };
}

/**
 * A policy that does not parse is logged and replaced by one offering nothing: a broken policy must
 * not widen what runs may do.
 */
async function workspacePolicy(services: RegistryServices, workspaceId: string): Promise<Policy> {
  const workspace = await services.database.workspace.findUnique({
    where: { id: workspaceId },
    select: { policy: true },
  });
  try {
    return parsePolicy(workspace?.policy);
  } catch (error) {
    services.logger.error(
      { workspaceId, error: errorMessage(error) },
      "workspace policy is invalid: offering no tools until it is fixed",
    );
    return { allowedTools: [] };
  }
}

async function buildTools(services: RegistryServices, options: ToolRegistryOptions): Promise<Tool[]> {
  const { database, logger } = services;
  const tools: Tool[] = [];
  const web = options.web ?? {};
  const client = createSafeHttpClient({
    policy: createAddressPolicy({ allowHosts: web.allowHosts, allowCidrs: web.allowCidrs }),
  });
  tools.push(createFetchUrlTool({ client }) as Tool);
  const search = createWebSearchTool({ apiKey: web.searchApiKey, baseUrl: web.searchBaseUrl });
  if (search) tools.push(search as Tool);
  else logger.info("web_search is not offered: no search API key is configured");

  const runCode = await runCodeTool(logger, options.sandbox);
  if (runCode) tools.push(runCode);

  tools.push(
    createReadArtifactTool({ database }) as Tool,
    ...slackTools(),
    ...memoryTools(),
    ...(options.extra ?? []),
  );
  return tools;
}

/** run_code when a sandbox works here; otherwise why not, in the log. */
async function runCodeTool(
  logger: Logger,
  setting: ToolRegistryOptions["sandbox"],
): Promise<Tool | undefined> {
  if (setting === false) {
    logger.info("run_code is not offered: the sandbox is turned off");
    recordSandboxStatus({ state: "off" });
    return undefined;
  }
  const sandbox: Sandbox =
    setting && "run" in setting
      ? setting
      : new LocalSandbox({
          root: setting?.root ?? defaultSandboxRoot,
          network: setting?.network,
          ...(setting?.limits ? { limits: setting.limits } : {}),
          ...(setting?.cgroups === false ? { cgroupParent: false as const } : {}),
          ...(setting?.diskQuota ? { diskQuota: setting.diskQuota } : {}),
        });
  try {
    const offer = await offerRunCode(sandbox);
    if (!offer.offered) {
      logger.warn({ reason: offer.reason }, "run_code is not offered: the sandbox does not work here");
      recordSandboxStatus({ state: "unavailable", reason: offer.reason });
      return undefined;
    }
    for (const missing of offer.unavailable) {
      logger.info({ language: missing.language, reason: missing.reason }, "run_code language unavailable");
    }
    logSandboxLimits(logger, offer.enforcement);
    recordSandboxStatus({
      state: "ready",
      languages: offer.languages,
      ...(offer.enforcement ? { enforcement: offer.enforcement } : {}),
    });
    return withServices(offer.tool as Tool, { sandbox });
  } catch (error) {
    logger.warn({ error: errorMessage(error) }, "run_code is not offered: the sandbox check failed");
    recordSandboxStatus({ state: "unavailable", reason: errorMessage(error) });
    return undefined;
  }
}

/** What limits a run as a whole and its workspace; a warning for each limit the host cannot keep. */
function logSandboxLimits(logger: Logger, enforcement: SandboxEnforcement | undefined): void {
  if (enforcement === undefined) return;
  for (const fallback of enforcementFallbacks(enforcement)) {
    logger.warn({ enforced: fallback }, "run_code sandbox limits fall back");
  }
  logger.info({ sandbox: enforcement.sandbox, disk: enforcement.disk }, "run_code sandbox limits");
}

/** A tool whose context always carries `extra` services (e.g. run_code's sandbox backend). */
export function withServices<Input>(tool: Tool<Input>, extra: Partial<ToolServices>): Tool<Input> {
  const bind = <Context extends { services: ToolServices }>(context: Context): Context => ({
    ...context,
    services: { ...context.services, ...extra },
  });
  return {
    ...tool,
    execute: (input, context) => tool.execute(input, bind(context)),
    ...(tool.sinks
      ? {
          sinks: (input: Input, context: Parameters<Tool<Input>["execute"]>[1]) =>
            tool.sinks!(input, bind(context)),
        }
      : {}),
    ...(tool.reconcile
      ? {
          reconcile: (input: Input, context: Parameters<Tool<Input>["execute"]>[1]) =>
            tool.reconcile!(input, bind(context)),
        }
      : {}),
  };
}
