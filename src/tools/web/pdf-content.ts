import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { CodedError } from "../../errors.js";
import type { ReadableDocument } from "./html-content.js";

/** Text of a PDF, page after page, with its Title from the document info (pdf.js through unpdf). */
export async function pdfToText(body: Buffer): Promise<ReadableDocument> {
  let document: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // The PDF comes from outside: no eval of font programs.
    document = await getDocumentProxy(new Uint8Array(body), { isEvalSupported: false });
    const { info } = await getMeta(document);
    const { text } = await extractText(document, { mergePages: false });
    const pages = text.map((page) => page.trim()).filter((page) => page !== "");
    const title = typeof info.Title === "string" && info.Title.trim() !== "" ? info.Title.trim() : undefined;
    return { title, text: pages.join("\n\n") };
  } catch (error) {
    throw new CodedError("web_unsupported_content", "the PDF could not be read", {
      expected: true,
      cause: error,
    });
  } finally {
    await document?.destroy();
  }
}
