/** What the model tests share: a fake server per test, and the error a call fails with. */
import { afterEach } from "vitest";
import { type CodedError, isCodedError } from "../../../src/errors.js";
import {
  type FakeModelServer,
  type FakeModelServerOptions,
  startFakeModelServer,
} from "../../support/fake-model-server.js";

/**
 * Returns a way to start fake model servers; call it at the top of a test file. Every server started
 * during a test is closed after that test.
 */
export function fakeModelServerPerTest(): (options: FakeModelServerOptions) => Promise<FakeModelServer> {
  const started: FakeModelServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await startFakeModelServer(options);
    started.push(server);
    return server;
  };
}

/** The CodedError `promise` rejects with; throws if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isCodedError(error)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}
