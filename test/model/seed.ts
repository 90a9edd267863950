/**
 * fast-check settings shared by the property tests: a constant seed in CI so
 * that a failure there replays exactly, a fresh one elsewhere so that local
 * runs explore; fast-check prints the seed and path of any failure.
 */
import fc from 'fast-check';

/** The seed CI runs with. */
export const CI_SEED = 20261103;

/** Configures fast-check for one test file and returns the seed used. */
export function configureSeed(numRuns: number): number {
  const seed = process.env.CI
    ? CI_SEED
    : (Date.now() ^ (process.pid << 8)) >>> 1;
  fc.configureGlobal({ seed, numRuns, endOnFailure: true });

  return seed;
}
