import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { createEngine, parseJsonLines, type Engine } from '../index.js';
import { OUTCOMES, type OrderTarget, type Result } from '../src/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A scenario log: the shared library first, else the packaged examples. */
function scenario(name: string): string {
  const shared = `${ROOT}../shared/scenarios/${name}.jsonl`;
  const path = existsSync(shared) ? shared : `${ROOT}examples/${name}.jsonl`;

  return readFileSync(path, 'utf8');
}

/** One row of a scenarios README table. */
interface Row {
  /** The event id, or the line for rows without a readable id. */
  event: string;
  outcome?: Result['outcome'];
  rules?: string[];
  /** The one command ("→ ACT …"), or null for "—". */
  command?: { target: 'act' | 'crm'; type: string; data?: object } | null;
  /** Statuses of records right after the event. */
  after?: Record<string, Record<string, string>>;
  /** Anything else the row's "Result" column states. */
  check?: (result: Result, engine: Engine) => void;
}

interface Played {
  engine: Engine;
  results: Result[];
  /** The statuses of every record a result touched, right after it. */
  seen: Map<Result, Record<string, Record<string, string> | undefined>>;
}

function play(name: string, orderTarget: OrderTarget): Played {
  const engine = createEngine({ orderTarget, store: ':memory:' });
  const seen: Played['seen'] = new Map();

  const { results } = engine.run(parseJsonLines(scenario(name)), {
    onResult: (result, records) => {
      seen.set(
        result,
        Object.fromEntries(
          records.map((id) => [id, engine.record(id)?.statuses]),
        ),
      );
    },
  });

  return { engine, results, seen };
}

/** §6 summary: input lines read, each counted once by its last outcome. */
function summary(results: readonly Result[]) {
  const last = new Map<number, Result['outcome']>();
  for (const result of results) last.set(result.line!, result.outcome);
  const counts: Record<string, number> = { events: last.size };
  for (const outcome of OUTCOMES) counts[outcome] = 0;
  for (const outcome of last.values()) counts[outcome]! += 1;

  return counts;
}

function checkRows(played: Played, rows: readonly Row[]) {
  const { engine, results, seen } = played;
  for (const row of rows) {
    const result = results.find(
      (r) => r.event === row.event || `line ${r.line}` === row.event,
    );
    expect(result, row.event).toBeDefined();
    const label = `${row.event}: ${JSON.stringify(result)}`;

    expect(result!.outcome, label).toBe(row.outcome ?? 'applied');
    if (row.rules) expect(result!.rules, label).toEqual(row.rules);
    if (row.command === null) expect(result!.commands, label).toEqual([]);
    if (row.command) {
      expect(result!.commands, label).toHaveLength(1);
      expect(result!.commands[0], label).toMatchObject(row.command);
    }
    for (const [id, statuses] of Object.entries(row.after ?? {})) {
      expect(seen.get(result!)?.[id], `${row.event} ${id}`).toMatchObject(
        statuses,
      );
    }
    row.check?.(result!, engine);
  }
}

function finalStatuses(engine: Engine, ids: readonly string[]) {
  return Object.fromEntries(ids.map((id) => [id, engine.record(id)?.statuses]));
}

describe('sales-order-lifecycle.jsonl', () => {
  const played = play('sales-order-lifecycle', 'salesOrder');
  const order = 'order:DH-0001';
  const invoice = 'invoice:HD-0001';

  it('reports every row of the scenario table (CUS-A1, PRD-C1, SO-C1, SO-C4, SO-A1, SO-A2, SO-A3, INV-C1, INV-C3, INV-A1, INV-A3)', () => {
    checkRows(played, [
      {
        event: 'so-01',
        rules: ['CUS-A1'],
        command: {
          target: 'crm',
          type: 'customer.create',
          data: { owner: 'NV-07' },
        },
        after: { 'customer:KH-0001': { link: 'linked' } },
      },
      ...['so-02', 'so-03'].map((event, i) => ({
        event,
        rules: ['PRD-C1'],
        command: { target: 'act' as const, type: 'product.upsert' },
        after: {
          [`product:${['SP-GHE', 'SP-BAN'][i]}`]: { link: 'linked' },
        },
      })),
      {
        event: 'so-04',
        rules: ['SO-C1'],
        command: null,
        after: { [order]: { revenue: 'draft' } },
      },
      {
        event: 'so-05',
        rules: ['SO-C4'],
        command: { target: 'act', type: 'salesOrder.upsert' },
        after: { [order]: { revenue: 'proposed' } },
      },
      {
        event: 'so-06',
        rules: ['SO-A1'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: {
            revenueStatus: 'recorded',
            revenueRows: [{ amount: '19300000', postingDate: '2026-11-03' }],
          },
        },
        after: { [order]: { revenue: 'recorded' } },
      },
      {
        event: 'so-07',
        rules: ['SO-A3'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { status: 'inProgress' },
        },
        after: { [order]: { status: 'inProgress' } },
      },
      {
        event: 'so-08',
        rules: ['SO-A2'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: {
            receivedAmount: '5000000',
            remainingAmount: '14300000',
            deliveryStatus: 'partiallyDelivered',
            paymentStatus: 'partiallyPaid',
          },
        },
        after: {
          [order]: { delivery: 'partiallyDelivered', payment: 'partiallyPaid' },
        },
      },
      {
        event: 'so-09',
        rules: ['INV-C1'],
        command: null,
        after: { [invoice]: { invoice: 'draft' } },
      },
      {
        event: 'so-10',
        rules: ['INV-C3'],
        command: { target: 'act', type: 'invoiceRequest.upsert' },
        after: { [invoice]: { invoice: 'proposed' } },
      },
      {
        event: 'so-11',
        rules: ['INV-A1'],
        command: {
          target: 'crm',
          type: 'invoice.update',
          data: { status: 'approved' },
        },
        after: { [invoice]: { invoice: 'approved' } },
      },
      {
        event: 'so-12',
        rules: ['INV-A3'],
        command: {
          target: 'crm',
          type: 'invoice.update',
          data: { status: 'issued', number: '0000123', date: '2026-11-06' },
        },
        after: { [invoice]: { invoice: 'issued' } },
      },
      {
        event: 'so-13',
        rules: ['SO-A2'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: {
            remainingAmount: '0',
            deliveryStatus: 'delivered',
            paymentStatus: 'paid',
          },
        },
        after: { [order]: { delivery: 'delivered', payment: 'paid' } },
      },
      {
        event: 'so-14',
        rules: ['SO-A3'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { status: 'completed' },
        },
        after: { [order]: { status: 'completed' } },
      },
    ]);
  });

  it('ends with the order recorded, delivered, paid and completed, the invoice issued and everything linked', () => {
    expect(
      finalStatuses(played.engine, [
        order,
        invoice,
        'customer:KH-0001',
        'product:SP-GHE',
        'product:SP-BAN',
      ]),
    ).toEqual({
      [order]: {
        revenue: 'recorded',
        delivery: 'delivered',
        payment: 'paid',
        status: 'completed',
      },
      [invoice]: { invoice: 'issued' },
      'customer:KH-0001': { link: 'linked' },
      'product:SP-GHE': { link: 'linked' },
      'product:SP-BAN': { link: 'linked' },
    });
  });

  it('counts 14 events, all applied', () => {
    expect(summary(played.results)).toEqual({
      events: 14,
      applied: 14,
      duplicate: 0,
      stale: 0,
      invalid: 0,
      conflict: 0,
      parked: 0,
    });
  });
});

describe('contract-lifecycle.jsonl', () => {
  const played = play('contract-lifecycle', 'contract');
  const order = 'order:HDB-0042';
  const cancellation = 'cancellation:HDS-0001';

  it('reports every row of the scenario table (CUS-A1, CT-C1, CT-A1, CT-A3, CT-A4, CT-C7, CT-A8, CT-A5, CT-A7, CT-A2)', () => {
    checkRows(played, [
      {
        event: 'ct-01',
        rules: ['CUS-A1'],
        command: { target: 'crm', type: 'customer.create' },
        after: { 'customer:KH-0200': { link: 'linked' } },
      },
      {
        event: 'ct-02',
        rules: ['CT-C1'],
        command: {
          target: 'act',
          type: 'contract.upsert',
          data: { revenueStatus: 'proposed', total: '54000000' },
        },
        after: { [order]: { revenue: 'proposed' } },
      },
      {
        event: 'ct-03',
        rules: ['CT-A1'],
        command: { target: 'crm', type: 'order.update' },
        check: (result) => {
          expect(result.commands[0]?.data).toEqual({
            paymentDeadline: '2026-11-15',
          });
          expect(result.notices).toEqual([
            expect.objectContaining({
              code: 'ignoredField',
              field: 'data.projectCode',
            }),
          ]);
        },
      },
      {
        event: 'ct-04',
        rules: ['CT-A3'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: {
            revenueStatus: 'recorded',
            revenueRows: [{ amount: '54000000' }],
          },
        },
        after: { [order]: { revenue: 'recorded' } },
      },
      {
        event: 'ct-05',
        rules: ['CT-A4'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { postingDate: '2026-10-01' },
        },
      },
      {
        event: 'ct-06',
        rules: ['CT-C7'],
        command: {
          target: 'act',
          type: 'contract.proposeCancellation',
          data: { proposal: 'HDS-0001', amount: '9000000' },
        },
        after: { [cancellation]: { cancellation: 'proposed' } },
      },
      {
        event: 'ct-07',
        rules: ['CT-A8'],
        command: {
          target: 'crm',
          type: 'cancellation.update',
          data: { status: 'approved', row: { amount: '-9000000' } },
        },
        after: { [cancellation]: { cancellation: 'approved' } },
      },
      {
        event: 'ct-08',
        rules: ['CT-A5'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: {
            invoiced: true,
            invoiceDate: '2026-10-25',
            invoicedAmount: '45000000',
          },
        },
      },
      {
        event: 'ct-09',
        rules: ['CT-A7'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { paymentStatus: 'partiallyPaid' },
        },
        after: { [order]: { payment: 'partiallyPaid' } },
      },
      {
        event: 'ct-10',
        rules: ['CT-A7'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { remainingAmount: '0', paymentStatus: 'paid' },
        },
        after: { [order]: { payment: 'paid' } },
      },
      {
        event: 'ct-11',
        rules: ['CT-A2'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { status: 'inProgress' },
        },
        after: { [order]: { status: 'inProgress' } },
      },
    ]);
  });

  it('ends with the contract order recorded, paid, in progress, without a delivery status', () => {
    expect(finalStatuses(played.engine, [order, cancellation])).toEqual({
      [order]: { revenue: 'recorded', payment: 'paid', status: 'inProgress' },
      [cancellation]: { cancellation: 'approved' },
    });
  });

  it('counts 11 events, all applied', () => {
    expect(summary(played.results)).toMatchObject({
      events: 11,
      applied: 11,
      conflict: 0,
      invalid: 0,
    });
  });
});

describe('customers-and-products.jsonl', () => {
  const played = play('customers-and-products', 'salesOrder');

  it('reports every row of the scenario table (CUS-C1..C5, CUS-A1, CUS-A2, CUS-A4, CUS-A6, PRD-A1, PRD-C1, PRD-C2, QUO-C1, QUO-C2)', () => {
    checkRows(played, [
      {
        event: 'cp-01',
        rules: ['CUS-C1'],
        command: null,
        after: { 'customer:KH-0300': { link: 'crmOnly' } },
      },
      { event: 'cp-02', rules: ['CUS-C2'], command: null },
      {
        event: 'cp-03',
        rules: ['CUS-A6'],
        command: null,
        after: { 'customer:KH-0300': { link: 'linked' } },
      },
      {
        event: 'cp-04',
        rules: ['CUS-C2'],
        command: { target: 'act', type: 'customer.update' },
      },
      {
        event: 'cp-05',
        rules: ['CUS-A1'],
        command: {
          target: 'crm',
          type: 'contact.create',
          data: { owner: 'NV-01' },
        },
        after: { 'customer:KH-0301': { link: 'linked' } },
      },
      { event: 'cp-06', rules: ['CUS-A2'], command: null },
      {
        event: 'cp-07',
        rules: ['CUS-C1'],
        command: null,
        after: { 'customer:KH-0302': { link: 'crmOnly' } },
      },
      {
        event: 'cp-08',
        outcome: 'conflict',
        rules: ['CUS-A1'],
        command: null,
        after: { 'customer:KH-0302': { link: 'crmOnly' } },
      },
      {
        event: 'cp-09',
        rules: ['CUS-C3'],
        command: null,
        after: { 'customer:KH-0300': { link: 'linked' } },
      },
      { event: 'cp-10', rules: ['CUS-A4'], command: null },
      {
        event: 'cp-11',
        rules: ['CUS-C5'],
        command: null,
        after: { 'customer:KH-0310': { link: 'crmOnly' } },
      },
      {
        event: 'cp-12',
        rules: ['PRD-A1'],
        command: { target: 'crm', type: 'product.upsert' },
        after: { 'product:VT-0001': { link: 'linked' } },
      },
      {
        event: 'cp-13',
        rules: ['PRD-C1'],
        command: { target: 'act', type: 'product.upsert' },
      },
      { event: 'cp-14', rules: ['PRD-C2'], command: null },
      {
        event: 'cp-15',
        rules: ['QUO-C1'],
        command: { target: 'act', type: 'quote.upsert' },
        after: { 'quote:BG-0007': { link: 'linked' } },
      },
      {
        event: 'cp-16',
        rules: ['QUO-C2'],
        command: null,
        after: { 'quote:BG-0008': { link: 'crmOnly' } },
      },
    ]);
  });

  it('lists the KH-0302 duplicate code among the conflicts', () => {
    expect(played.engine.conflicts()).toMatchObject([
      {
        eventId: 'cp-08',
        recordId: 'customer:KH-0302',
        error: { code: 'duplicateCode' },
      },
    ]);
  });

  it('counts 16 events: 15 applied, 1 conflict', () => {
    expect(summary(played.results)).toEqual({
      events: 16,
      applied: 15,
      duplicate: 0,
      stale: 0,
      invalid: 0,
      conflict: 1,
      parked: 0,
    });
  });
});

describe('bad-input.jsonl', () => {
  const played = play('bad-input', 'salesOrder');
  const order = 'order:DH-0900';
  const byLine = (line: number) =>
    played.results.filter((r) => r.line === line);

  it('reports one result per line with the outcome of the scenario table', () => {
    expect(played.results.map((r) => [r.line, r.outcome])).toEqual([
      [1, 'applied'],
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'applied'],
      [7, 'duplicate'],
      [8, 'parked'],
      [9, 'applied'],
      [10, 'stale'],
      [11, 'invalid'],
      [12, 'applied'],
    ]);
  });

  it('explains each invalid line with its field', () => {
    expect(byLine(2)[0]).toMatchObject({
      event: null,
      rules: [],
      error: { code: 'notJson' },
    });
    expect(byLine(3)[0]?.error).toMatchObject({ field: 'type' });
    expect(byLine(3)[0]?.error?.message).toContain('order.teleported');
    expect(byLine(4)[0]?.error).toMatchObject({ field: 'key' });
    expect(byLine(5)[0]?.error).toMatchObject({
      field: 'data.lines[0].deliveredQuantity',
    });
    expect(byLine(11)[0]?.error).toMatchObject({ code: 'wrongOrderTarget' });
  });

  it('applies lines 1, 6, 9 and 12 with SO-C1, SO-C4, SO-A3 and SO-A2', () => {
    checkRows(played, [
      { event: 'bad-01', rules: ['SO-C1'], command: null },
      {
        event: 'bad-06',
        rules: ['SO-C4'],
        command: { target: 'act', type: 'salesOrder.upsert' },
      },
      {
        event: 'bad-08',
        rules: ['SO-A3'],
        command: { target: 'crm', type: 'order.update' },
      },
      {
        event: 'bad-11',
        rules: ['SO-A2'],
        command: {
          target: 'crm',
          type: 'order.update',
          data: { deliveryStatus: 'delivered', paymentStatus: 'paid' },
        },
      },
    ]);
  });

  it('reports the duplicate, parked and stale lines with no rule or command', () => {
    for (const line of [7, 8, 10]) {
      expect(byLine(line)[0]).toMatchObject({ rules: [], commands: [] });
    }
    expect(byLine(7)[0]?.event).toBe('bad-06');
    expect(byLine(8)[0]).toMatchObject({
      event: 'bad-07',
      error: { code: 'recordNotSeen' },
    });
    expect(played.engine.parked().map((p) => p.recordId)).toEqual([
      'order:DH-9999',
    ]);
  });

  it('ends with DH-0900 proposed, delivered, paid and in progress', () => {
    expect(finalStatuses(played.engine, [order])).toEqual({
      [order]: {
        revenue: 'proposed',
        delivery: 'delivered',
        payment: 'paid',
        status: 'inProgress',
      },
    });
  });

  it('counts 12 events: applied 4, invalid 5, duplicate 1, parked 1, stale 1', () => {
    expect(summary(played.results)).toEqual({
      events: 12,
      applied: 4,
      duplicate: 1,
      stale: 1,
      invalid: 5,
      conflict: 0,
      parked: 1,
    });
  });
});
