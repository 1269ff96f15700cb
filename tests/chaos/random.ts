/** A seeded random source (mulberry32), so a chaos run can be repeated with the same choices. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number in [min, max], inclusive. */
  between(min: number, max: number): number;
  /** True with probability `share`. */
  chance(share: number): boolean;
  /** An exponentially distributed wait with this mean. */
  exponential(mean: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (share) => next() < share,
    exponential: (mean) => -Math.log(1 - next()) * mean,
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}
