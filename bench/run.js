/**
 * `npm run bench`: how fast the engine handles a realistic event log, in
 * memory and replayed into a SQLite file, against two baselines measured in
 * the same run (a plain reducer and raw SQLite inserts), with peak memory,
 * bytes stored and where the engine's time goes.
 *
 * Usage: node bench/run.js [--json] [--full] [--sample N] [--orders N]
 *                          [--seed N] [--no-contract]
 *
 * The log has about 120,000 events over 10,000 orders. The main measurement
 * (engine.run in memory, and the reducer) covers its first 100,000 events in
 * arrival order; the file replay, raw SQLite, handle() and the breakdown run
 * on the first `--sample` events (default 2,000), so that the run stays
 * within 50 s; `--full` runs everything over the whole log.
 *
 * A table for people goes to stdout; with --json, stdout holds exactly one
 * JSON object. Progress goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { initialTransition, transition } from 'xstate';
import * as lienthong from '../dist/index.js';
import { generateLog } from './generate.js';
import {
  collectGarbage,
  memorySampler,
  mib,
  msSince,
  now,
  perSecond,
  ratio,
  timed,
  timedAsync,
  usPer,
} from './measure.js';
import { profiled } from './profile.js';
import { reduce } from './reducer.js';

const {
  createEngine,
  customerMachine,
  invoiceMachine,
  openSqliteStore,
  parseEvent,
  parseJsonLines,
  productMachine,
  salesOrderMachine,
} = lienthong;

// The engine's pure-transition helper is internal; time it when it is built.
const { createStepper } = await import('../dist/src/engine/stepper.js').catch(
  () => ({}),
);

const BATCH = 500;
const MIN_ORDERS = 10_000;
const MIN_EVENTS = 100_000;

const USAGE = `Usage: node bench/run.js [--json] [--full] [--sample N] [--orders N]
                         [--seed N] [--no-contract]\n`;

function parseArgs(argv) {
  const args = {
    json: false,
    full: false,
    sample: 2_000,
    // A few more than the minimum, so that the first 100,000 events (the
    // main measurement) still span more than 10,000 orders.
    orders: 10_500,
    seed: 20261102,
    contract: true,
  };
  const whole = (name, text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      process.stderr.write(`bench: ${name} takes a whole number ≥ 1\n${USAGE}`);
      process.exit(2);
    }

    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') args.json = true;
    else if (arg === '--full') args.full = true;
    else if (arg === '--no-contract') args.contract = false;
    else if (arg === '--orders') args.orders = whole(arg, argv[++i]);
    else if (arg === '--seed') args.seed = whole(arg, argv[++i]);
    else if (arg === '--sample') args.sample = whole(arg, argv[++i]);
    else if (arg === '--help' || arg === '-h') {
      process.stderr.write(USAGE);
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${arg}\n${USAGE}`);
      process.exit(2);
    }
  }

  return args;
}

const args = parseArgs(process.argv.slice(2));
const progress = (text) => process.stderr.write(`bench: ${text}\n`);
const started = now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
// Ctrl-C still removes the temporary files.
process.on('SIGINT', () => process.exit(130));

// ---------------------------------------------------------------------------
// The log, and the sample of it the secondary measurements use

progress(`generating ${args.orders} orders (seed ${args.seed})`);
const generated = timed(() =>
  // Orders are opened over 30 days and live up to 45 more: the measured
  // prefix then holds every order's start.
  generateLog({ orders: args.orders, seed: args.seed, spanDays: 30 }),
);
const log = generated.value;
// The main measurement takes the first 100,000 events in arrival order (the
// whole log with --full), so that a run stays within its time budget.
const generatedEvents = log.lines.length;
if (!args.full && log.lines.length > MIN_EVENTS) {
  log.lines = log.lines.slice(0, MIN_EVENTS);
}
const ordersInLog = new Set(
  log.lines.map((line) => /"key":"(DH-[^"]+)"/.exec(line)?.[1]).filter(Boolean),
).size;
const text = `${log.lines.join('\n')}\n`;
const logBytes = Buffer.byteLength(text);

const jsonParse = timed(() => parseJsonLines(text));
const inputs = jsonParse.value;
const events = inputs.length;
if (ordersInLog < MIN_ORDERS || events < MIN_EVENTS) {
  progress(
    `warning: ${events} events over ${args.orders} orders is below the ` +
      `${MIN_EVENTS} / ${MIN_ORDERS} the benchmark is meant for`,
  );
}
// A prefix in arrival order: the engine sees a consistent history.
const sampleSize = args.full ? events : Math.min(events, args.sample);
const sample = inputs.slice(0, sampleSize);
const sampleLines = log.lines.slice(0, sampleSize);
progress(
  `${events} events, ${(logBytes / 1048576).toFixed(1)} MiB of JSON Lines; ` +
    `secondary measurements on the first ${sampleSize}`,
);

// ---------------------------------------------------------------------------
// Warm-up: every code path below runs once on a small, different log.

progress('warming up');
{
  const warmLog = generateLog({ orders: 80, seed: args.seed + 1 });
  const warmInputs = parseJsonLines(`${warmLog.lines.join('\n')}\n`);
  const engine = createEngine({ store: ':memory:' });
  engine.run(warmInputs);
  engine.close();
  reduce(warmInputs);
  const handled = createEngine({ store: timedStore(':memory:').store });
  for (const input of warmInputs.slice(0, 500)) {
    handled.handle(input.value ?? '', { line: input.line });
  }
  handled.close();
  machineStages(parsedEvents(warmInputs.slice(0, 1000)).reached);
  const file = path.join(tmp, 'warm.db');
  const fileEngine = createEngine({ store: file });
  await replayFile(
    fileEngine,
    writeLines('warm.jsonl', warmLog.lines.slice(0, 1000)),
    () => {},
  );
  fileEngine.close();
  rawSqlite(path.join(tmp, 'warm-raw.db'), warmLog.lines.slice(0, 1000));
}

// ---------------------------------------------------------------------------
// (c) Baseline 1: the plain reducer over the same events, best of three.

progress('baseline: plain reducer');
collectGarbage();
let reducerMs = Infinity;
let reducerCpuMs = Infinity;
let reduced;
for (let i = 0; i < 3; i++) {
  const run = timed(() => reduce(inputs));
  if (run.ms < reducerMs) {
    reducerMs = run.ms;
    reducerCpuMs = run.cpuMs;
  }
  reduced = run.value;
}

// ---------------------------------------------------------------------------
// (a') handle() per event on the sample: the diagnostic run, under the CPU
// profiler and with every store call timed (a few % slower for both).

progress('engine in memory: handle() per event, profiled');
collectGarbage();
let memoryHandle;
{
  const { store, calls } = timedStore(':memory:');
  const engine = createEngine({ store });
  const { value: run, profile } = await profiled(() =>
    timed(() => {
      for (let i = 0; i < sample.length; i++) {
        const input = sample[i];
        // A line that is not JSON goes in as its text, as a caller would.
        engine.handle(input.value ?? sampleLines[i], { line: input.line });
      }
    }),
  );
  memoryHandle = { ms: run.ms, cpuMs: run.cpuMs, storeCalls: calls, profile };
  engine.close();
}

// ---------------------------------------------------------------------------
// Where the engine's time goes: the sample through each stage alone.

progress('breakdown: parseEvent, transition, snapshot (de)serialisation');
collectGarbage();
const parsing = timed(() => parsedEvents(sample));
const stages = machineStages(parsing.value.reached);

// ---------------------------------------------------------------------------
// (b) Replay of the sample into a SQLite file, in batches of 500.

const viaReplay = typeof lienthong.replay === 'function';
progress(
  `engine replay into a SQLite file (${viaReplay ? 'replay()' : 'engine.run'})`,
);
const dbFile = path.join(tmp, 'replay.db');
collectGarbage();
let replayed;
{
  const sampleFile = writeLines('sample.jsonl', sampleLines);
  const memory = memorySampler();
  const engine = createEngine({ store: dbFile });
  const run = await timedAsync(() =>
    replayFile(engine, sampleFile, memory.tick),
  );
  const live = fileSize(dbFile) + fileSize(`${dbFile}-wal`);
  engine.close();
  replayed = {
    ms: run.ms,
    cpuMs: run.cpuMs,
    memory: memory.done(),
    liveBytes: live,
  };
  collectGarbage();
}
const storage = storageOf(dbFile);

// ---------------------------------------------------------------------------
// (d) Baseline 2: raw inserts of the same lines, same pragmas and batches.

progress('baseline: raw better-sqlite3 inserts');
collectGarbage();
const rawFile = path.join(tmp, 'raw.db');
const raw = timed(() => rawSqlite(rawFile, sampleLines));
const rawBytes = storageOf(rawFile).bytes;

// ---------------------------------------------------------------------------
// A smaller Contract run, in memory.

let contract = null;
if (args.contract) {
  progress('engine in memory: Contract target');
  const contractLog = generateLog({
    orders: Math.max(10, Math.ceil(args.orders / 100)),
    seed: args.seed + 2,
    target: 'contract',
  });
  const contractInputs = parseJsonLines(`${contractLog.lines.join('\n')}\n`);
  const warm = createEngine({ store: ':memory:', orderTarget: 'contract' });
  warm.run(contractInputs.slice(0, 500));
  warm.close();
  collectGarbage();
  const engine = createEngine({ store: ':memory:', orderTarget: 'contract' });
  const run = timed(() => engine.run(contractInputs, { batchSize: BATCH }));
  contract = {
    orders: contractLog.orders,
    events: contractInputs.length,
    ms: Math.round(run.ms),
    cpuMs: Math.round(run.cpuMs),
    eventsPerSecond: perSecond(contractInputs.length, run.ms),
    usPerEvent: usPer(contractInputs.length, run.ms),
    outcomes: countOutcomes(run.value.results),
  };
  engine.close();
}

// ---------------------------------------------------------------------------
// (a) The main measurement: engine.run() in memory over the measured events. It
// runs last, so that the process-wide RSS it reports starts from the log
// alone and not from what an earlier engine phase left mapped.

progress('engine in memory: run() over the log');
collectGarbage();
let memoryRun;
let outcomes;
let engineRecords;
{
  const engine = createEngine({ store: ':memory:' });
  const memory = memorySampler();
  // Results are counted as they come, not kept: a service does the same.
  const results = [];
  const run = timed(() =>
    engine.run(inputs, {
      batchSize: BATCH,
      keepResults: false,
      onResult: (result) => {
        results.push({ outcome: result.outcome });
        memory.tick();
      },
    }),
  );
  memoryRun = { ms: run.ms, cpuMs: run.cpuMs, memory: memory.done() };
  outcomes = countOutcomes(results);
  // What stays reachable: the engine's cache and its in-memory database.
  collectGarbage();
  memoryRun.liveHeap = process.memoryUsage().heapUsed;
  engineRecords = new Map(
    engine.records().map((record) => [record.id, record.statuses]),
  );
  engine.close();
}

// ---------------------------------------------------------------------------
// Report

const agreement = compareRecords(engineRecords, reduced.records);
const engineEps = perSecond(events, memoryRun.ms);
const reducerEps = perSecond(events, reducerMs);
const replayEps = perSecond(sampleSize, replayed.ms);
const rawEps = perSecond(sampleSize, raw.ms);
const handleEps = perSecond(sampleSize, memoryHandle.ms);
const engineUs = usPer(events, memoryRun.ms);
const handleUs = usPer(sampleSize, memoryHandle.ms);
const stage = (ms, count = sampleSize) => {
  const us = usPer(count, ms);

  return { usPerEvent: us, share: ratio(us, handleUs) };
};
const storeMs = Object.values(memoryHandle.storeCalls).reduce(
  (sum, call) => sum + call.ms,
  0,
);

const report = {
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  log: {
    seed: args.seed,
    orders: log.orders,
    ordersInMeasuredEvents: ordersInLog,
    generatedEvents,
    customers: log.customers,
    products: log.products,
    events,
    planted: log.planted,
    bytes: logBytes,
    bytesPerEvent: Math.round(logBytes / events),
    generateMs: Math.round(generated.ms),
  },
  sample: {
    events: sampleSize,
    what: 'the first events of the same log, in arrival order',
  },
  outcomes,
  engine: {
    memoryRun: {
      how: `engine.run(parsed JSON values), batches of ${BATCH}, store ':memory:', the first ${events} events of the log`,
      events,
      ms: Math.round(memoryRun.ms),
      cpuMs: Math.round(memoryRun.cpuMs),
      eventsPerSecond: engineEps,
      usPerEvent: engineUs,
      memory: memoryReport(memoryRun.memory, memoryRun.liveHeap),
    },
    memoryHandle: {
      how: "engine.handle(value) per event, store ':memory:', sample, under the profiler and with store calls timed",
      events: sampleSize,
      ms: Math.round(memoryHandle.ms),
      cpuMs: Math.round(memoryHandle.cpuMs),
      eventsPerSecond: handleEps,
      usPerEvent: handleUs,
    },
    fileReplay: {
      how: viaReplay
        ? `replay(engine, file stream), batches of ${BATCH}, SQLite file (WAL, synchronous=FULL), sample`
        : `read file, parseJsonLines, engine.run batches of ${BATCH}, SQLite file (WAL, synchronous=FULL), sample`,
      events: sampleSize,
      ms: Math.round(replayed.ms),
      cpuMs: Math.round(replayed.cpuMs),
      eventsPerSecond: replayEps,
      usPerEvent: usPer(sampleSize, replayed.ms),
      memory: memoryReport(replayed.memory),
    },
    contract,
  },
  baselines: {
    reducer: {
      how: 'hand-written reducer, big.js decimals, no XState, no validation, no store; same events, best of 3',
      events,
      ms: Math.round(reducerMs * 10) / 10,
      cpuMs: Math.round(reducerCpuMs * 10) / 10,
      eventsPerSecond: reducerEps,
      usPerEvent: usPer(events, reducerMs),
      outcomes: reduced.outcomes,
    },
    rawSqlite: {
      how: `one INSERT per event (its JSON line), transactions of ${BATCH}, WAL, synchronous=FULL, sample`,
      events: sampleSize,
      ms: Math.round(raw.ms),
      cpuMs: Math.round(raw.cpuMs),
      eventsPerSecond: rawEps,
      usPerEvent: usPer(sampleSize, raw.ms),
      bytes: rawBytes,
      bytesPerEvent: Math.round(rawBytes / sampleSize),
    },
  },
  ratios: {
    engineOverReducer: ratio(engineEps, reducerEps),
    reducerTimesFaster: ratio(reducerEps, engineEps),
    replayOverRawSqlite: ratio(replayEps, rawEps),
    rawSqliteTimesFaster: ratio(rawEps, replayEps),
    handleOverRun: ratio(handleEps, engineEps),
  },
  breakdown: {
    note: 'the sample through each stage alone, in µs per input event; share = of engine.handle() on the same sample',
    handleUsPerEvent: handleUs,
    jsonParse: stage(jsonParse.ms, events),
    parseEvent: stage(parsing.ms),
    transition: {
      what: "xstate's transition(machine, snapshot, event)",
      ...stage(stages.transitionMs),
      steps: stages.steps,
    },
    ...(stages.stepperMs !== null
      ? {
          stepper: {
            what: "the engine's stepper (src/engine/stepper.ts): what handle() calls",
            ...stage(stages.stepperMs),
          },
        }
      : {}),
    getPersistedSnapshot: stage(stages.persistMs),
    storeCalls: {
      what: 'time inside Store methods during handle(): SQLite, and JSON.stringify of the rows',
      ...stage(storeMs),
      byMethod: Object.fromEntries(
        Object.entries(memoryHandle.storeCalls)
          .sort((a, b) => b[1].ms - a[1].ms)
          .map(([name, call]) => [
            name,
            { calls: call.calls, ...stage(call.ms) },
          ]),
      ),
    },
    profile: {
      what: 'V8 CPU profile of handle() over the sample: shares of samples, self time by module and inclusive time of engine steps',
      ...memoryHandle.profile,
    },
    snapshotJson: {
      what: 'JSON.stringify of a persisted snapshot, per step (inside putRecord above)',
      usPerStep: usPer(stages.steps, stages.stringifyMs),
      averageBytes: Math.round(stages.snapshotBytes / stages.steps),
    },
    restoreSnapshot: {
      what: 'JSON.parse + resolveState of one record: what a cache miss costs',
      usPerLoad: usPer(stages.steps, stages.restoreMs),
    },
  },
  storage: {
    file: 'the replay database after a checkpoint (WAL truncated)',
    events: sampleSize,
    bytes: storage.bytes,
    liveBytesWithWal: replayed.liveBytes,
    records: storage.records,
    bytesPerRecord: Math.round(storage.bytes / storage.records),
    bytesPerEvent: Math.round(storage.bytes / sampleSize),
    tables: storage.tables,
  },
  agreement,
  totalMs: Math.round(msSince(started)),
};

if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else process.stdout.write(table(report));
progress(`done in ${(report.totalMs / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------------------
// Helpers

function memoryReport(sampled, liveHeap) {
  return {
    rssStartMiB: mib(sampled.rssStart),
    rssPeakMiB: mib(sampled.rssMax),
    heapStartMiB: mib(sampled.heapStart),
    heapPeakMiB: mib(sampled.heapMax),
    ...(liveHeap !== undefined ? { heapLiveAfterMiB: mib(liveHeap) } : {}),
  };
}

function countOutcomes(results) {
  const counts = {
    applied: 0,
    duplicate: 0,
    stale: 0,
    invalid: 0,
    conflict: 0,
    parked: 0,
  };
  for (const result of results) counts[result.outcome] += 1;

  return counts;
}

/**
 * parseEvent over inputs, and the events the machines would see: the first
 * valid event of each id, not stale (a cheap stand-in for the engine's §4
 * checks, close enough to time the machines on).
 */
function parsedEvents(list) {
  const seen = new Set();
  const versions = new Map();
  const reached = [];
  for (const input of list) {
    if (input.value === undefined) continue;
    const parsed = parseEvent(input.value, { orderTarget: 'salesOrder' });
    if (!parsed.ok || seen.has(parsed.event.id)) continue;

    const event = parsed.event;
    seen.add(event.id);
    const versionKey = `${machineOf(event)[0]}:${event.key}:${event.source}`;
    const last = versions.get(versionKey);
    if (event.version !== undefined) {
      if (last !== undefined && event.version <= last) continue;
      versions.set(versionKey, event.version);
    }
    reached.push(event);
  }

  return { reached };
}

/** The machine of each record kind, and the kind an event is about. */
function machineOf(event) {
  const noun = event.type.split('.')[0];
  if (noun === 'invoice') return ['invoice', invoiceMachine];
  if (noun === 'product') return ['product', productMachine];
  if (noun === 'customer' || noun === 'contact') {
    return ['customer', customerMachine];
  }

  return ['order', salesOrderMachine];
}

/**
 * The machine work alone, per event on snapshots kept in a Map: XState's
 * `transition()`, the engine's own stepper when the build has one (what the
 * engine really calls), then `getPersistedSnapshot`, its JSON text as the
 * store writes it, and the way back (JSON.parse + `resolveState`) as a cache
 * miss reads it. Each stage has its own clock.
 */
function machineStages(machineEvents) {
  const snapshots = new Map();
  const initial = new Map();
  const steppers = new Map();
  const stepperOf = (machine) => {
    if (!createStepper) return undefined;
    if (!steppers.has(machine)) steppers.set(machine, createStepper(machine));

    return steppers.get(machine);
  };
  let stepperNs = 0n;
  const prepared = machineEvents.map((event) => ({
    ...event,
    facts: { syncQuotes: true },
  }));
  let transitionNs = 0n;
  let persistNs = 0n;
  let stringifyNs = 0n;
  let restoreNs = 0n;
  let snapshotBytes = 0;
  for (const event of prepared) {
    const [kind, machine] = machineOf(event);
    const id = `${kind}:${event.key}`;
    let before = snapshots.get(id);
    if (!before) {
      before = initial.get(machine);
      if (!before) {
        before = initialTransition(machine)[0];
        initial.set(machine, before);
      }
    }

    const t0 = now();
    let [after] = transition(machine, before, event);
    const t1 = now();
    const step = stepperOf(machine);
    const t2 = now();
    if (step) [after] = step(before, event);
    const t3 = now();
    const persisted = machine.getPersistedSnapshot(after);
    const t4 = now();
    const json = JSON.stringify(persisted);
    const t5 = now();
    machine.resolveState(JSON.parse(json));
    const t6 = now();

    transitionNs += t1 - t0;
    stepperNs += t3 - t2;
    persistNs += t4 - t3;
    stringifyNs += t5 - t4;
    restoreNs += t6 - t5;
    snapshotBytes += json.length;
    snapshots.set(id, after);
  }

  return {
    steps: prepared.length,
    transitionMs: Number(transitionNs) / 1e6,
    stepperMs: createStepper ? Number(stepperNs) / 1e6 : null,
    persistMs: Number(persistNs) / 1e6,
    stringifyMs: Number(stringifyNs) / 1e6,
    restoreMs: Number(restoreNs) / 1e6,
    snapshotBytes,
  };
}

/**
 * A SQLite store whose every method but `transaction` (which wraps all the
 * engine's work) is timed, to see what the store costs inside the engine.
 */
function timedStore(file) {
  const inner = openSqliteStore(file);
  const calls = {};
  const store = new Proxy(inner, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      if (name === 'transaction' || name === 'close') return value.bind(target);

      const key = String(name);
      return (...callArgs) => {
        const start = now();
        try {
          return value.apply(target, callArgs);
        } finally {
          const entry = (calls[key] ??= { calls: 0, ms: 0 });
          entry.calls += 1;
          entry.ms += Number(now() - start) / 1e6;
        }
      };
    },
  });

  return { store, calls };
}

/** Writes JSON lines to a file of the temporary folder; returns its path. */
function writeLines(name, lines) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);

  return file;
}

/**
 * Replays a JSON Lines file into the engine: through the library's `replay`
 * when the build has it, else read, parsed and run in batches of 500 as a
 * caller would.
 */
async function replayFile(engine, file, tick) {
  if (typeof lienthong.replay === 'function') {
    await lienthong.replay(engine, fs.createReadStream(file), {
      batchSize: BATCH,
      keepResults: false,
      onResult: tick,
    });

    return;
  }

  const parsed = parseJsonLines(fs.readFileSync(file, 'utf8'));
  engine.run(parsed, { batchSize: BATCH, onResult: tick });
}

/** One row per line in a file with the store's pragmas; returns the rows. */
function rawSqlite(file, lines) {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE events (id TEXT PRIMARY KEY, line INTEGER, body TEXT NOT NULL)',
  );
  const insert = db.prepare(
    'INSERT OR REPLACE INTO events (id, line, body) VALUES (?, ?, ?)',
  );
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) insert.run(`row-${i}`, i + 1, lines[i]);
  });
  for (let from = 0; from < lines.length; from += BATCH) {
    batch(from, Math.min(lines.length, from + BATCH));
  }
  db.close();

  return lines.length;
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Bytes on disk after a checkpoint, and per table and index (dbstat). */
function storageOf(file) {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = {};
  const rows = db
    .prepare(
      'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
    )
    .all();
  for (const row of rows) tables[row.name] = row.bytes;
  const hasRecords =
    db
      .prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'",
      )
      .get() !== undefined;
  const records = hasRecords
    ? db.prepare('SELECT count(*) FROM records').pluck().get()
    : 0;
  db.close();

  return {
    bytes: fileSize(file) + fileSize(`${file}-wal`),
    records,
    tables,
  };
}

/** Whether the engine and the reducer end with the same statuses. */
function compareRecords(engine, reducer) {
  let same = 0;
  const differ = [];
  for (const [id, expected] of reducer) {
    const actual = engine.get(id) ?? {};
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    const equal = [...keys].every((key) => expected[key] === actual[key]);
    if (equal) same += 1;
    else differ.push({ id, engine: actual, reducer: expected });
  }

  return {
    records: reducer.size,
    engineRecords: engine.size,
    same,
    differ: differ.length,
    examples: differ.slice(0, 3),
  };
}

/** The report as an aligned table for people. */
function table(r) {
  const rows = [];
  const fmt = (n) => n.toLocaleString('en-US');
  const pct = (share) => `${Math.round(share * 100)}%`;
  const add = (label, value, note = '') => rows.push([label, value, note]);
  const { memoryRun, memoryHandle, fileReplay, contract: ct } = r.engine;
  const { reducer, rawSqlite: rs } = r.baselines;
  const b = r.breakdown;
  const s = r.storage;

  add(
    'log',
    `${fmt(r.log.events)} events`,
    `${fmt(r.log.orders)} orders, ${fmt(r.log.customers)} customers, ` +
      `${fmt(r.log.products)} products, ${r.log.bytesPerEvent} B/event`,
  );
  add(
    'outcomes',
    '',
    Object.entries(r.outcomes)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', '),
  );
  add(
    'engine run(), memory',
    `${fmt(memoryRun.eventsPerSecond)} ev/s`,
    `${memoryRun.usPerEvent} µs/event, ${events.toLocaleString('en-US')} events in ` +
      `${(memoryRun.ms / 1000).toFixed(1)} s (CPU ${(memoryRun.cpuMs / 1000).toFixed(1)} s)`,
  );
  add(
    'baseline: plain reducer',
    `${fmt(reducer.eventsPerSecond)} ev/s`,
    `${reducer.usPerEvent} µs/event, same events`,
  );
  add(
    'engine / reducer',
    `${r.ratios.engineOverReducer}`,
    `the reducer is ${r.ratios.reducerTimesFaster}× faster`,
  );
  add(
    'engine handle(), memory',
    `${fmt(memoryHandle.eventsPerSecond)} ev/s`,
    `${memoryHandle.usPerEvent} µs/event, first ${fmt(memoryHandle.events)}`,
  );
  add(
    'engine replay into file',
    `${fmt(fileReplay.eventsPerSecond)} ev/s`,
    `${fileReplay.usPerEvent} µs/event, first ${fmt(fileReplay.events)}`,
  );
  add(
    'baseline: raw SQLite',
    `${fmt(rs.eventsPerSecond)} ev/s`,
    `${rs.usPerEvent} µs/event, ${rs.bytesPerEvent} B/event`,
  );
  add(
    'replay / raw SQLite',
    `${r.ratios.replayOverRawSqlite}`,
    `raw inserts are ${r.ratios.rawSqliteTimesFaster}× faster`,
  );
  if (ct) {
    add(
      'engine run(), Contract',
      `${fmt(ct.eventsPerSecond)} ev/s`,
      `${ct.usPerEvent} µs/event, ${fmt(ct.events)} events, ${fmt(ct.orders)} orders`,
    );
  }
  add(
    'memory: run()',
    `${memoryRun.memory.rssPeakMiB} MiB`,
    `peak RSS (from ${memoryRun.memory.rssStartMiB}); heap peak ` +
      `${memoryRun.memory.heapPeakMiB}, live after ${memoryRun.memory.heapLiveAfterMiB}`,
  );
  add(
    'memory: replay into file',
    `${fileReplay.memory.rssPeakMiB} MiB`,
    `peak RSS (from ${fileReplay.memory.rssStartMiB}); heap peak ${fileReplay.memory.heapPeakMiB}`,
  );
  add(
    'stored (replay file)',
    `${(s.bytes / 1048576).toFixed(1)} MiB`,
    `${fmt(s.records)} records: ${fmt(s.bytesPerRecord)} B/record, ` +
      `${fmt(s.bytesPerEvent)} B/event`,
  );
  add(
    '  by table and index',
    '',
    Object.entries(s.tables)
      .slice(0, 4)
      .map(([k, v]) => `${k} ${mib(v)} MiB`)
      .join(', '),
  );
  const time = (label, st, extra = '') =>
    add(
      `time: ${label}`,
      `${st.usPerEvent} µs`,
      `${pct(st.share)} of handle()${extra}`,
    );
  time('JSON.parse', b.jsonParse, ' (not part of it: input is parsed)');
  time('parseEvent', b.parseEvent);
  time('xstate transition()', b.transition);
  if (b.stepper) time('engine stepper', b.stepper);
  time('getPersistedSnapshot', b.getPersistedSnapshot);
  time(
    'store calls',
    b.storeCalls,
    `: ${Object.entries(b.storeCalls.byMethod)
      .slice(0, 3)
      .map(([k, v]) => `${k} ${v.usPerEvent}`)
      .join(', ')}`,
  );
  const shares = (entries) =>
    Object.entries(entries)
      .slice(0, 6)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ');
  add(
    'profile: self time',
    `GC ${pct(b.profile.garbageCollection)}`,
    shares(b.profile.selfByModule),
  );
  add('profile: inclusive', '', shares(b.profile.inclusiveByStep));
  add(
    'snapshot JSON / restore',
    `${b.snapshotJson.usPerStep} / ${b.restoreSnapshot.usPerLoad} µs`,
    `stringify per step (${b.snapshotJson.averageBytes} B) / parse + resolveState per cache miss`,
  );
  add(
    'engine = reducer statuses',
    `${fmt(r.agreement.same)} / ${fmt(r.agreement.records)}`,
    r.agreement.differ ? `${r.agreement.differ} differ` : 'all records',
  );
  add(
    'total',
    `${(r.totalMs / 1000).toFixed(1)} s`,
    `${r.node}, ${r.cpus} CPUs`,
  );

  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => String(row[1]).length));

  return `${rows
    .map(([a, v, note]) =>
      `${a.padEnd(w0)}  ${String(v).padStart(w1)}  ${note}`.trimEnd(),
    )
    .join('\n')}\n`;
}
