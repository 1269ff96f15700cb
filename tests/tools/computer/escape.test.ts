import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalSandbox } from "../../../src/tools/computer/local-sandbox.js";
import { createTestSandbox, run } from "./sandbox-fixture.js";

/** A grep for `text` whose script never contains `text` itself (the script is visible inside). */
function searchFor(text: string, where: string): string {
  return `grep -rs "${text.slice(0, 8)}""${text.slice(8)}" ${where}`;
}

describe("the local sandbox keeps code in", () => {
  let sandbox: LocalSandbox;
  let root: string;
  let cleanup: () => Promise<void>;
  let secretDirectory: string;
  let secretFile: string;
  const secret = `secret-${randomUUID()}`;
  const secretVariable = "COWORKER_SANDBOX_TEST_SECRET";

  beforeAll(async () => {
    ({ sandbox, root, cleanup } = await createTestSandbox());
    // Planted on the host: neither may be visible inside.
    process.env[secretVariable] = secret;
    secretDirectory = await mkdtemp(join(tmpdir(), "sandbox-secret-"));
    secretFile = join(secretDirectory, "secret.txt");
    await writeFile(secretFile, secret);
  });

  afterAll(async () => {
    delete process.env[secretVariable];
    await rm(secretDirectory, { recursive: true, force: true });
    await cleanup();
  });

  it("cannot read host files outside the workspace", async () => {
    const targets = ["/etc/shadow", "/root", "/work", join(process.cwd(), "package.json"), secretFile, root];
    const result = await run(
      sandbox,
      "reader",
      "shell",
      targets
        .map((target) => `if ls -d ${target} >/dev/null 2>&1; then echo "VISIBLE ${target}"; fi`)
        .join("\n") +
        `\ncat ${secretFile} /etc/shadow 2>&1; ${searchFor(secret, "/etc /tmp /workspace /sandbox")}; echo done`,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain("VISIBLE");
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain("No such file or directory");
    expect(result.stdout).toContain("done");
  });

  it("does not see the host's environment variables or the secret in any process", async () => {
    const result = await run(
      sandbox,
      "environment",
      "shell",
      "env; echo ---; for file in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $file; done; echo ---; ls /proc",
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).not.toContain(secretVariable);
    expect(result.stdout).toContain("HOME=/workspace");
    // A fresh PID namespace: only the sandbox's own few processes exist.
    const pids = result.stdout
      .split("---")[2]!
      .split(/\s+/)
      .filter((entry) => /^\d+$/.test(entry));
    expect(pids.length).toBeLessThan(10);
  });

  it("cannot write outside the workspace, and writes to its /tmp never reach the host", async () => {
    const marker = `escape-${randomUUID()}`;
    const hostTemporary = join(tmpdir(), marker);
    const result = await run(
      sandbox,
      "writer",
      "shell",
      [
        `touch /usr/${marker} && echo "WROTE /usr"`,
        `touch /etc/${marker} && echo "WROTE /etc"`,
        `touch /${marker} && echo "WROTE /"`,
        `touch /dev/${marker} && echo "WROTE /dev"`,
        `touch /tmp/${marker} && echo "private tmp ok"`,
        `touch /workspace/${marker} && echo "workspace ok"`,
      ].join("\n"),
    );
    expect(result.stdout).not.toContain("WROTE");
    expect(result.stdout).toContain("private tmp ok");
    expect(result.stdout).toContain("workspace ok");
    expect(result.stderr).toContain("Read-only file system");
    expect(existsSync(hostTemporary)).toBe(false);
    expect(existsSync(`/usr/${marker}`)).toBe(false);
    expect(existsSync(join(sandbox.workspaceDirectory("writer"), marker))).toBe(true);
  });

  it("runs as an unprivileged user without capabilities or new namespaces", async () => {
    const result = await run(
      sandbox,
      "privileges",
      "shell",
      "id -u; grep CapEff /proc/self/status; unshare --user true && echo UNSHARED; touch owned",
    );
    expect(result.stdout).toContain("65534");
    expect(result.stdout).toContain("CapEff:\t0000000000000000");
    expect(result.stdout).not.toContain("UNSHARED");
    const owner = await stat(join(sandbox.workspaceDirectory("privileges"), "owned"));
    if (process.getuid?.() === 0) expect(owner.uid).toBe(65534);
    else expect(owner.uid).toBe(process.getuid?.());
  });

  describe("the network", () => {
    let server: Server;
    let port: number;
    let requests = 0;

    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests += 1;
        response.end("reached");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("cannot reach a server on the host's loopback", async () => {
      const control = await fetch(`http://127.0.0.1:${port}/`);
      expect(await control.text()).toBe("reached");
      const before = requests;

      const node = await run(
        sandbox,
        "network",
        "node",
        `fetch("http://127.0.0.1:${port}/").then((r) => r.text()).then((t) => console.log("GOT", t), (e) => console.log("FAILED", e.cause?.code ?? e.message));`,
      );
      const python = await run(
        sandbox,
        "network",
        "python",
        `import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=3)\n    print("CONNECTED")\nexcept OSError as error:\n    print("FAILED", error)`,
      );
      const shell = await run(
        sandbox,
        "network",
        "shell",
        `echo hi > /dev/tcp/127.0.0.1/${port} && echo CONNECTED`,
      );

      expect(node.stdout).toContain("FAILED");
      expect(node.stdout).not.toContain("GOT");
      expect(python.stdout).toContain("FAILED");
      expect(shell.stdout).not.toContain("CONNECTED");
      expect(requests).toBe(before);
    });

    it("has no interface but its own loopback", async () => {
      const result = await run(sandbox, "network", "shell", "cat /proc/net/dev");
      const interfaces = result.stdout
        .split("\n")
        .slice(2)
        .map((line) => line.split(":")[0]!.trim())
        .filter((name) => name !== "");
      expect(interfaces).toEqual(["lo"]);
    });
  });

  it("does not see other tasks' folders", async () => {
    const first = await run(
      sandbox,
      "task-one",
      "shell",
      `echo ${secret} > private.txt; pwd; ${searchFor(secret, "/ --exclude-dir=proc --exclude-dir=usr")}`,
    );
    // The same search finds the file from its own task: the search itself works.
    expect(first.stdout).toContain(`/workspace/private.txt:${secret}`);
    const other = await run(
      sandbox,
      "task-two",
      "shell",
      [
        "ls -A /workspace",
        `cat ${join(root, "task-one", "private.txt")} 2>&1`,
        `ls ${root} 2>&1`,
        "cat /workspace/../task-one/private.txt 2>&1",
        `${searchFor(secret, "/ --exclude-dir=proc --exclude-dir=usr")}; echo searched`,
      ].join("\n"),
    );
    expect(other.stdout).not.toContain(secret);
    expect(other.stdout).toContain("No such file or directory");
    expect(other.stdout).toContain("searched");
  });

  it("lists planted symlinks to host secrets without following them", async () => {
    // Where the host's listing of the workspace would look if it followed links: a host folder whose
    // file is named after the secret (the listing reports names and sizes, not contents).
    const linkedFolder = await mkdtemp(join(tmpdir(), "sandbox-linked-"));
    await writeFile(join(linkedFolder, `${secret}.txt`), secret);
    try {
      const result = await run(
        sandbox,
        "links",
        "shell",
        `ln -s ${secretFile} link; ln -s ${linkedFolder} folder; ln -s /etc/shadow shadow; cat link 2>&1`,
      );
      expect(JSON.stringify(result)).not.toContain(secret);
      expect(result.files).toEqual(
        expect.arrayContaining([
          { path: "link", kind: "symlink", bytes: secretFile.length, changed: true },
          { path: "folder", kind: "symlink", bytes: linkedFolder.length, changed: true },
          { path: "shadow", kind: "symlink", bytes: "/etc/shadow".length, changed: true },
        ]),
      );
      expect(result.files.filter((file) => file.path.startsWith("folder/"))).toEqual([]);
    } finally {
      await rm(linkedFolder, { recursive: true, force: true });
    }
  });
});
