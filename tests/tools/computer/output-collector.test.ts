import { describe, expect, it } from "vitest";
import { OutputCollector } from "../../../src/tools/computer/output-collector.js";

describe("OutputCollector", () => {
  it("keeps everything under the limit", () => {
    const collector = new OutputCollector(10);
    collector.add(Buffer.from("abc"));
    collector.add(Buffer.from("defg"));
    expect(collector.text()).toBe("abcdefg");
  });

  it("keeps the first and last halves and says how much it dropped", () => {
    const collector = new OutputCollector(10);
    for (const chunk of ["01234", "56789", "abcde", "fghij"]) collector.add(Buffer.from(chunk));
    expect(collector.text()).toBe("01234\n[... 10 bytes of output dropped ...]\nfghij");
  });

  it("splits a chunk that straddles the head", () => {
    const collector = new OutputCollector(4);
    collector.add(Buffer.from("abcdefgh"));
    expect(collector.text()).toBe("ab\n[... 4 bytes of output dropped ...]\ngh");
  });
});
