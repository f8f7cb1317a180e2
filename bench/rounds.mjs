// How the harness turns rounds of load into one measurement per server (bench/run.mjs).

/**
 * The order of the servers in each of `rounds` rounds: as given, then reversed, and so on (A R, R A,
 * A R), so that neither always runs first after the other, and a slow spell of a shared machine,
 * which lasts seconds to minutes, falls on both servers rather than on whichever ran during it.
 */
export function alternatedRounds(sides, rounds) {
  return Array.from({ length: rounds }, (_, round) => (round % 2 === 0 ? [...sides] : [...sides].reverse()));
}

/**
 * One server's rounds as one measurement. Each round is bench/load.mjs's answer plus the server's
 * CPU (`cpuMs`) and peak RSS over it. req/s is every answer over every second measured; p50, p95
 * and p99 are nearest-rank percentiles of every answer's latency of every round (not an average
 * of the rounds' percentiles); counts are summed; CPU is per answered request; `rounds` keeps each
 * round's req/s, to show the spread.
 */
export function combineRounds(parts) {
  const sum = (key) => parts.reduce((total, part) => total + part[key], 0);
  const latencies = parts.flatMap((part) => part.latencies).sort((a, b) => a - b);
  /** In ms to 0.1. */
  const percentile = (p) =>
    latencies.length === 0 ? null : Math.round(latencies[Math.ceil((p / 100) * latencies.length) - 1] * 10) / 10;
  const total = sum('total');
  const seconds = sum('seconds');
  return {
    rps: seconds > 0 ? total / seconds : 0,
    p50: percentile(50),
    p95: percentile(95),
    p99: percentile(99),
    total,
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    cpuMsPerRequest: total > 0 ? sum('cpuMs') / total : null,
    peakRssMb: Math.round(Math.max(0, ...parts.map((part) => part.peakRssMb))),
    rounds: parts.map((part) => Math.round(part.seconds > 0 ? part.total / part.seconds : 0)),
  };
}
