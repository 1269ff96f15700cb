import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { errorMessage } from "../../errors.js";

/**
 * Finds where this host lets us put each sandbox in a control group with a memory, process and CPU
 * limit for the whole sandbox (rlimits are per process: six processes under a 512 MB RLIMIT_AS held
 * 2.5 GB). cgroup v2 is preferred; a hybrid host whose memory, pids and cpu controllers are still
 * mounted as cgroup v1 hierarchies (as on the machine this was built on) gets the same limits there.
 * Without either, runs keep only their per-process rlimits, and the reason is reported.
 */
export type CgroupHost =
  | {
      ok: true;
      version: 2;
      /** The parent of the per-run groups, with memory, pids and cpu enabled for its children. */
      parent: string;
    }
  | {
      ok: true;
      version: 1;
      /** The parent of the per-run groups in each controller's hierarchy. */
      parents: { memory: string; pids: string; cpu: string };
    }
  | { ok: false; reason: string };

const controllers = ["memory", "pids", "cpu"] as const;

interface Mount {
  point: string;
  type: string;
  superOptions: string[];
}

/** Memoized per parent name: the set-up writes to the cgroup filesystem once per process. */
const detected = new Map<string, Promise<CgroupHost>>();

export function detectCgroupHost(parentName = "coworker-sandbox"): Promise<CgroupHost> {
  let found = detected.get(parentName);
  if (found === undefined) {
    found = detect(parentName).catch((error) => ({
      ok: false as const,
      reason: `cgroup set-up failed: ${errorMessage(error)}`,
    }));
    detected.set(parentName, found);
  }
  return found;
}

/** One line for logs and /readyz: what limits a whole sandbox. */
export function describeCgroupHost(host: CgroupHost): string {
  if (!host.ok) {
    return `no cgroup limits (${host.reason}); enforced instead: per-process rlimits only (address space, CPU seconds, processes of the sandbox user, file size, open files)`;
  }
  const where = host.version === 2 ? host.parent : host.parents.memory;
  return `cgroup v${host.version} per run under ${where}: memory, pids and cpu limits for the whole sandbox`;
}

async function detect(parentName: string): Promise<CgroupHost> {
  if (process.platform !== "linux") return { ok: false, reason: "not Linux" };
  const mounts = parseMounts(await readFile("/proc/self/mountinfo", "utf8"));
  const membership = parseMembership(await readFile("/proc/self/cgroup", "utf8"));
  const reasons: string[] = [];
  const unified = mounts.find((mount) => mount.type === "cgroup2");
  if (unified) {
    const v2 = await setUpVersion2(unified.point, membership.get("") ?? "/", parentName);
    if (typeof v2 !== "string") return v2;
    reasons.push(v2);
  } else reasons.push("no cgroup v2 mount");
  const v1 = await setUpVersion1(mounts, membership, parentName);
  if (typeof v1 !== "string") return v1;
  reasons.push(v1);
  return { ok: false, reason: reasons.join("; ") };
}

async function setUpVersion2(
  mountPoint: string,
  ownPath: string,
  parentName: string,
): Promise<CgroupHost | string> {
  const own = join(mountPoint, ownPath);
  const offered = (await readFile(join(own, "cgroup.controllers"), "utf8").catch(() => "")).split(/\s+/);
  const missing = controllers.filter((name) => !offered.includes(name));
  if (missing.length > 0) {
    return `cgroup v2 at ${own} lacks ${missing.join(", ")} (offers: ${offered.join(" ").trim() || "none"})`;
  }
  const enable = controllers.map((name) => `+${name}`).join(" ");
  try {
    await enableForChildren(own, enable, ownPath === "/");
    const parent = join(own, parentName);
    await mkdir(parent, { recursive: true });
    await writeFile(join(parent, "cgroup.subtree_control"), enable);
    return { ok: true, version: 2, parent };
  } catch (error) {
    return `cgroup v2 at ${own} cannot be delegated: ${errorMessage(error)}`;
  }
}

/**
 * v2 lets a non-root group hand controllers to its children only when it holds no process itself:
 * when ours does, move this process into a leaf (`service`) first, then try again.
 */
async function enableForChildren(own: string, enable: string, isRoot: boolean): Promise<void> {
  try {
    await writeFile(join(own, "cgroup.subtree_control"), enable);
  } catch (error) {
    if (isRoot || (error as NodeJS.ErrnoException).code !== "EBUSY") throw error;
    const leaf = join(own, "service");
    await mkdir(leaf, { recursive: true });
    await writeFile(join(leaf, "cgroup.procs"), String(process.pid));
    await writeFile(join(own, "cgroup.subtree_control"), enable);
  }
}

async function setUpVersion1(
  mounts: Mount[],
  membership: Map<string, string>,
  parentName: string,
): Promise<CgroupHost | string> {
  const parents: Partial<Record<(typeof controllers)[number], string>> = {};
  for (const name of controllers) {
    const mount = mounts.find((entry) => entry.type === "cgroup" && entry.superOptions.includes(name));
    const ownPath = [...membership].find(([list]) => list.split(",").includes(name))?.[1];
    if (mount === undefined || ownPath === undefined) return `no cgroup v1 ${name} hierarchy`;
    const parent = join(mount.point, ownPath, parentName);
    try {
      await mkdir(parent, { recursive: true });
    } catch (error) {
      return `cgroup v1 ${name} hierarchy not writable: ${errorMessage(error)}`;
    }
    parents[name] = parent;
  }
  return { ok: true, version: 1, parents: parents as { memory: string; pids: string; cpu: string } };
}

/** /proc/self/mountinfo: mount point is field 5, then after " - " the type and the super options. */
function parseMounts(text: string): Mount[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [before = "", after = ""] = line.split(" - ");
      const [type = "", , superOptions = ""] = after.split(" ");
      return { point: before.split(" ")[4] ?? "", type, superOptions: superOptions.split(",") };
    });
}

/** /proc/self/cgroup: `id:controllers:path`; the v2 line has no controllers. */
function parseMembership(text: string): Map<string, string> {
  const membership = new Map<string, string>();
  for (const line of text.split("\n").filter(Boolean)) {
    const [, list = "", ...path] = line.split(":");
    membership.set(list, path.join(":"));
  }
  return membership;
}
