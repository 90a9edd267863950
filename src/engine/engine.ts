import {
  createActor,
  initialTransition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type InspectionEvent,
  type Observer,
} from 'xstate';
import type { EventFacts, SyncEmitted } from '../../machines/sync.js';
import { parseEvent } from '../events/schema.js';
import { sumDecimals } from '../events/decimal.js';
import { statusLabel } from '../rules/labels.js';
import { openSqliteStore } from '../store/sqlite.js';
import type {
  ConflictEntry,
  OutboxEntry,
  ParkedEvent,
  RecordKind,
  Store,
  StoredRecord,
} from '../store/store.js';
import type {
  App,
  Command,
  Json,
  JsonObject,
  Notice,
  OrderTarget,
  Result,
  ResultError,
  SyncEvent,
} from '../types.js';
import { recordModels, type RecordModel } from './models.js';
import {
  parksWhenAbsent,
  recordId,
  routeEvent,
  ruleOfEvent,
  type RecordRef,
} from './route.js';
import { createStepper, type Stepper } from './stepper.js';
import { sendIfChanged } from './views.js';

/** Where `createEngine` keeps its state. */
export interface EngineOptions {
  /** What ACT keeps CRM orders as. Default `salesOrder`. */
  orderTarget?: OrderTarget;
  /** Whether CRM quotes sync to ACT (QUO-C1). Default `true`. */
  syncQuotes?: boolean;
  /** A store, or a SQLite file path. Default `:memory:`. */
  store?: Store | string;
  /** An XState inspection observer attached to every machine run. */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /** The clock for outbox and conflict times. Default: the system clock. */
  now?: () => string;
  /** Told about unexpected internal errors; the engine never prints. */
  logger?: { error(message: string): void };
}

/** One input for `run`: a parsed JSON value, or why a line had none. */
export interface EngineInput {
  value?: unknown;
  line?: number;
  error?: ResultError;
}

/** A record as the engine reports it. */
export interface RecordView {
  id: string;
  kind: RecordKind;
  key: string;
  parent?: string;
  /** The code of each status field. */
  statuses: Record<string, string>;
  /** The Vietnamese label of each status field. */
  labels: Record<string, string>;
  context: JsonObject;
}

/** What `run` returns: every result and every record an event touched. */
export interface RunOutput {
  results: Result[];
  /** Ids of records that an applied or conflicting event touched. */
  touched: Set<string>;
}

/** The sync engine over one store. */
export interface Engine {
  readonly orderTarget: OrderTarget;
  readonly syncQuotes: boolean;
  readonly store: Store;
  /** Handles one event (§4) and returns its result (§6). */
  handle(input: unknown, options?: { line?: number }): Result;
  /** What `handle` would report, changing nothing. */
  check(input: unknown): Result;
  /**
   * Handles many inputs, `batchSize` to a transaction, and returns every
   * result, parked events handled again included.
   */
  run(
    inputs: Iterable<EngineInput>,
    options?: {
      batchSize?: number;
      onResult?: ResultListener;
      /** Whether `results` collects every result. Default `true`. */
      keepResults?: boolean;
    },
  ): RunOutput;
  record(id: string): RecordView | undefined;
  records(filter?: { kind?: RecordKind; parent?: string }): RecordView[];
  outbox: {
    /** Commands not yet delivered, in queue order. */
    pending(limit?: number): OutboxEntry[];
    /** Marks commands delivered; returns how many were still pending. */
    markDelivered(seqs: readonly number[]): number;
    all(): OutboxEntry[];
  };
  conflicts(): ConflictEntry[];
  parked(): ParkedEvent[];
  close(): void;
}

interface Loaded {
  stored: StoredRecord | undefined;
  snapshot: AnyMachineSnapshot;
}

interface Step {
  ref: RecordRef;
  model: RecordModel;
  before: Loaded;
  after: AnyMachineSnapshot;
  emitted: SyncEmitted[];
}

/** The statuses of each record a result touched, right after it. */
export type StatusesAfter = Record<string, Record<string, string>>;

/**
 * Told of each result with the ids of the records it touched and their
 * statuses right after it (before parked events it released).
 */
export type ResultListener = (
  result: Result,
  records: readonly string[],
  statuses: StatusesAfter,
) => void;

type Emit = (
  result: Result,
  records?: readonly string[],
  statuses?: StatusesAfter,
) => void;

const ROLLBACK = Symbol('rollback');
const CACHE_LIMIT = 50_000;

// TODO: about 350 µs an event (docs/benchmark.md), 66 times a plain
// reducer, so `npm run bench` only just fits its 50 s: zod validation, the
// XState step and the JSON of each record's snapshot and views each cost
// about a quarter. Candidates: a
// compiled validator proved equal to the zod schemas, storing views as a
// diff of the snapshot, and a faster step proved equal by the graph tests.

/**
 * Creates the sync engine: events in, results and outbox commands out, all
 * kept in one store.
 *
 * @example
 * const engine = createEngine({ orderTarget: 'salesOrder' });
 * const result = engine.handle({ id: 'e-1', source: 'crm', type: 'order.proposed', … });
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const given = options.orderTarget;
  if (given !== undefined && given !== 'salesOrder' && given !== 'contract') {
    throw new Error(
      `orderTarget must be 'salesOrder' or 'contract' (got ${JSON.stringify(given)}).`,
    );
  }
  const syncQuotes = options.syncQuotes ?? true;
  const store =
    typeof options.store === 'object'
      ? options.store
      : openSqliteStore(options.store ?? ':memory:');
  // One store serves one connection: records kept for Sales Orders would be
  // wrong as Contracts (they have no delivery), and the reverse.
  const kept = store.getMeta('orderTarget') as OrderTarget | undefined;
  const orderTarget = given ?? kept ?? 'salesOrder';
  if (kept === undefined) {
    store.setMeta('orderTarget', orderTarget);
  } else if (kept !== orderTarget) {
    if (typeof options.store !== 'object') store.close();
    throw new Error(
      `This store keeps orders as ${kept}; it cannot be used with ` +
        `orderTarget ${orderTarget}. Use another store for that ` +
        `connection.`,
    );
  }
  const now = options.now ?? (() => new Date().toISOString());
  const models = recordModels(orderTarget);
  const inspect = options.inspect;
  const initial = new Map<AnyStateMachine, AnyMachineSnapshot>();
  const cache = new Map<string, Loaded>();
  const steppers = new Map<AnyStateMachine, Stepper>();

  function initialSnapshot(machine: AnyStateMachine) {
    let snapshot = initial.get(machine);
    if (!snapshot) {
      snapshot = initialTransition(machine)[0];
      initial.set(machine, snapshot);
    }

    return snapshot;
  }

  function load(ref: RecordRef): Loaded {
    const cached = cache.get(ref.id);
    if (cached) return cached;

    const stored = store.getRecord(ref.id);
    const machine = models[ref.kind].machine;
    const snapshot = stored
      ? machine.resolveState(stored.snapshot as never)
      : initialSnapshot(machine);
    const loaded = { stored, snapshot };
    if (stored) remember(ref.id, loaded);

    return loaded;
  }

  function remember(id: string, loaded: Loaded) {
    // Least recently written first out: a Map iterates in insertion order.
    cache.delete(id);
    if (cache.size >= CACHE_LIMIT) {
      let drop = CACHE_LIMIT / 10;
      for (const old of cache.keys()) {
        cache.delete(old);
        if (--drop === 0) break;
      }
    }
    cache.set(id, loaded);
  }

  function step(
    machine: AnyStateMachine,
    snapshot: AnyMachineSnapshot,
    event: SyncEvent & { facts: EventFacts },
  ) {
    if (inspect) return stepLive(machine, snapshot, event);

    let stepper = steppers.get(machine);
    if (!stepper) {
      stepper = createStepper(machine);
      steppers.set(machine, stepper);
    }
    const [after, actions] = stepper(snapshot, event);
    const emitted: SyncEmitted[] = [];
    for (const action of actions) {
      if (action.type !== 'xstate.emit') continue;

      const params = action.params as { event: SyncEmitted };
      emitted.push(params.event);
    }

    return { after, emitted };
  }

  function stepLive(
    machine: AnyStateMachine,
    snapshot: AnyMachineSnapshot,
    event: SyncEvent & { facts: EventFacts },
  ) {
    const actor = createActor(machine, {
      snapshot: machine.getPersistedSnapshot(snapshot) as never,
      inspect: inspect as Observer<InspectionEvent>,
    });
    const emitted: SyncEmitted[] = [];
    actor.on('*', (emittedEvent) => {
      emitted.push(emittedEvent as SyncEmitted);
    });
    actor.start();
    actor.send(event);
    const after = actor.getSnapshot() as AnyMachineSnapshot;
    actor.stop();

    return { after, emitted };
  }

  function exists(id: string) {
    return cache.has(id) || store.getRecord(id) !== undefined;
  }

  function isContactRecord(id: string) {
    const loaded = load({
      id,
      kind: 'customer',
      key: id.slice('customer:'.length),
    });

    return (loaded.snapshot.context as { kind?: string }).kind === 'contact';
  }

  function currencyOf(key: string, type: string) {
    if (!/^(order|salesOrder|contract)\./.test(type)) return undefined;

    const stored = cache.get(recordId('order', key))?.stored;
    const record = stored ?? store.getRecord(recordId('order', key));
    const context = record?.snapshot.context as { currency?: string };

    return context?.currency;
  }

  function facts(event: SyncEvent, primary: RecordRef, secondary?: Loaded) {
    const out: EventFacts = { syncQuotes };
    if (event.type === 'order.withdrawn') {
      out.orderHasIssuedInvoice = store
        .listRecords({ kind: 'invoice', parent: primary.id })
        .some((invoice) => {
          const state = load({
            id: invoice.id,
            kind: 'invoice',
            key: invoice.key,
          }).snapshot.value;

          return state === 'issued' || state === 'cancelled';
        });
    }
    if (event.type === 'order.cancellationProposed') {
      const amounts = store
        .listRecords({ kind: 'cancellation', parent: primary.id })
        .map((record) =>
          load({ id: record.id, kind: 'cancellation', key: record.key }),
        )
        .filter((loaded) => loaded.snapshot.value === 'proposed')
        .map(
          (loaded) => (loaded.snapshot.context as { amount: string }).amount,
        );
      out.pendingCancellationTotal = sumDecimals(amounts);
    }
    if (secondary?.stored && event.type.startsWith('contract.cancellation')) {
      const context = secondary.snapshot.context as {
        amount: string;
        date: string | null;
      };
      out.cancellation = { amount: context.amount, date: context.date };
    }

    return out;
  }

  function statusesOf(kind: RecordKind, snapshot: AnyMachineSnapshot) {
    return models[kind].statuses(snapshot);
  }

  function describe(ref: RecordRef, snapshot: AnyMachineSnapshot) {
    const statuses = statusesOf(ref.kind, snapshot);

    return Object.entries(statuses)
      .map(([field, code]) => `${field} ${code} (${statusLabel(field, code)})`)
      .join(', ');
  }

  function result(
    event: SyncEvent | null,
    line: number | undefined,
    outcome: Result['outcome'],
    extra: Partial<Result> = {},
  ): Result {
    const out: Result = {
      ...(line !== undefined ? { line } : {}),
      event: event?.id ?? null,
      outcome,
      rules: [],
      commands: [],
      notices: [],
      ...extra,
    };

    return out;
  }

  /** The §4 checks and the rule, for one event; writes through `store`. */
  function process(
    input: EngineInput,
    touched: Set<string>,
    emit: Emit,
    rehandling = false,
  ): void {
    const line = input.line;
    if (input.error) {
      emit({
        ...(line !== undefined ? { line } : {}),
        event: null,
        outcome: 'invalid',
        rules: [],
        commands: [],
        notices: [],
        error: input.error,
      });

      return;
    }

    const parsed = parseEvent(input.value, { orderTarget, currencyOf });
    if (!parsed.ok) {
      emit({
        ...(line !== undefined ? { line } : {}),
        event: parsed.eventId,
        outcome: 'invalid',
        rules: [],
        commands: [],
        notices: [],
        error: parsed.error,
      });

      return;
    }

    const event = parsed.event;
    if (!rehandling && store.hasEvent(event.id)) {
      emit(result(event, line, 'duplicate'));

      return;
    }

    const route = routeEvent(event, exists, isContactRecord);
    const primary = load(route.primary);
    const secondary = route.secondary ? load(route.secondary) : undefined;

    const parkOn = parkingPlace(route, primary, secondary);
    if (parkOn) {
      const parkedResult = result(event, line, 'parked', {
        error: {
          code: 'recordNotSeen',
          message:
            `${parkOn} was never seen; the event is kept and handled ` +
            `again when it is created.`,
          field: parkOn.startsWith('cancellation:') ? 'data.proposal' : 'key',
        },
      });
      store.park({
        recordId: parkOn,
        event,
        ...(line !== undefined ? { line } : {}),
      });
      store.putEvent({
        id: event.id,
        ...(line !== undefined ? { line } : {}),
        outcome: 'parked',
        result: parkedResult,
      });
      emit(parkedResult, [parkOn]);

      return;
    }

    const last = primary.stored?.versions[event.source];
    if (event.version !== undefined && last !== undefined) {
      if (event.version <= last) {
        const staleResult = result(event, line, 'stale');
        // Remembered so that a resend is a duplicate (§4 check 2).
        store.putEvent({
          id: event.id,
          ...(line !== undefined ? { line } : {}),
          outcome: 'stale',
          result: staleResult,
        });
        emit(staleResult, [route.primary.id]);

        return;
      }
    }

    const machineEvent = {
      ...event,
      facts: facts(event, route.primary, secondary),
    };
    const steps: Step[] = [];
    for (const [ref, loaded] of [
      [route.primary, primary],
      ...(route.secondary && secondary
        ? [[route.secondary, secondary] as const]
        : []),
    ] as const) {
      const model = models[ref.kind];
      const { after, emitted } = step(
        model.machine,
        loaded.snapshot,
        machineEvent,
      );
      steps.push({ ref, model, before: loaded, after, emitted });
    }

    const refusal = firstRefusal(event, steps, route.creates);
    if (refusal) {
      const conflictResult = result(event, line, 'conflict', {
        rules: refusal.rules,
        error: refusal.error,
      });
      store.addConflict({
        eventId: event.id,
        recordId: refusal.recordId,
        ...(line !== undefined ? { line } : {}),
        rules: refusal.rules,
        error: refusal.error,
        event,
        at: now(),
      });
      store.putEvent({
        id: event.id,
        ...(line !== undefined ? { line } : {}),
        outcome: 'conflict',
        result: conflictResult,
      });
      for (const s of steps) touched.add(s.ref.id);
      emit(
        conflictResult,
        steps.map((s) => s.ref.id),
        statusesAfter(steps, (s) => s.before.snapshot),
      );

      return;
    }

    const rules: string[] = [];
    const notices: Notice[] = [];
    const commands: Command[] = [];
    const records = new Map<string, StoredRecord>();
    for (const s of steps) {
      const stored = nextRecord(s, event);
      records.set(s.ref.id, stored);
      for (const emitted of s.emitted) {
        if (emitted.type === 'sync.applied') {
          for (const rule of emitted.rules) {
            if (!rules.includes(rule)) rules.push(rule);
          }
        }
        if (emitted.type === 'sync.notice') {
          notices.push(...emitted.notices);
        }
      }
    }

    for (const s of steps) {
      for (const emitted of s.emitted) {
        if (emitted.type !== 'sync.command') continue;

        const owner =
          [...records.values()].find(
            (record) => record.key === emitted.command.key,
          ) ?? records.get(s.ref.id)!;
        const target = emitted.command.target;
        const delivery = sendIfChanged(
          emitted.command,
          owner.views[target],
          emitted.always ?? false,
        );
        owner.views = { ...owner.views, [target]: delivery.view };
        if (delivery.command) commands.push(delivery.command);
        if (delivery.command?.type === 'cancellation.update') {
          showRowsOnOrder(records.get(s.ref.id), s);
        }
      }
    }

    const applied = result(event, line, 'applied', {
      rules,
      commands,
      notices,
    });
    for (const [id, record] of records) {
      store.putRecord(record);
      const s = steps.find((candidate) => candidate.ref.id === id)!;
      remember(id, { stored: record, snapshot: s.after });
      touched.add(id);
    }
    if (commands.length > 0) {
      const at = now();
      for (const command of commands) store.enqueue(event.id, command, at);
    }
    store.putEvent({
      id: event.id,
      ...(line !== undefined ? { line } : {}),
      outcome: 'applied',
      result: applied,
    });
    emit(
      applied,
      [...records.keys()],
      statusesAfter(steps, (s) => s.after),
    );

    for (const s of steps) {
      if (s.before.stored) continue;

      for (const parked of store.takeParked(s.ref.id)) {
        process(
          {
            value: parked.event,
            ...(parked.line !== undefined ? { line: parked.line } : {}),
          },
          touched,
          emit,
          true,
        );
      }
    }
  }

  /**
   * A `cancellation.update` carries the order's new revenue row (CT-A8), so
   * CRM's order then shows the whole table: a later CT-A3 or CT-A4 that
   * changes nothing must not send the rows again (§4).
   */
  function showRowsOnOrder(order: StoredRecord | undefined, s: Step) {
    if (order?.kind !== 'order') return;

    const rows = (s.after.context as { revenueRows: Json }).revenueRows;
    order.views = {
      ...order.views,
      crm: { ...order.views.crm, revenueRows: rows },
    };
  }

  function statusesAfter(
    steps: readonly Step[],
    pick: (s: Step) => AnyMachineSnapshot,
  ): StatusesAfter {
    const out: StatusesAfter = {};
    for (const s of steps) out[s.ref.id] = models[s.ref.kind].statuses(pick(s));

    return out;
  }

  function parkingPlace(
    route: ReturnType<typeof routeEvent>,
    primary: Loaded,
    secondary: Loaded | undefined,
  ): string | null {
    if (
      !primary.stored &&
      parksWhenAbsent(route.primary.kind) &&
      route.creates !== 'primary'
    ) {
      return route.primary.id;
    }
    if (
      route.secondary &&
      !secondary?.stored &&
      route.creates !== 'secondary'
    ) {
      return route.secondary.id;
    }

    return null;
  }

  function firstRefusal(
    event: SyncEvent,
    steps: Step[],
    creates: 'primary' | 'secondary' | null,
  ): { rules: string[]; error: ResultError; recordId: string } | null {
    for (const s of steps) {
      const refused = s.emitted.find((e) => e.type === 'sync.conflict');
      if (refused && refused.type === 'sync.conflict') {
        return {
          rules: refused.rules,
          error: refused.error,
          recordId: s.ref.id,
        };
      }
      if (s.emitted.some((e) => e.type === 'sync.applied')) continue;

      const rule = ruleOfEvent(event.type, event.source, orderTarget);
      const creating =
        (creates === 'primary' && s === steps[0]) ||
        (creates === 'secondary' && s === steps[1]);
      const error: ResultError = creating
        ? {
            code: 'alreadyExists',
            message: `${s.ref.id} already exists (${describe(s.ref, s.before.snapshot)}).`,
            field: creates === 'secondary' ? 'data.proposal' : 'key',
          }
        : {
            code: 'notAllowed',
            message:
              `${event.type} is not allowed while ${s.ref.id} is ` +
              `${describe(s.ref, s.before.snapshot) || 'new'}.`,
          };

      return { rules: rule ? [rule] : [], error, recordId: s.ref.id };
    }

    return null;
  }

  function nextRecord(s: Step, event: SyncEvent): StoredRecord {
    const before = s.before.stored;
    const views = before?.views ?? { crm: {}, act: {} };
    const versions = { ...(before?.versions ?? {}) };
    if (event.version !== undefined) {
      versions[event.source] = event.version;
    }
    const reported = s.model.reported(event.source, event, s.after);
    const parent = parentOf(s, event) ?? before?.parent;

    return {
      id: s.ref.id,
      kind: s.ref.kind,
      key: s.ref.key,
      ...(parent ? { parent } : {}),
      snapshot: s.model.machine.getPersistedSnapshot(s.after) as never,
      versions,
      views: {
        ...views,
        [event.source]: { ...views[event.source as App], ...reported },
      },
    };
  }

  function parentOf(s: Step, event: SyncEvent): string | undefined {
    if (s.ref.kind === 'cancellation') return recordId('order', event.key);
    if (s.ref.kind === 'invoice') {
      const order = (s.after.context as { order: string | null }).order;

      return order ? recordId('order', order) : undefined;
    }

    return undefined;
  }

  function safely(input: EngineInput, touched: Set<string>, emit: Emit) {
    const emitted: [Result, readonly string[], StatusesAfter?][] = [];
    try {
      store.transaction(() =>
        process(input, touched, (r, ids = [], st) =>
          emitted.push([r, ids, st]),
        ),
      );
    } catch (error) {
      cache.clear();
      // A store that cannot write (read-only, locked, full) is not a problem
      // with the event: stop, so that nothing is reported as handled.
      if (isStoreError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      options.logger?.error(`lienthong: internal error: ${message}`);
      const id = (input.value as { id?: unknown } | undefined)?.id;
      emitted.length = 0;
      emitted.push([
        {
          ...(input.line !== undefined ? { line: input.line } : {}),
          event: typeof id === 'string' ? id : null,
          outcome: 'invalid',
          rules: [],
          commands: [],
          notices: [],
          error: {
            code: 'internalError',
            message: `lienthong failed on this event and kept nothing of it: ${message}`,
          },
        },
        [],
      ]);
    }
    for (const [r, ids, st] of emitted) emit(r, ids, st);
  }

  function toView(record: StoredRecord): RecordView {
    const loaded = load({ id: record.id, kind: record.kind, key: record.key });
    const statuses = statusesOf(record.kind, loaded.snapshot);
    const labels: Record<string, string> = {};
    for (const [field, code] of Object.entries(statuses)) {
      labels[field] = statusLabel(field, code);
    }

    return {
      id: record.id,
      kind: record.kind,
      key: record.key,
      ...(record.parent ? { parent: record.parent } : {}),
      statuses,
      labels,
      context: loaded.snapshot.context as JsonObject,
    };
  }

  return {
    orderTarget,
    syncQuotes,
    store,
    handle(input, handleOptions = {}) {
      const results: Result[] = [];
      const line = handleOptions.line;
      safely(
        { value: toValue(input), ...(line !== undefined ? { line } : {}) },
        new Set(),
        (r) => results.push(r),
      );

      return results[0]!;
    },
    check(input) {
      let checked: Result | undefined;
      try {
        store.transaction(() => {
          safely({ value: toValue(input) }, new Set(), (r) => {
            checked ??= r;
          });
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      } finally {
        cache.clear();
      }

      return checked!;
    },
    run(inputs, runOptions = {}) {
      const batchSize = runOptions.batchSize ?? 500;
      const results: Result[] = [];
      const touched = new Set<string>();
      const keep = runOptions.keepResults ?? true;
      const emit: Emit = (r, ids = [], st) => {
        if (keep) results.push(r);
        runOptions.onResult?.(r, ids, st ?? {});
      };
      let batch: EngineInput[] = [];
      const flush = () => {
        const pending = batch;
        batch = [];
        // Fast path: no savepoint per event. Should an event fail inside,
        // the batch rolls back and runs again with a savepoint per event;
        // handling is deterministic, so the events before the failing one
        // give the same results again, and only later ones are reported.
        let reported = 0;
        try {
          store.transaction(() => {
            for (const input of pending) {
              const out: [Result, (readonly string[])?, StatusesAfter?][] = [];
              process(input, touched, (r, ids, st) => out.push([r, ids, st]));
              for (const [r, ids, st] of out) emit(r, ids, st);
              reported += 1;
            }
          });
        } catch (error) {
          cache.clear();
          if (isStoreError(error)) throw error;
          let index = 0;
          store.transaction(() => {
            for (const input of pending) {
              safely(input, touched, index++ < reported ? () => {} : emit);
            }
          });
        }
      };
      for (const input of inputs) {
        batch.push(input);
        if (batch.length >= batchSize) flush();
      }
      if (batch.length > 0) flush();

      return { results, touched };
    },
    record(id) {
      const stored = store.getRecord(id);

      return stored ? toView(stored) : undefined;
    },
    records(filter) {
      return store.listRecords(filter).map(toView);
    },
    outbox: {
      pending: (limit) => store.pendingCommands(limit),
      markDelivered: (seqs) => store.markDelivered(seqs, now()),
      all: () => store.listOutbox(),
    },
    conflicts: () => store.listConflicts(),
    parked: () => store.listParked(),
    close: () => store.close(),
  };
}

/** Whether an error comes from SQLite (I/O, locks, a full disk). */
function isStoreError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** Reads a raw JSON line given as text; anything else is passed through. */
function toValue(input: unknown): unknown {
  if (typeof input !== 'string') return input;

  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
