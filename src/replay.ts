import type {
  Engine,
  EngineInput,
  ResultListener,
  StatusesAfter,
} from './engine/engine.js';
import { readJsonLines, type JsonLinesSource } from './events/jsonl.js';
import { OUTCOMES, type Outcome, type Result } from './types.js';

/** How {@link replay} reads and reports. */
export interface ReplayOptions {
  /** Input lines handed to `engine.run` (one transaction) at a time. Default 500. */
  batchSize?: number;
  /**
   * Told of each result, as the engine reports it, with the ids of the
   * records it touched. Called inside the batch's transaction: the result is
   * committed once the next `onProgress` call comes.
   */
  onResult?: ResultListener;
  /** Told after each committed batch how many input lines (blank ones included) were read. */
  onProgress?: (linesRead: number) => void;
  /**
   * Whether the returned `results` hold every result. Default `true`; turn it
   * off for large inputs read through `onResult`, so memory stays bounded.
   */
  keepResults?: boolean;
}

/** The counts of a replay (SYNC-RULES §6): every outcome, zero included. */
export type Summary = { events: number } & Record<Outcome, number>;

/** What {@link replay} returns. */
export interface ReplayOutput {
  /** Every result in the order reported; empty when `keepResults` is off. */
  results: Result[];
  summary: Summary;
  /**
   * The code of each status field of every record an applied or conflicting
   * result touched, keyed like `order:DH-0001`, in first-touched order.
   */
  records: Record<string, Record<string, string>>;
}

/** One input line of the batch in hand, as its own result will name it. */
interface Expected {
  line: number;
  event: string | null;
  rawEvent: unknown;
}

/**
 * Feeds a JSON Lines log to the engine in batches and sums up what happened,
 * counting each input line once by its last result (§6).
 *
 * A parked event handled again reports a second result with the same `line`;
 * that line is then counted by its new outcome. A parked event kept from an
 * earlier replay into the same store, released by a line of this one, is
 * reported among the results but not counted: it is no line of this input.
 *
 * @example
 * const engine = createEngine({ store: 'sync.db' });
 * const { summary } = await replay(engine, fs.createReadStream('log.jsonl'));
 */
export async function replay(
  engine: Engine,
  source: JsonLinesSource,
  options: ReplayOptions = {},
): Promise<ReplayOutput> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `replay: batchSize must be a positive integer, got ${String(batchSize)}.`,
    );
  }
  const keepResults = options.keepResults ?? true;

  const results: Result[] = [];
  const summary = emptySummary();
  const touched = new Set<string>();
  // Lines of this input whose event is parked now, with that event's id.
  const parkedLines = new Map<number, string | null>();
  let expected: Expected[] = [];
  let next = 0;
  let lastOwnApplied = false;

  function isOwn(result: Result): boolean {
    const head = expected[next];
    if (!head) return false;
    // Only an applied event releases parked ones; otherwise the next result
    // can only be the next line's own.
    if (!lastOwnApplied) return true;

    return (
      result.line === head.line &&
      (result.event === head.event || result.event === head.rawEvent)
    );
  }

  function count(result: Result) {
    if (isOwn(result)) {
      next += 1;
      lastOwnApplied = result.outcome === 'applied';
      summary[result.outcome] += 1;
      if (result.outcome === 'parked' && result.line !== undefined) {
        parkedLines.set(result.line, result.event);
      }

      return;
    }

    const line = result.line;
    if (line === undefined || !parkedLines.has(line)) return;
    if (parkedLines.get(line) !== result.event) return;

    summary.parked -= 1;
    summary[result.outcome] += 1;
    if (result.outcome !== 'parked') parkedLines.delete(line);
  }

  function onResult(
    result: Result,
    records: readonly string[],
    statuses: StatusesAfter,
  ) {
    if (keepResults) results.push(result);
    if (result.outcome === 'applied' || result.outcome === 'conflict') {
      for (const id of records) touched.add(id);
    }
    count(result);
    options.onResult?.(result, records, statuses);
  }

  let batch: EngineInput[] = [];
  let linesRead = 0;
  const flush = () => {
    if (batch.length === 0) return;

    expected = batch.map(expectedOf);
    next = 0;
    lastOwnApplied = false;
    engine.run(batch, {
      batchSize: batch.length,
      onResult,
      keepResults: false,
    });
    batch = [];
    options.onProgress?.(linesRead);
  };

  for await (const item of readJsonLines(source)) {
    summary.events += 1;
    linesRead = item.line;
    batch.push(item);
    if (batch.length >= batchSize) flush();
  }
  flush();

  const records: ReplayOutput['records'] = {};
  for (const id of touched) {
    const view = engine.record(id);
    if (view) records[id] = view.statuses;
  }

  return { results, summary, records };
}

function emptySummary(): Summary {
  const summary = { events: 0 } as Summary;
  for (const outcome of OUTCOMES) summary[outcome] = 0;

  return summary;
}

/** The `line` and `event` the engine will report for an input (§6). */
function expectedOf(input: EngineInput): Expected {
  const value = input.value;
  const id =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { id?: unknown }).id
      : undefined;
  const event =
    input.error || typeof id !== 'string' || id === ''
      ? null
      : id.normalize('NFC');

  return { line: input.line ?? -1, event, rawEvent: id };
}
