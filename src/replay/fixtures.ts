import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Redactor, redactJson } from "../security/redact.js";
import { type Recording, recordingSchema } from "./recording.js";

/**
 * Recorded runs as test fixtures: one JSON file per run (conventionally under tests/fixtures/runs/),
 * secrets redacted on the way out, validated on the way in. A failed production run saved this way and
 * replayed in a test (`replayRun(await readFixture(file), ...)`) is a regression test.
 */
export async function saveFixture(path: string, recording: Recording, redact: Redactor): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(redactJson(recording, redact), null, 2)}\n`, "utf8");
}

export async function readFixture(path: string): Promise<Recording> {
  return recordingSchema.parse(JSON.parse(await readFile(path, "utf8")));
}
