/**
 * Identifiers shaped like Slack's (`C0ABC12DEF`, `Ev0ABC12DEF`, trigger ids, timestamps). A seeded
 * generator makes a run reproducible; without a seed every emulator gets fresh ids.
 */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export interface IdSource {
  /** `prefix` followed by `length` upper-case letters and digits, e.g. `next("C")` → `C07QX1ZK2AB`. */
  next(prefix: string, length?: number): string;
  hex(length: number): string;
  digits(length: number): string;
  uuid(): string;
}

/** mulberry32: tiny, fast, good enough for identifiers. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function createIdSource(seed: number = Math.floor(Math.random() * 2 ** 32)): IdSource {
  const random = seededRandom(seed);
  const issued = new Set<string>();
  const pick = (characters: string, length: number) => {
    let text = "";
    for (let index = 0; index < length; index += 1) {
      text += characters[Math.floor(random() * characters.length)];
    }
    return text;
  };
  return {
    next(prefix, length = 10) {
      for (;;) {
        const id = `${prefix}0${pick(alphabet, length - 1)}`;
        if (!issued.has(id)) {
          issued.add(id);
          return id;
        }
      }
    },
    hex: (length) => pick("0123456789abcdef", length),
    digits: (length) => pick("123456789", 1) + pick("0123456789", length - 1),
    uuid() {
      const hex = pick("0123456789abcdef", 32);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}
