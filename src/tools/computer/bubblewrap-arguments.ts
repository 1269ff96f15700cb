import { existsSync, lstatSync, readlinkSync } from "node:fs";
import type { Interpreter } from "./interpreters.js";
import { systemDirectory } from "./interpreters.js";
import type { SandboxLimits } from "./limits.js";

/** The identity every sandboxed process has inside (and, when we run as root, outside too). */
export const sandboxUid = 65534;
export const sandboxGid = 65534;

/** File descriptors the runner fills with data that bubblewrap copies into the sandbox. */
export const dataDescriptors = { script: 3, passwd: 4, group: 5 } as const;

/** Merged-/usr hosts have these as symlinks into /usr; older layouts have real directories. */
const rootDirectories = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/** The /etc entries programs need to start: no passwords, keys, or host configuration. */
const etcEntries = ["/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime"];

/** Added only when a run may use the network. */
const networkEtcEntries = [
  "/etc/resolv.conf",
  "/etc/hosts",
  "/etc/nsswitch.conf",
  "/etc/ssl",
  "/etc/ca-certificates",
];

export interface BubblewrapPlan {
  workspaceDirectory: string;
  interpreter: Interpreter;
  prlimitPath: string;
  limits: SandboxLimits;
  network: boolean;
  /** A cgroup's pids.max holds the sandbox's processes: no per-user RLIMIT_NPROC shared by all sandboxes. */
  processesInCgroup?: boolean;
}

export function bubblewrapArguments(plan: BubblewrapPlan): string[] {
  const { interpreter, limits } = plan;
  const size = String(limits.temporaryBytes);
  const path = [...interpreter.path, "/usr/local/bin", "/usr/bin", "/bin"].join(":");
  return [
    ...["--ro-bind", systemDirectory, systemDirectory],
    ...rootDirectories.flatMap(rootDirectoryArguments),
    ...["--dir", "/etc"],
    ...[...etcEntries, ...(plan.network ? networkEtcEntries : [])].flatMap((entry) => [
      "--ro-bind-try",
      entry,
      entry,
    ]),
    ...["--perms", "0444", "--ro-bind-data", String(dataDescriptors.passwd), "/etc/passwd"],
    ...["--perms", "0444", "--ro-bind-data", String(dataDescriptors.group), "/etc/group"],
    ...["--proc", "/proc", "--dev", "/dev"],
    ...["--size", size, "--tmpfs", "/dev/shm", "--remount-ro", "/dev"],
    ...["--size", size, "--tmpfs", "/tmp"],
    ...["--bind", plan.workspaceDirectory, "/workspace"],
    // After /tmp: an interpreter installed under the host's /tmp must not be hidden by the tmpfs.
    ...interpreter.mounts.flatMap((mount) => ["--ro-bind", mount, mount]),
    ...["--perms", "0444", "--ro-bind-data", String(dataDescriptors.script), interpreter.scriptPath],
    ...["--remount-ro", "/", "--chdir", "/workspace"],
    ...["--unshare-all", "--unshare-user", ...(plan.network ? ["--share-net"] : []), "--disable-userns"],
    ...["--uid", String(sandboxUid), "--gid", String(sandboxGid), "--hostname", "sandbox"],
    ...["--die-with-parent", "--new-session"],
    ...["--clearenv", "--setenv", "PATH", path, "--setenv", "HOME", "/workspace"],
    "--",
    ...prlimitArguments(plan.prlimitPath, limits, plan.processesInCgroup ?? false),
    interpreter.command,
    ...interpreter.options,
    interpreter.scriptPath,
  ];
}

function prlimitArguments(prlimitPath: string, limits: SandboxLimits, processesInCgroup: boolean): string[] {
  return [
    prlimitPath,
    `--cpu=${limits.cpuSeconds}`,
    `--as=${limits.memoryBytes}`,
    ...(processesInCgroup ? [] : [`--nproc=${limits.processes}`]),
    `--fsize=${limits.fileBytes}`,
    `--nofile=${limits.openFiles}`,
    "--core=0",
    "--",
  ];
}

function rootDirectoryArguments(directory: string): string[] {
  if (!existsSync(directory)) return [];
  if (lstatSync(directory).isSymbolicLink()) return ["--symlink", readlinkSync(directory), directory];
  return ["--ro-bind", directory, directory];
}

/** Names for the sandbox user, so `whoami` and Python's `getpass` work. */
export function passwdFile(): string {
  return `sandbox:x:${sandboxUid}:${sandboxGid}:sandbox:/workspace:/bin/sh\n`;
}

export function groupFile(): string {
  return `sandbox:x:${sandboxGid}:\n`;
}
