import type { InspectionEvent, Observer } from 'xstate';
import type { MachineName } from '../diagram/machines.js';
import { machineNameOf } from '../diagram/machines.js';
import type { Engine } from '../engine/engine.js';
import { recordModels } from '../engine/models.js';
import type { JsonLinesSource } from '../events/jsonl.js';
import type { RecordKind } from '../store/store.js';
import type {
  App,
  Command,
  Notice,
  OrderTarget,
  Outcome,
  Result,
  ResultError,
} from '../types.js';

/** What an input line said about itself, read before validation. */
export interface RawEvent {
  id?: string;
  source?: string;
  type?: string;
  key?: string;
}

/** One status field of one record before and after an event. */
export interface StatusChange {
  field: string;
  /** Null while the record did not exist yet. */
  before: string | null;
  after: string | null;
}

/** One result as the report shows it, with what it did to each record. */
export interface ReportEntry {
  line?: number;
  event: string | null;
  source?: App | string;
  type?: string;
  outcome: Outcome;
  rules: string[];
  commands: Command[];
  notices: Notice[];
  error?: ResultError;
  /** The records the result touched, with their status changes. */
  records: { id: string; changes: StatusChange[] }[];
}

/** One record as the report shows it. */
export interface ReportRecord {
  id: string;
  kind: RecordKind;
  key: string;
  parent?: string;
  machine: MachineName;
  /** The code of each status field now. */
  statuses: Record<string, string>;
  /** The Vietnamese label of each status field now. */
  labels: Record<string, string>;
  /** The machine's active state ids now, e.g. `active.revenue.recorded`. */
  states: string[];
  /** Every state id the record was seen in during the replay. */
  visited: string[];
  /** Indexes into {@link ReportData.entries}, in order. */
  entries: number[];
}

/** Everything the HTML page is drawn from. */
export interface ReportData {
  title: string;
  orderTarget: OrderTarget;
  entries: ReportEntry[];
  records: ReportRecord[];
  /** Indexes of entries that touched no record (invalid, duplicate…). */
  unattached: number[];
}

/** Collects a replay into {@link ReportData}; see `createReportRecorder`. */
export interface ReportRecorder {
  /** The XState inspection observer to give `createEngine({ inspect })`. */
  readonly inspect: Observer<InspectionEvent>;
  /** To give `engine.run` or `replay` as `onResult`. */
  onResult(result: Result, records: readonly string[]): void;
  /** Wraps the input so that each line's own id, app and type are known. */
  tap(source: JsonLinesSource): JsonLinesSource;
  /** The report, once the replay is done; reads final states from `engine`. */
  build(engine: Engine, title: string): ReportData;
}

interface Step {
  machine: string;
  before: unknown;
  after?: unknown;
}

/** The leaf state ids of a snapshot value: `active.revenue.draft`, … */
export function stateIds(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (typeof value !== 'object' || value === null) return [];

  return Object.entries(value as Record<string, unknown>).flatMap(
    ([key, inner]) => stateIds(inner, `${prefix}${key}.`),
  );
}

function actorMachine(event: InspectionEvent): string | undefined {
  const logic = (event.actorRef as unknown as { logic?: { id?: unknown } })
    .logic;

  return typeof logic?.id === 'string' ? logic.id : undefined;
}

function valueOf(snapshot: unknown): unknown {
  return (snapshot as { value?: unknown } | undefined)?.value;
}

function eventIdOf(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;

  return typeof id === 'string' ? id : undefined;
}

function kindOf(recordId: string): RecordKind {
  return recordId.slice(0, recordId.indexOf(':')) as RecordKind;
}

/** Reads each line's id, app, type and key, numbering lines as §5 does. */
function lineScanner(found: Map<number, RawEvent>) {
  let pending = '';
  let line = 0;
  let first = true;

  const take = (text: string) => {
    line += 1;
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (body.trim() === '') return;

    try {
      const value = JSON.parse(body) as Record<string, unknown>;
      if (typeof value !== 'object' || value === null) return;

      const raw: RawEvent = {};
      for (const name of ['id', 'source', 'type', 'key'] as const) {
        const field = value[name];
        if (typeof field === 'string') raw[name] = field.normalize('NFC');
      }
      found.set(line, raw);
    } catch {
      // Not JSON: the engine reports it; the report shows its line alone.
    }
  };

  return (chunk: string, end = false) => {
    let text = pending + chunk;
    if (first && text.length > 0) {
      if (text.startsWith('\uFEFF')) text = text.slice(1);
      first = false;
    }
    const parts = text.split('\n');
    pending = end ? '' : parts.pop()!;
    for (const part of parts) take(part);
  };
}

/**
 * Records a replay for the HTML report: each result with the status changes
 * it made, read from the XState inspection stream (exact even when a parked
 * event is handled again in the same batch), and each input line's own id,
 * app and type.
 *
 * @example
 * const recorder = createReportRecorder('salesOrder');
 * const engine = createEngine({ inspect: recorder.inspect });
 * await replay(engine, recorder.tap(stream), { onResult: recorder.onResult });
 * const html = renderReport(recorder.build(engine, 'log.jsonl'));
 */
export function createReportRecorder(orderTarget: OrderTarget): ReportRecorder {
  const models = recordModels(orderTarget);
  const raw = new Map<number, RawEvent>();
  const scan = lineScanner(raw);
  // Machine steps of the events in hand, by `eventId|machine`.
  const steps = new Map<string, Step>();
  const events = new Map<string, RawEvent>();
  const entries: ReportEntry[] = [];
  const byRecord = new Map<string, number[]>();
  const visited = new Map<string, Set<string>>();
  const last = new Map<string, Record<string, string>>();
  const unattached: number[] = [];

  const statusesOf = (kind: RecordKind, value: unknown) =>
    models[kind].statuses({ value, context: null });

  const see = (id: string, value: unknown) => {
    const set = visited.get(id) ?? new Set<string>();
    for (const state of stateIds(value)) set.add(state);
    visited.set(id, set);
  };

  const inspect: Observer<InspectionEvent> = {
    next(event) {
      if (event.type !== '@xstate.event' && event.type !== '@xstate.snapshot') {
        return;
      }

      const machine = actorMachine(event);
      const id = eventIdOf(event.event);
      if (machine === undefined || id === undefined) return;

      const key = `${id}|${machine}`;
      if (event.type === '@xstate.event') {
        const { type, source, key: code } = event.event as RawEvent;
        events.set(id, { id, type, source, key: code } as RawEvent);
        steps.set(key, {
          machine,
          before: valueOf(event.actorRef.getSnapshot()),
        });
      }
      if (event.type === '@xstate.snapshot') {
        const step = steps.get(key);
        if (step) step.after = valueOf(event.snapshot);
      }
    },
  };

  function changesOf(
    recordId: string,
    result: Result,
  ): StatusChange[] | undefined {
    const kind = kindOf(recordId);
    const machine = machineNameOf(kind, orderTarget);
    const key = `${result.event}|${machine}`;
    const step = steps.get(key);
    steps.delete(key);
    if (!step || result.outcome !== 'applied') return [];

    see(recordId, step.before);
    see(recordId, step.after);
    const before = statusesOf(kind, step.before);
    const after = statusesOf(kind, step.after);
    last.set(recordId, after);

    const fields = [
      ...new Set([...Object.keys(before), ...Object.keys(after)]),
    ];

    return fields
      .filter((field) => before[field] !== after[field])
      .map((field) => ({
        field,
        before: before[field] ?? null,
        after: after[field] ?? null,
      }));
  }

  return {
    inspect,
    onResult(result, records) {
      const line = result.line !== undefined ? raw.get(result.line) : undefined;
      // The line's own words first: a duplicate may differ from its original.
      const known =
        line ?? (result.event ? events.get(result.event) : undefined);
      const index = entries.length;
      const entry: ReportEntry = {
        ...(result.line !== undefined ? { line: result.line } : {}),
        event: result.event,
        ...(known?.source !== undefined ? { source: known.source } : {}),
        ...(known?.type !== undefined ? { type: known.type } : {}),
        outcome: result.outcome,
        rules: result.rules,
        commands: result.commands,
        notices: result.notices,
        ...(result.error ? { error: result.error } : {}),
        records: records.map((id) => ({
          id,
          changes: changesOf(id, result) ?? [],
        })),
      };
      entries.push(entry);
      for (const id of records) {
        const list = byRecord.get(id) ?? [];
        list.push(index);
        byRecord.set(id, list);
      }
      if (records.length === 0) unattached.push(index);
      // Steps of an event are all read by its result; drop any left over.
      if (result.event) {
        for (const key of steps.keys()) {
          if (key.startsWith(`${result.event}|`)) steps.delete(key);
        }
      }
    },
    tap(source) {
      if (typeof source === 'string') {
        scan(source, true);

        return source;
      }

      const input = source as AsyncIterable<string | Uint8Array>;

      return (async function* () {
        const decoder = new TextDecoder('utf-8');
        for await (const chunk of input) {
          scan(
            typeof chunk === 'string'
              ? chunk
              : decoder.decode(chunk, { stream: true }),
          );
          yield chunk;
        }
        scan(decoder.decode(), true);
      })();
    },
    build(engine, title) {
      // A parked event's app and type are known once it is handled again.
      for (const entry of entries) {
        const known = entry.event ? events.get(entry.event) : undefined;
        if (entry.type === undefined && known?.type !== undefined) {
          entry.type = known.type;
          if (known.source !== undefined) entry.source = known.source;
        }
      }

      const records: ReportRecord[] = [];
      for (const [id, indexes] of byRecord) {
        const view = engine.record(id);
        const kind = view?.kind ?? kindOf(id);
        const value = engine.store.getRecord(id)?.snapshot.value;
        const states = value === undefined ? ['absent'] : stateIds(value);
        const seen = visited.get(id) ?? new Set<string>();
        for (const state of states) seen.add(state);

        records.push({
          id,
          kind,
          key: view?.key ?? id.slice(id.indexOf(':') + 1),
          ...(view?.parent ? { parent: view.parent } : {}),
          machine: machineNameOf(kind, orderTarget),
          statuses: view?.statuses ?? last.get(id) ?? {},
          labels: view?.labels ?? {},
          states,
          visited: [...seen],
          entries: indexes,
        });
      }

      return {
        title,
        orderTarget,
        entries,
        records,
        unattached,
      };
    },
  };
}
