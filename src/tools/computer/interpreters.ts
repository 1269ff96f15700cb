import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SandboxLanguage } from "./sandbox.js";

/** Host directories bound read-only into every sandbox; interpreters inside them need no extra mount. */
export const systemDirectory = "/usr";

/** How to start one language inside the sandbox. */
export interface Interpreter {
  language: SandboxLanguage;
  /** Absolute path, valid both on the host and inside the sandbox. */
  command: string;
  /** Options before the script path. */
  options: string[];
  /** Where the script is placed inside the sandbox. */
  scriptPath: string;
  /** Read-only binds the interpreter needs beyond the system directories: host path = sandbox path. */
  mounts: string[];
  /** Directories to put in front of PATH. */
  path: string[];
}

export type InterpreterLookup = { ok: true; interpreter: Interpreter } | { ok: false; reason: string };

export interface InterpreterPaths {
  /** Debian's python3: a pyenv shim would live under /root, which the sandbox never sees. */
  pythonPath: string;
  /** The running Node binary (`process.execPath`). */
  nodePath: string;
}

export function findInterpreter(language: SandboxLanguage, paths: InterpreterPaths): InterpreterLookup {
  switch (language) {
    case "shell": {
      const command = ["/usr/bin/bash", "/bin/bash", "/usr/bin/sh", "/bin/sh"].find((path) =>
        existsSync(path),
      );
      if (command === undefined) return { ok: false, reason: "no shell found in /usr/bin or /bin" };
      return { ok: true, interpreter: placed(language, command, [], "/sandbox/main.sh") };
    }
    case "python":
      if (!existsSync(paths.pythonPath)) {
        return {
          ok: false,
          reason: `python3 not found at ${paths.pythonPath} (install Debian's python3; pyenv under /root is not exposed)`,
        };
      }
      // -u: unbuffered, so output printed before a timeout kill is not lost.
      return { ok: true, interpreter: placed(language, paths.pythonPath, ["-u"], "/sandbox/main.py") };
    case "node":
      if (!existsSync(paths.nodePath)) return { ok: false, reason: `node not found at ${paths.nodePath}` };
      return { ok: true, interpreter: placed(language, paths.nodePath, [], "/sandbox/main.js") };
  }
}

/**
 * An interpreter under /usr is already visible. Elsewhere (nvm, a Node tarball under /opt) its install
 * directory is bound read-only when it looks like one (`<prefix>/bin/node` with `<prefix>/include/node`);
 * otherwise only the binary itself is bound, never a whole home directory.
 */
function placed(language: SandboxLanguage, path: string, options: string[], scriptPath: string): Interpreter {
  const real = realpathSync(path);
  const base = { language, options, scriptPath };
  if (real.startsWith(`${systemDirectory}/`)) return { ...base, command: path, mounts: [], path: [] };
  const binDirectory = dirname(real);
  const prefix = dirname(binDirectory);
  const isInstallDirectory =
    binDirectory.endsWith("/bin") && prefix !== "/" && existsSync(join(prefix, "include", "node"));
  return {
    ...base,
    command: real,
    mounts: [isInstallDirectory ? prefix : real],
    path: [binDirectory],
  };
}
