import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInTypes } from "../support/google-stand-in.js";
import { connectGoogle, runTool, toolContext, toolNamed } from "./support/google.js";
import { type IntegrationStack, startIntegrationStack } from "./support/stack.js";

/** The Drive, Docs and Sheets tools on the real googleapis client against the Google stand-in. */
describe("Drive, Docs and Sheets tools", () => {
  let stack: IntegrationStack;
  let alice: string;
  const email = "alice@example.com";

  beforeAll(async () => {
    stack = await startIntegrationStack();
    alice = stack.slack.users.alice.id;
    await connectGoogle(stack, alice, email, ["drive", "sheets"]);
    stack.google.addFile(email, {
      id: "doc1",
      name: "Roadmap 2025",
      mimeType: standInTypes.document,
      text: "Ship the coworker.\nThen rest.",
    });
    stack.google.addFile(email, {
      id: "doc2",
      name: "Bob's notes",
      mimeType: standInTypes.document,
      text: "It's private",
    });
    stack.google.addFile(email, {
      id: "txt1",
      name: "todo.txt",
      mimeType: "text/plain",
      text: "1. write tests",
    });
    stack.google.addFile(email, {
      id: "bin1",
      name: "photo.jpg",
      mimeType: "image/jpeg",
      text: "\u00ff\u00d8",
    });
    stack.google.addFile(email, {
      id: "sheet1",
      name: "Budget",
      mimeType: standInTypes.spreadsheet,
      sheets: [
        {
          title: "Costs",
          rows: [
            ["Item", "Amount"],
            ["Servers", "1,200"],
            ["Coffee", "80"],
          ],
        },
        { title: "Notes", rows: [["ok"]] },
      ],
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("searches files with a safely quoted query", async () => {
    const result = await runTool(stack, "drive_search_files", { name: "Bob's" }, toolContext(stack, alice));
    expect(result.content).toContain("Bob's notes");
    expect(result.content).not.toContain("Roadmap");
    const request = stack.google.requests.filter((item) => item.path === "/drive/v3/files").at(-1)!;
    expect(request.query.get("q")).toBe("trashed = false and name contains 'Bob\\'s'");
    const kinds = await runTool(
      stack,
      "drive_search_files",
      { kind: "spreadsheet" },
      toolContext(stack, alice),
    );
    expect(kinds.content).toMatch(
      /^1 file\(s\):\n- Budget \| application\/vnd\.google-apps\.spreadsheet \| id sheet1/,
    );
  });

  it("reads Docs by export, Sheets as CSV, text files as they are, and refuses binaries", async () => {
    const doc = await runTool(stack, "drive_read_file", { fileId: "doc1" }, toolContext(stack, alice));
    expect(doc.content).toContain("Roadmap 2025 (application/vnd.google-apps.document");
    expect(doc.content).toContain("\n\nShip the coworker.\nThen rest.");
    expect(doc.content).not.toContain("\uFEFF");
    const sheet = await runTool(stack, "drive_read_file", { fileId: "sheet1" }, toolContext(stack, alice));
    expect(sheet.content).toContain('Item,Amount\r\nServers,"1,200"\r\nCoffee,80');
    const text = await runTool(stack, "drive_read_file", { fileId: "txt1" }, toolContext(stack, alice));
    expect(text.content).toContain("1. write tests");
    const binary = await runTool(stack, "drive_read_file", { fileId: "bin1" }, toolContext(stack, alice));
    expect(binary).toMatchObject({ isError: true });
    expect(binary.content).toContain("not a text format");
  });

  it("creates a Doc with its text, and finds it again after a crash", async () => {
    const context = toolContext(stack, alice);
    const result = await runTool(
      stack,
      "docs_create_document",
      { title: "Meeting notes", content: "Decisions:\n- ship" },
      context,
    );
    expect(result.content).toMatch(/^Created Google Doc "Meeting notes" \(id \S+\)/);
    const file = stack.google.account(email).files.find((item) => item.name === "Meeting notes")!;
    expect(file).toMatchObject({
      mimeType: standInTypes.document,
      text: "Decisions:\n- ship",
      createdByApp: true,
    });
    const tool = toolNamed(stack, "docs_create_document");
    const input = tool.input.parse({ title: "Meeting notes", content: "x" });
    expect((await tool.reconcile!(input, context))?.content).toContain(file.id);
    expect(await tool.reconcile!(input, toolContext(stack, alice))).toBeUndefined();
  });

  it("reads a range and appends rows to a sheet", async () => {
    const read = await runTool(
      stack,
      "sheets_read_range",
      { spreadsheetId: "sheet1", range: "Costs!A1:B3" },
      toolContext(stack, alice),
    );
    expect(read.content).toBe('Costs!A1:B3 (3 row(s), CSV):\nItem,Amount\nServers,"1,200"\nCoffee,80');
    const appended = await runTool(
      stack,
      "sheets_append_rows",
      {
        spreadsheetId: "sheet1",
        range: "Costs!A1",
        rows: [
          ["Laptops", 3000],
          ["Desks", null],
        ],
      },
      toolContext(stack, alice),
    );
    expect(appended.content).toBe("Appended 2 row(s) at Costs!A4:B5.");
    const request = stack.google.requests.filter((item) => item.path.endsWith(":append")).at(-1)!;
    expect(request.query.get("valueInputOption")).toBe("RAW");
    expect(request.query.get("insertDataOption")).toBe("INSERT_ROWS");
    const sheet = stack.google.account(email).files.find((item) => item.id === "sheet1")!.sheets![0]!;
    expect(sheet.rows.slice(3)).toEqual([
      ["Laptops", "3000"],
      ["Desks", ""],
    ]);
  });

  it("retries a 5xx on reads but not on appends", async () => {
    stack.google.fail({ method: "GET", path: /\/values\//, status: 503 });
    const read = await runTool(
      stack,
      "sheets_read_range",
      { spreadsheetId: "sheet1", range: "Notes" },
      toolContext(stack, alice),
    );
    expect(read.content).toContain("ok");
    stack.google.fail({ method: "POST", path: /:append$/, status: 500 });
    const rowsBefore = stack.google.account(email).files.find((item) => item.id === "sheet1")!.sheets![0]!
      .rows.length;
    const append = await runTool(
      stack,
      "sheets_append_rows",
      { spreadsheetId: "sheet1", range: "Costs", rows: [["x"]] },
      toolContext(stack, alice),
    );
    expect(append).toMatchObject({ isError: true });
    expect(
      stack.google.account(email).files.find((item) => item.id === "sheet1")!.sheets![0]!.rows.length,
    ).toBe(rowsBefore);
    expect(stack.google.errors).toEqual([]);
  });
});
