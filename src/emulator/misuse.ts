import { CodedError } from "../errors.js";

/** A test (or UI) asked the emulator for something that does not exist or cannot happen. */
export function misuse(message: string): CodedError {
  return new CodedError("emulator_misuse", `emulator: ${message}`, { expected: true });
}
