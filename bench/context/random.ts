/**
 * A seeded pseudo-random generator (mulberry32): the same seed always gives the same tool outputs, so
 * the benchmark's prompts are byte-identical from one run to the next.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = value;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function integer(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

/** Lower-case letters and digits, e.g. for ids. */
export function code(random: Random, length: number): string {
  let text = "";
  for (let index = 0; index < length; index++) text += pick(random, [...alphabet]);
  return text;
}

/** Hash of a string to a seed, so each output has its own stream whatever order outputs are made in. */
export function seedOf(text: string): number {
  let hash = 2_166_136_261;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16_777_619);
  }
  return hash >>> 0;
}
