// Seeded random inputs shared by the type tests: the same seed gives the same sequence.

/** A linear congruential generator in [0, 1). */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

/** A byte string of up to `max` - 1 random bytes (0-255). */
export function bytes(r: () => number, max: number): string {
  const n = Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(r() * 256));
  return s;
}
