/**
 * Timing and memory helpers for the benchmark: monotonic clocks, a memory
 * sampler cheap enough to call once per event, and a forced GC between phases
 * so that one phase's garbage is not billed to the next.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Nanoseconds on the monotonic clock. */
export const now = () => process.hrtime.bigint();

/** Milliseconds since `start` (a `now()` value), as a float. */
export function msSince(start) {
  return Number(now() - start) / 1e6;
}

/**
 * Runs `fn` and returns its result, how long it took in ms, and the CPU time
 * the process used meanwhile (all threads: GC helpers count). CPU time well
 * below the wall time means the machine was busy with something else, or the
 * phase waited for the disk.
 */
export function timed(fn) {
  const cpu = process.cpuUsage();
  const start = now();
  const value = fn();
  const ms = msSince(start);
  const used = process.cpuUsage(cpu);

  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

/** `timed` for an async function. */
export async function timedAsync(fn) {
  const cpu = process.cpuUsage();
  const start = now();
  const value = await fn();
  const ms = msSince(start);
  const used = process.cpuUsage(cpu);

  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

let gcFn;

/**
 * A full garbage collection, when the runtime lets us ask for one: the
 * `npm run bench` script passes no node flags, so the flag is set at run time.
 */
export function collectGarbage() {
  if (gcFn === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc');
    } catch {
      gcFn = null;
    }
  }
  if (gcFn) gcFn();
}

/**
 * Peak resident set size and heap while a phase runs. `tick()` is called per
 * event; it reads the counters only every `every` calls, because reading them
 * walks the heap spaces.
 */
export function memorySampler(every = 1000) {
  const start = process.memoryUsage();
  let maxRss = start.rss;
  let maxHeap = start.heapUsed;
  let calls = 0;

  function sample() {
    const usage = process.memoryUsage();
    if (usage.rss > maxRss) maxRss = usage.rss;
    if (usage.heapUsed > maxHeap) maxHeap = usage.heapUsed;
  }

  return {
    tick() {
      calls += 1;
      if (calls % every === 0) sample();
    },
    done() {
      sample();

      return {
        rssStart: start.rss,
        rssMax: maxRss,
        heapStart: start.heapUsed,
        heapMax: maxHeap,
      };
    },
  };
}

/** Bytes as MiB with one decimal. */
export function mib(bytes) {
  return Math.round((bytes / 1048576) * 10) / 10;
}

/** A rate rounded to a whole number of events per second. */
export function perSecond(count, ms) {
  return Math.round((count / ms) * 1000);
}

/** Microseconds per item, two decimals. */
export function usPer(count, ms) {
  return Math.round(((ms * 1000) / count) * 100) / 100;
}

/** A ratio with two significant decimals. */
export function ratio(a, b) {
  return Math.round((a / b) * 100) / 100;
}
