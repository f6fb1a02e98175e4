/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every
 * platform and Node version, which is what makes a training run reproducible. `Math.random` cannot be seeded.
 *
 * @example
 * const rand = mulberry32(42);
 * rand(); // 0.6011037519201636, every time
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller) drawn from `rand`. */
export function gaussian(rand: () => number): number {
  // 1 - u keeps the argument of log strictly positive
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Returns a shuffled copy of `items` (Fisher–Yates) driven by `rand`. */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
