/**
 * A deterministic stand-in for a tokenizer: one token per four characters, rounded up. Used by the
 * scripted model and by anything that needs a stable, provider-free token estimate.
 */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
