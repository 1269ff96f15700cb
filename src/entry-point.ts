import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Whether the module at `moduleUrl` is the script node was started with (`node dist/main.js`), so an
 * entry file can also be imported (tests, dev) without starting. Compares resolved file paths, not
 * strings: a URL encodes spaces and other characters (%20) that the raw argv path keeps, and either
 * side may go through a symlink.
 */
export function isEntryPoint(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  if (!script) return false;
  return realPath(resolve(script)) === realPath(fileURLToPath(moduleUrl));
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
