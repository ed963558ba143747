/** The largest fleet a process has seen lately: the divisor of its share of the limit in an outage. */
export interface FleetPeak {
  /** Takes in a count of processes seen at `at` (or a count Redis remembered, seen `at` some time ago). */
  observe(processes: number, at: number): void;
  /** The most processes seen within the memory before `now`; 0 if none was ever seen. */
  size(now: number): number;
  /** How much longer `size` is remembered after `now`, ms (0 if nothing is). */
  remaining(now: number): number;
}

/**
 * Remembers the largest count of processes seen in the last `memoryMs`, in this process (so it outlives a
 * Redis restart that loses the registry): a fleet that looks smaller for a while (processes whose
 * heartbeats Redis has not had yet after a restart, a deploy in progress) keeps its largest size until it
 * has looked smaller for that long. When the largest is forgotten, the latest count stands.
 */
export function createFleetPeak(memoryMs: number): FleetPeak {
  let peak = 0;
  let peakAt = -Infinity;
  let latest = 0;
  let latestAt = -Infinity;
  const isRemembered = (now: number) => now - peakAt <= memoryMs;
  return {
    observe(processes, at) {
      if (at >= latestAt) [latest, latestAt] = [processes, at];
      if (processes > peak || !isRemembered(at)) [peak, peakAt] = [processes, at];
      else if (processes === peak) peakAt = Math.max(peakAt, at);
    },
    size: (now) => (isRemembered(now) ? Math.max(peak, latest) : latest),
    remaining: (now) => (peak > 0 && isRemembered(now) ? Math.max(1, Math.ceil(memoryMs - (now - peakAt))) : 0),
  };
}
