import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, open, readFile, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { errorMessage } from "../../errors.js";
import { sandboxGid, sandboxUid } from "./bubblewrap-arguments.js";

const run = promisify(execFile);

/**
 * A disk quota per task workspace: each workspace is its own ext4 filesystem in a sparse image file
 * of the quota's size, loop-mounted on the task folder for the length of a run (so a host holds a
 * loop device only per running sandbox, and nothing is left mounted to clean up). The kernel refuses
 * writes past the quota (ENOSPC), however many files or processes write, and the image only takes
 * the disk space its files use. Needs root, loop devices and mkfs.ext4; `probe()` says why not.
 */
export interface WorkspaceVolumeOptions {
  /** Folder of the image files (not visible inside any sandbox). */
  directory: string;
  quotaBytes: number;
  mkfsPath?: string;
  mountPath?: string;
  umountPath?: string;
}

/** ext4 needs a few hundred kilobytes for itself; a smaller quota is raised to this. */
const smallestImageBytes = 4 * 1024 ** 2;

export class WorkspaceVolumes {
  private readonly mkfsPath: string;
  private readonly mountPath: string;
  private readonly umountPath: string;
  private probed: Promise<string | undefined> | undefined;

  constructor(private readonly options: WorkspaceVolumeOptions) {
    this.mkfsPath = options.mkfsPath ?? "/usr/sbin/mkfs.ext4";
    this.mountPath = options.mountPath ?? "/usr/bin/mount";
    this.umountPath = options.umountPath ?? "/usr/bin/umount";
  }

  /** `undefined` when quotas work here (checked once, with a real image), otherwise why not. */
  probe(): Promise<string | undefined> {
    this.probed ??= this.tryOnce();
    return this.probed;
  }

  /**
   * Mounts the task's volume (made on first use) on `target`; call the result to unmount it. A
   * volume still mounted (its process died mid-run; the caller holds the task's lock) is reused.
   */
  async mount(taskId: string, target: string): Promise<() => Promise<void>> {
    const unmount = () => this.unmount(target);
    if (await isMountPoint(target)) return unmount;
    const image = this.imagePath(taskId);
    const fresh = !existsSync(image);
    if (fresh) await this.format(image);
    await run(this.mountPath, ["-t", "ext4", "-o", "loop,nosuid,nodev", image, target]);
    if (fresh) await rmdir(join(target, "lost+found")).catch(() => {});
    await chmod(target, 0o700);
    return unmount;
  }

  /** Unmounts the task's volume and deletes its image: the workspace's files are gone. */
  async remove(taskId: string, target: string): Promise<void> {
    if (await isMountPoint(target)) await this.unmount(target);
    await rm(this.imagePath(taskId), { force: true });
  }

  private imagePath(taskId: string): string {
    return join(this.options.directory, `${taskId}.ext4`);
  }

  private async format(image: string): Promise<void> {
    await mkdir(this.options.directory, { recursive: true, mode: 0o700 });
    const handle = await open(image, "wx", 0o600);
    try {
      await handle.truncate(Math.max(smallestImageBytes, this.options.quotaBytes));
    } finally {
      await handle.close();
    }
    try {
      await run(this.mkfsPath, [
        "-q",
        "-F",
        ...["-m", "0"],
        ...["-O", "^has_journal"],
        ...["-E", `root_owner=${sandboxUid}:${sandboxGid}`],
        image,
      ]);
    } catch (error) {
      await rm(image, { force: true });
      throw error;
    }
  }

  private async unmount(target: string): Promise<void> {
    // Every process of the run is dead (its cgroup was emptied); lazy only if something still holds a file.
    await run(this.umountPath, [target]).catch(() => run(this.umountPath, ["-l", target]));
  }

  private async tryOnce(): Promise<string | undefined> {
    if (process.getuid?.() !== 0) return "not running as root (loop mounts need it)";
    for (const path of [this.mkfsPath, this.mountPath, this.umountPath, "/dev/loop-control"]) {
      if (!existsSync(path)) return `${path} not found`;
    }
    const target = join(this.options.directory, "_probe");
    try {
      await mkdir(this.options.directory, { recursive: true, mode: 0o700 });
      await mkdir(target, { recursive: true });
      await rm(this.imagePath("_probe"), { force: true });
      const unmount = await this.mount("_probe", target);
      await unmount();
      return undefined;
    } catch (error) {
      return `a loop-mounted ext4 image does not work here: ${errorMessage(error).slice(0, 300)}`;
    } finally {
      await this.remove("_probe", target).catch(() => {});
      await rmdir(target).catch(() => {});
    }
  }
}

async function isMountPoint(path: string): Promise<boolean> {
  const own = await stat(path).catch(() => undefined);
  if (own === undefined) return false;
  const mounts = await readFile("/proc/self/mountinfo", "utf8");
  return mounts.split("\n").some((line) => line.split(" ")[4] === path);
}
