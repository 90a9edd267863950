import { expect } from 'vitest';
import { createEngine, type Engine } from '../../index.js';
import type { App, JsonObject, OrderTarget, Result } from '../../src/types.js';

/** An input event as a test writes it, before the engine validates it. */
export interface TestEvent {
  id: string;
  source: App;
  type: string;
  at: string;
  key: string;
  version?: number;
  data: JsonObject;
}

/** Envelope fields a test may set; the id is numbered when absent. */
export interface EventOptions {
  id?: string;
  at?: string;
  version?: number;
}

/** The time every event carries unless a test gives its own. */
export const AT = '2026-11-02T09:00:00+07:00';

/** The two lines of the sales-order scenario: 10 chairs and 2 desks. */
export const LINES = [
  { line: '1', product: 'SP-GHE', quantity: '10', unitPrice: '1250000' },
  { line: '2', product: 'SP-BAN', quantity: '2', unitPrice: '3400000' },
];

/** Σ quantity × unit price of {@link LINES}. */
export const TOTAL = '19300000';

let counter = 0;

/** The next event id: `t-0001`, `t-0002`… across the whole test file. */
export function nextId(): string {
  counter += 1;

  return `t-${String(counter).padStart(4, '0')}`;
}

/** Builds one event with a fresh id. */
export function event(
  source: App,
  type: string,
  key: string,
  data: JsonObject = {},
  options: EventOptions = {},
): TestEvent {
  return {
    id: options.id ?? nextId(),
    source,
    type,
    at: options.at ?? AT,
    key,
    ...(options.version !== undefined ? { version: options.version } : {}),
    data,
  };
}

/** A CRM event. */
export function crm(
  type: string,
  key: string,
  data: JsonObject = {},
  options: EventOptions = {},
): TestEvent {
  return event('crm', type, key, data, options);
}

/** An ACT event. */
export function act(
  type: string,
  key: string,
  data: JsonObject = {},
  options: EventOptions = {},
): TestEvent {
  return event('act', type, key, data, options);
}

/** A CRM order add with the scenario's lines; `data` overrides fields. */
export function orderCreated(key: string, data: JsonObject = {}): TestEvent {
  return crm('order.created', key, {
    revenueStatus: 'draft',
    customer: 'KH-0001',
    currency: 'VND',
    lines: LINES,
    total: TOTAL,
    deliveryDeadline: '2026-11-20',
    paymentDeadline: '2026-12-15',
    ...data,
  });
}

/** A CRM invoice request add for an order. */
export function invoiceCreated(
  key: string,
  order: string,
  data: JsonObject = {},
): TestEvent {
  return crm('invoice.created', key, {
    order,
    status: 'draft',
    amount: TOTAL,
    description: `Xuất theo đơn ${order}`,
    ...data,
  });
}

/** An engine over a fresh in-memory store. */
export function newEngine(
  orderTarget: OrderTarget = 'salesOrder',
  syncQuotes = true,
): Engine {
  return createEngine({ orderTarget, syncQuotes, store: ':memory:' });
}

/** Handles events that set a record up; each one must be applied. */
export function given(engine: Engine, ...events: TestEvent[]): Result[] {
  return events.map((e) => {
    const result = engine.handle(e);
    expect(result.outcome, `${e.type} ${e.key}: ${result.error?.message}`).toBe(
      'applied',
    );

    return result;
  });
}

/** The revenue states an order can be brought to for a test. */
export type RevenueStart =
  'draft' | 'proposed' | 'recorded' | 'recordedByCrm' | 'rejected';

/** Every start state, for tables of "from" states. */
export const REVENUE_STARTS: readonly RevenueStart[] = [
  'draft',
  'proposed',
  'recorded',
  'recordedByCrm',
  'rejected',
];

/**
 * Brings a new order to a revenue state: `recorded` is ACT's recording on
 * 2026-11-03, `recordedByCrm` CRM's own (SO-C5, CT-C5).
 */
export function orderIn(
  engine: Engine,
  key: string,
  start: RevenueStart,
  created: JsonObject = {},
): void {
  const prefix = engine.orderTarget;
  given(engine, orderCreated(key, created));
  if (start === 'draft') return;

  given(engine, crm('order.proposed', key));
  if (start === 'recorded') {
    given(
      engine,
      act(`${prefix}.revenueRecorded`, key, {
        postingDate: '2026-11-03',
        amount: String(created.total ?? TOTAL),
      }),
    );
  }
  if (start === 'recordedByCrm') given(engine, crm('order.recorded', key));
  if (start === 'rejected') given(engine, crm('order.rejected', key));
}

/** What a refusal must leave behind: the stored record and the outbox. */
function footprint(engine: Engine, recordIds: readonly string[]) {
  return {
    // The stored form: snapshot, per-app views and versions, not only statuses.
    records: recordIds.map((id) => engine.store.getRecord(id)),
    outbox: engine.outbox.all().length,
  };
}

/**
 * Handles an event that §4 refuses and checks a conflict: the refusing rule,
 * a coded error, no command, the records and outbox unchanged, and the
 * conflict listed for people.
 */
export function expectConflict(
  engine: Engine,
  input: TestEvent,
  rule: string,
  code: string,
  recordIds: readonly string[],
): Result {
  const before = footprint(engine, recordIds);
  const conflictsBefore = engine.conflicts().length;

  const result = engine.handle(input);

  expect(result.outcome, result.error?.message).toBe('conflict');
  expect(result.rules).toEqual([rule]);
  expect(result.error?.code).toBe(code);
  expect(result.error?.message).toEqual(expect.any(String));
  expect(result.commands).toEqual([]);
  expect(footprint(engine, recordIds)).toEqual(before);
  const conflicts = engine.conflicts();
  expect(conflicts).toHaveLength(conflictsBefore + 1);
  expect(conflicts.at(-1)).toMatchObject({
    eventId: input.id,
    rules: [rule],
    error: { code },
  });

  return result;
}

/** The statuses of a record, or undefined when it was never created. */
export function statuses(engine: Engine, id: string) {
  return engine.record(id)?.statuses;
}
