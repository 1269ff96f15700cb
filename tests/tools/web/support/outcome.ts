import { isCodedError } from "../../../../src/errors.js";

/** "fetched" if the fetch succeeds, else the code of the CodedError it fails with (other errors rethrow). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "fetched";
  } catch (error) {
    if (isCodedError(error)) return error.code;
    throw error;
  }
}
