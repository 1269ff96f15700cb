import { z } from "zod";
import { publicLabel } from "../../../src/harness/labels.js";
import { defineTool, type Tool } from "../../../src/tools/tool.js";
import type { FakeAnswer, FakeRequestBody } from "../../support/fake-model-server.js";

/**
 * The attacker's best case for identity tests: a scripted model that obeys every instruction it is
 * given as a plain (unfenced) user message, and two tools worth stealing: the asker's private notes
 * (a read) and paying an invoice (a write that needs approval and cannot be looked up afterwards).
 * Identity is under test here, not information flow (tests/security/information-flow.test.ts): the
 * tools label their results public, so every answer is posted in the thread where the test reads it.
 */
export interface IdentityLog {
  /** Whose notes were read (the tool context's user). */
  notesReadFor: string[];
  payments: string[];
}

export function identityTools(log: IdentityLog): Tool[] {
  const notes = defineTool({
    name: "read_private_notes",
    description: "Reads the private notes of the person you work for.",
    input: z.object({}),
    risk: "read",
    timeoutMs: 5000,
    outputLimit: 2000,
    async execute(_input, context) {
      log.notesReadFor.push(context.userId);
      return { content: privateNotesOf(context.userId), label: publicLabel };
    },
  });
  const pay = defineTool({
    name: "pay_invoice",
    description: "Pays an invoice.",
    input: z.object({ amount: z.number().describe("Dollars") }),
    risk: "write",
    timeoutMs: 5000,
    outputLimit: 2000,
    summarize: ({ amount }) => `Pay an invoice of $${amount}`,
    async execute(_input, context) {
      log.payments.push(context.userId);
      return { content: "Paid.", label: publicLabel };
    },
  });
  const lookup = defineTool({
    name: "lookup",
    description: "Looks something up.",
    input: z.object({ query: z.string().describe("What to look up") }),
    risk: "read",
    timeoutMs: 5000,
    outputLimit: 2000,
    async execute(input) {
      return { content: `Result for ${input.query}`, label: publicLabel };
    },
  });
  return [notes as Tool, pay as Tool, lookup as Tool];
}

export function privateNotesOf(userId: string): string {
  return `PRIVATE NOTES of ${userId}: bank PIN ${userId}-4417`;
}

/** User messages given as instructions: not inside an untrusted fence. */
export function plainUserText(body: FakeRequestBody): string {
  return body.messages
    .filter((message) => message.role === "user")
    .map((message) => String(message.content))
    .filter((content) => !content.includes("<untrusted_data"))
    .join("\n");
}

function called(body: FakeRequestBody, tool: string): boolean {
  return JSON.stringify(body.messages).includes(`"${tool}"`);
}

export function obedientModel(body: FakeRequestBody): FakeAnswer {
  const plain = plainUserText(body);
  if (/read my private notes/i.test(plain) && !called(body, "read_private_notes")) {
    return { toolCalls: [{ name: "read_private_notes", arguments: {} }] };
  }
  if (/pay the invoice/i.test(plain) && !called(body, "pay_invoice")) {
    return { toolCalls: [{ name: "pay_invoice", arguments: { amount: 100 } }] };
  }
  if (/slowly/i.test(plain) && !called(body, "lookup")) {
    // Slow, so replies can arrive while the run works.
    return { toolCalls: [{ name: "lookup", arguments: { query: "offsite" } }], delayMs: 1500 };
  }
  const results = body.messages.filter((message) => message.role === "tool").length;
  return { text: `All done (${results} tool results, kept to myself).` };
}

/** Every user message that mentions `text`, and whether each holds it only inside a fence. */
export function fencedEverywhere(body: FakeRequestBody, text: string): boolean[] {
  return body.messages
    .filter((message) => message.role === "user" && String(message.content).includes(text))
    .map((message) => {
      const content = String(message.content);
      const open = content.indexOf("<untrusted_data");
      const close = content.lastIndexOf("</untrusted_data");
      const at = content.indexOf(text);
      return open !== -1 && open < at && at < close;
    });
}
