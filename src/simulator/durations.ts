/**
 * Draws try-on durations: `median` ms spread by a lognormal distribution of sigma `spread` (0: always
 * `median`), from `random` (a seeded generator, so a run can be replayed).
 */
export function durationSampler(median: number, spread: number, random: () => number): () => number {
  if (spread === 0) return () => median;
  return () => {
    // Box-Muller: a standard normal draw from two uniform ones (1 - u keeps the logarithm finite).
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.round(median * Math.exp(spread * normal));
  };
}
