import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The UI's static files (plain HTML, CSS and ES modules in ./public, no build step) and the one
 * vendored browser module, `marked` (Markdown), served from node_modules.
 */
const publicDirectory = fileURLToPath(new URL("./public/", import.meta.url));
const contentTypes: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

export interface Asset {
  content: Buffer;
  contentType: string;
}

/** A file of ./public by its bare name (`app.js`); undefined for anything else. */
export async function publicAsset(name: string): Promise<Asset | undefined> {
  const match = /^[a-z][a-z0-9-]*\.(html|css|js|svg)$/.exec(name);
  const contentType = match?.[1] ? contentTypes[match[1]] : undefined;
  if (!contentType) return undefined;
  return readOptional(join(publicDirectory, name), contentType);
}

/** A vendored browser module by name (`marked.js`). */
export async function vendorAsset(name: string): Promise<Asset | undefined> {
  if (name !== "marked.js") return undefined;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("marked/package.json");
  } catch {
    return undefined;
  }
  return readOptional(join(dirname(entry), "lib", "marked.esm.js"), contentTypes.js as string);
}

async function readOptional(path: string, contentType: string): Promise<Asset | undefined> {
  try {
    return { content: await readFile(path), contentType };
  } catch {
    return undefined;
  }
}
