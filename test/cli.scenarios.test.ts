import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Command, Result } from '../src/types.js';
import {
  EXAMPLES,
  cli,
  parseReplayTable,
  replayJson,
  type JsonReplay,
  type PeopleReplay,
} from './support/cli.js';

// Every expectation below is copied from /work/shared/scenarios/README.md and
// the labels of SYNC-RULES §2, not from running the code.

/** §2 labels, written out here so the tests do not read them from the code. */
const L = {
  draft: 'Bản nháp',
  proposed: 'Đề nghị ghi',
  recorded: 'Đã ghi doanh số',
  notDelivered: 'Chưa giao hàng',
  partiallyDelivered: 'Giao một phần',
  delivered: 'Đã giao hàng',
  unpaid: 'Chưa thanh toán',
  partiallyPaid: 'Thanh toán một phần',
  paid: 'Đã thanh toán',
  notStarted: 'Chưa thực hiện',
  inProgress: 'Đang thực hiện',
  completed: 'Đã hoàn thành',
  invoiceDraft: 'Bản nháp',
  invoiceProposed: 'Đề nghị xuất',
  invoiceApproved: 'Duyệt đề nghị',
  invoiceIssued: 'Đã xuất',
  cancellationProposed: 'Đề nghị hủy',
  cancellationApproved: 'Đồng ý hủy',
  crmOnly: 'Chỉ có trên CRM',
  linked: 'Đã liên kết',
} as const;

const labels = (...parts: string[]) => parts.join(' · ');

/** One row of a scenario table: what the README says of one line. */
interface Row {
  event: string | null;
  outcome?: Result['outcome'];
  rules: string[];
  /** `target type`, or null for "—". */
  command: string | null;
  /** The labels the table shows after the row, when the README gives them. */
  after?: string;
  /** Further checks of the README's "Result" column. */
  check?: (result: Result) => void;
}

const SCENARIO_KEYS = new Set([
  'line',
  'event',
  'outcome',
  'rules',
  'commands',
  'notices',
  'error',
]);

function commandOf(result: Result): Command {
  expect(result.commands).toHaveLength(1);

  return result.commands[0]!;
}

/** Checks a scenario's --json results and people's table row by row. */
function checkRows(json: JsonReplay, table: PeopleReplay, rows: Row[]) {
  expect(json.results).toHaveLength(rows.length);
  expect(table.rows).toHaveLength(rows.length);

  rows.forEach((row, index) => {
    const result = json.results[index]!;
    const printed = table.rows[index]!;
    const where = `line ${index + 1} (${row.event})`;

    expect(
      Object.keys(result).every((key) => SCENARIO_KEYS.has(key)),
      where,
    ).toBe(true);
    expect(result.line, where).toBe(index + 1);
    expect(result.event, where).toBe(row.event);
    expect(result.outcome, where).toBe(row.outcome ?? 'applied');
    expect(result.rules, where).toEqual(row.rules);
    if (row.command === null) {
      expect(result.commands, where).toEqual([]);
    } else {
      const command = commandOf(result);
      expect(`${command.target} ${command.type}`, where).toBe(row.command);
      expect(command.rule, where).toBe(row.rules[0]);
    }
    row.check?.(result);

    expect(printed.line, where).toBe(index + 1);
    expect(printed.outcome, where).toBe(row.outcome ?? 'applied');
    expect(printed.rules, where).toBe(row.rules.join(', '));
    const [target, type] = row.command?.split(' ') ?? [];
    expect(printed.command, where).toBe(
      row.command === null ? '—' : `→ ${target!.toUpperCase()} ${type}`,
    );
    if (row.after !== undefined) expect(printed.after, where).toBe(row.after);
  });
}

function run(file: string, extra: string[] = []) {
  const full = path.join(EXAMPLES, file);
  const json = replayJson(full, extra);
  const people = cli(['replay', full, ...extra]);
  expect(json.code).toBe(0);
  expect(json.stderr).toBe('');
  expect(people.code).toBe(0);
  expect(people.stderr).toBe('');

  return { json, table: parseReplayTable(people.stdout) };
}

const none = { duplicate: 0, stale: 0, invalid: 0, conflict: 0, parked: 0 };

describe('replay of sales-order-lifecycle.jsonl (Sales Orders)', () => {
  let json: JsonReplay;
  let table: PeopleReplay;
  beforeAll(() => ({ json, table } = run('sales-order-lifecycle.jsonl')));

  const order = (
    revenue: string,
    delivery: string,
    payment: string,
    status: string,
  ) => labels(revenue, delivery, payment, status);

  it('reports every line as the scenario table says (CUS-A1, PRD-C1, SO-C1…SO-A3, INV-C1…INV-A3)', () => {
    checkRows(json, table, [
      {
        event: 'so-01',
        rules: ['CUS-A1'],
        command: 'crm customer.create',
        after: L.linked,
        check: (r) => expect(commandOf(r).data.owner).toBe('NV-07'),
      },
      {
        event: 'so-02',
        rules: ['PRD-C1'],
        command: 'act product.upsert',
        after: L.linked,
      },
      {
        event: 'so-03',
        rules: ['PRD-C1'],
        command: 'act product.upsert',
        after: L.linked,
      },
      {
        event: 'so-04',
        rules: ['SO-C1'],
        command: null,
        after: order(L.draft, L.notDelivered, L.unpaid, L.notStarted),
      },
      {
        event: 'so-05',
        rules: ['SO-C4'],
        command: 'act salesOrder.upsert',
        after: order(L.proposed, L.notDelivered, L.unpaid, L.notStarted),
      },
      {
        event: 'so-06',
        rules: ['SO-A1'],
        command: 'crm order.update',
        after: order(L.recorded, L.notDelivered, L.unpaid, L.notStarted),
        check: (r) =>
          expect(commandOf(r).data.revenueRows).toContainEqual(
            expect.objectContaining({
              amount: '19300000',
              postingDate: '2026-11-03',
            }),
          ),
      },
      {
        event: 'so-07',
        rules: ['SO-A3'],
        command: 'crm order.update',
        after: order(L.recorded, L.notDelivered, L.unpaid, L.inProgress),
      },
      {
        event: 'so-08',
        rules: ['SO-A2'],
        command: 'crm order.update',
        after: order(
          L.recorded,
          L.partiallyDelivered,
          L.partiallyPaid,
          L.inProgress,
        ),
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({
            receivedAmount: '5000000',
            remainingAmount: '14300000',
          }),
      },
      {
        event: 'so-09',
        rules: ['INV-C1'],
        command: null,
        after: L.invoiceDraft,
      },
      {
        event: 'so-10',
        rules: ['INV-C3'],
        command: 'act invoiceRequest.upsert',
        after: L.invoiceProposed,
      },
      {
        event: 'so-11',
        rules: ['INV-A1'],
        command: 'crm invoice.update',
        after: L.invoiceApproved,
      },
      {
        event: 'so-12',
        rules: ['INV-A3'],
        command: 'crm invoice.update',
        after: L.invoiceIssued,
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({
            number: '0000123',
            date: '2026-11-06',
          }),
      },
      {
        event: 'so-13',
        rules: ['SO-A2'],
        command: 'crm order.update',
        after: order(L.recorded, L.delivered, L.paid, L.inProgress),
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({ remainingAmount: '0' }),
      },
      {
        event: 'so-14',
        rules: ['SO-A3'],
        command: 'crm order.update',
        after: order(L.recorded, L.delivered, L.paid, L.completed),
      },
    ]);
  });

  it('sums up 14 events, all applied, with the final records of the scenario', () => {
    expect(json.last.summary).toEqual({ events: 14, applied: 14, ...none });
    expect(json.last.records).toEqual({
      'customer:KH-0001': { link: 'linked' },
      'product:SP-GHE': { link: 'linked' },
      'product:SP-BAN': { link: 'linked' },
      'order:DH-0001': {
        revenue: 'recorded',
        delivery: 'delivered',
        payment: 'paid',
        status: 'completed',
      },
      'invoice:HD-0001': { invoice: 'issued' },
    });
  });

  it('lists the records in the order the log first touched them', () => {
    expect(Object.keys(json.last.records)).toEqual([
      'customer:KH-0001',
      'product:SP-GHE',
      'product:SP-BAN',
      'order:DH-0001',
      'invoice:HD-0001',
    ]);
  });

  it('prints the summary block for people with codes and Vietnamese labels', () => {
    expect(table.summary).toContain('Summary: 14 events');
    expect(table.summary).toContain(
      'applied 14 · duplicate 0 · stale 0 · invalid 0 · conflict 0 · parked 0',
    );
    expect(table.summary).toMatch(
      /order:DH-0001 +revenue +recorded \(Đã ghi doanh số\)/,
    );
    expect(table.summary).toMatch(/delivery +delivered \(Đã giao hàng\)/);
    expect(table.summary).toMatch(/payment +paid \(Đã thanh toán\)/);
    expect(table.summary).toMatch(/status +completed \(Đã hoàn thành\)/);
    expect(table.summary).toMatch(
      /invoice:HD-0001 +invoice +issued \(Đã xuất\)/,
    );
  });

  it('keeps every line of the table within 120 columns', () => {
    const people = cli([
      'replay',
      path.join(EXAMPLES, 'sales-order-lifecycle.jsonl'),
    ]);
    for (const line of people.stdout.split('\n')) {
      expect([...line].length, line).toBeLessThanOrEqual(120);
    }
  });
});

describe('replay of contract-lifecycle.jsonl (Contracts)', () => {
  let json: JsonReplay;
  let table: PeopleReplay;
  beforeAll(
    () =>
      ({ json, table } = run('contract-lifecycle.jsonl', [
        '--target',
        'contract',
      ])),
  );

  const order = (revenue: string, payment: string, status: string) =>
    labels(revenue, payment, status);

  it('reports every line as the scenario table says (CT-C1, CT-A1…CT-A8, CT-C7)', () => {
    checkRows(json, table, [
      {
        event: 'ct-01',
        rules: ['CUS-A1'],
        command: 'crm customer.create',
        after: L.linked,
      },
      {
        event: 'ct-02',
        rules: ['CT-C1'],
        command: 'act contract.upsert',
        after: order(L.proposed, L.unpaid, L.notStarted),
      },
      {
        event: 'ct-03',
        rules: ['CT-A1'],
        command: 'crm order.update',
        check: (r) => {
          expect(commandOf(r).data).toEqual({ paymentDeadline: '2026-11-15' });
          expect(r.notices).toContainEqual(
            expect.objectContaining({
              code: 'ignoredField',
              field: 'data.projectCode',
            }),
          );
        },
      },
      {
        event: 'ct-04',
        rules: ['CT-A3'],
        command: 'crm order.update',
        after: order(L.recorded, L.unpaid, L.notStarted),
        check: (r) =>
          expect(commandOf(r).data.revenueRows).toContainEqual(
            expect.objectContaining({ amount: '54000000' }),
          ),
      },
      {
        event: 'ct-05',
        rules: ['CT-A4'],
        command: 'crm order.update',
        check: (r) => expect(commandOf(r).data.postingDate).toBe('2026-10-01'),
      },
      {
        event: 'ct-06',
        rules: ['CT-C7'],
        command: 'act contract.proposeCancellation',
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({
            proposal: 'HDS-0001',
            amount: '9000000',
          }),
      },
      {
        event: 'ct-07',
        rules: ['CT-A8'],
        command: 'crm cancellation.update',
        check: (r) =>
          expect(JSON.stringify(commandOf(r).data)).toContain('"-9000000"'),
      },
      {
        event: 'ct-08',
        rules: ['CT-A5'],
        command: 'crm order.update',
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({
            invoiced: true,
            invoiceDate: '2026-10-25',
            invoicedAmount: '45000000',
          }),
      },
      {
        event: 'ct-09',
        rules: ['CT-A7'],
        command: 'crm order.update',
        after: order(L.recorded, L.partiallyPaid, L.notStarted),
      },
      {
        event: 'ct-10',
        rules: ['CT-A7'],
        command: 'crm order.update',
        after: order(L.recorded, L.paid, L.notStarted),
        check: (r) =>
          expect(commandOf(r).data).toMatchObject({ remainingAmount: '0' }),
      },
      {
        event: 'ct-11',
        rules: ['CT-A2'],
        command: 'crm order.update',
        after: order(L.recorded, L.paid, L.inProgress),
      },
    ]);
  });

  it('shows both the order and the cancellation a CT-C7 or CT-A8 event touched', () => {
    const [proposed, approved] = [table.rows[5]!, table.rows[6]!];

    expect(proposed.after).toContain(`HDS-0001: ${L.cancellationProposed}`);
    expect(proposed.after).toContain(`HDB-0042: ${L.recorded}`);
    expect(approved.after).toContain(`HDS-0001: ${L.cancellationApproved}`);
  });

  it('prints the ignoredField notice of CT-A1 under its row', () => {
    expect(table.rows[2]!.notices.join(' ')).toMatch(/^⚠ ignoredField: /);
  });

  it('sums up 11 events, all applied; the order has no delivery status', () => {
    expect(json.last.summary).toEqual({ events: 11, applied: 11, ...none });
    expect(json.last.records).toEqual({
      'customer:KH-0200': { link: 'linked' },
      'order:HDB-0042': {
        revenue: 'recorded',
        payment: 'paid',
        status: 'inProgress',
      },
      'cancellation:HDS-0001': { cancellation: 'approved' },
    });
  });
});

describe('replay of customers-and-products.jsonl', () => {
  let json: JsonReplay;
  let table: PeopleReplay;
  beforeAll(() => ({ json, table } = run('customers-and-products.jsonl')));

  it('reports every line as the scenario table says (CUS, PRD and QUO rules)', () => {
    checkRows(json, table, [
      { event: 'cp-01', rules: ['CUS-C1'], command: null, after: L.crmOnly },
      { event: 'cp-02', rules: ['CUS-C2'], command: null, after: L.crmOnly },
      { event: 'cp-03', rules: ['CUS-A6'], command: null, after: L.linked },
      {
        event: 'cp-04',
        rules: ['CUS-C2'],
        command: 'act customer.update',
        after: L.linked,
      },
      {
        event: 'cp-05',
        rules: ['CUS-A1'],
        command: 'crm contact.create',
        after: L.linked,
        check: (r) => expect(commandOf(r).data.owner).toBe('NV-01'),
      },
      { event: 'cp-06', rules: ['CUS-A2'], command: null, after: L.linked },
      { event: 'cp-07', rules: ['CUS-C1'], command: null, after: L.crmOnly },
      {
        event: 'cp-08',
        outcome: 'conflict',
        rules: ['CUS-A1'],
        command: null,
        check: (r) => expect(r.error?.code).toBeTruthy(),
      },
      { event: 'cp-09', rules: ['CUS-C3'], command: null, after: L.linked },
      { event: 'cp-10', rules: ['CUS-A4'], command: null, after: L.linked },
      { event: 'cp-11', rules: ['CUS-C5'], command: null, after: L.crmOnly },
      {
        event: 'cp-12',
        rules: ['PRD-A1'],
        command: 'crm product.upsert',
        after: L.linked,
      },
      {
        event: 'cp-13',
        rules: ['PRD-C1'],
        command: 'act product.upsert',
        after: L.linked,
      },
      { event: 'cp-14', rules: ['PRD-C2'], command: null, after: L.linked },
      {
        event: 'cp-15',
        rules: ['QUO-C1'],
        command: 'act quote.upsert',
        after: L.linked,
      },
      { event: 'cp-16', rules: ['QUO-C2'], command: null, after: L.crmOnly },
    ]);
  });

  it('shows the reason of the CUS-A1 conflict in its row', () => {
    const conflict = json.results[7]!;

    expect(table.rows[7]!.after).toContain(`${conflict.error!.code}:`);
  });

  it('sums up 16 events: 15 applied, 1 conflict; KH-0302 stays crmOnly', () => {
    expect(json.last.summary).toEqual({
      events: 16,
      ...none,
      applied: 15,
      conflict: 1,
    });
    expect(json.last.records).toEqual({
      'customer:KH-0300': { link: 'linked' },
      'customer:KH-0301': { link: 'linked' },
      'customer:KH-0302': { link: 'crmOnly' },
      'customer:KH-0310': { link: 'crmOnly' },
      'product:VT-0001': { link: 'linked' },
      'quote:BG-0007': { link: 'linked' },
      'quote:BG-0008': { link: 'crmOnly' },
    });
  });
});

describe('replay of bad-input.jsonl', () => {
  let json: JsonReplay;
  let table: PeopleReplay;
  beforeAll(() => ({ json, table } = run('bad-input.jsonl')));

  const orderAfter = (delivery: string, payment: string, status: string) =>
    labels(L.proposed, delivery, payment, status);

  it('reports every line as the scenario table says, bad input included', () => {
    checkRows(json, table, [
      {
        event: 'bad-01',
        rules: ['SO-C1'],
        command: null,
        after: labels(L.draft, L.notDelivered, L.unpaid, L.notStarted),
      },
      {
        event: null,
        outcome: 'invalid',
        rules: [],
        command: null,
        check: (r) => expect(r.error).toBeDefined(),
      },
      {
        event: 'bad-03',
        outcome: 'invalid',
        rules: [],
        command: null,
        check: (r) => expect(r.error?.message).toContain('order.teleported'),
      },
      {
        event: 'bad-04',
        outcome: 'invalid',
        rules: [],
        command: null,
        check: (r) => expect(r.error?.field).toBe('key'),
      },
      {
        event: 'bad-05',
        outcome: 'invalid',
        rules: [],
        command: null,
        check: (r) =>
          expect(r.error?.field).toBe('data.lines[0].deliveredQuantity'),
      },
      {
        event: 'bad-06',
        rules: ['SO-C4'],
        command: 'act salesOrder.upsert',
        after: orderAfter(L.notDelivered, L.unpaid, L.notStarted),
      },
      { event: 'bad-06', outcome: 'duplicate', rules: [], command: null },
      {
        event: 'bad-07',
        outcome: 'parked',
        rules: [],
        command: null,
        check: (r) => expect(r.error).toBeDefined(),
      },
      {
        event: 'bad-08',
        rules: ['SO-A3'],
        command: 'crm order.update',
        after: orderAfter(L.notDelivered, L.unpaid, L.inProgress),
      },
      { event: 'bad-09', outcome: 'stale', rules: [], command: null },
      {
        event: 'bad-10',
        outcome: 'invalid',
        rules: [],
        command: null,
        check: (r) => expect(r.error).toBeDefined(),
      },
      {
        event: 'bad-11',
        rules: ['SO-A2'],
        command: 'crm order.update',
        after: orderAfter(L.delivered, L.paid, L.inProgress),
      },
    ]);
  });

  it('shows the error code in the rows of invalid and parked lines', () => {
    for (const index of [1, 2, 3, 4, 7, 10]) {
      const code = json.results[index]!.error!.code;

      expect(table.rows[index]!.after.startsWith(`${code}:`)).toBe(true);
    }
    expect(table.rows[1]!.event).toBe('—');
  });

  it('sums up 12 events: applied 4, invalid 5, duplicate 1, parked 1, stale 1', () => {
    expect(json.last.summary).toEqual({
      events: 12,
      applied: 4,
      duplicate: 1,
      stale: 1,
      invalid: 5,
      conflict: 0,
      parked: 1,
    });
    expect(json.last.records).toEqual({
      'order:DH-0900': {
        revenue: 'proposed',
        delivery: 'delivered',
        payment: 'paid',
        status: 'inProgress',
      },
    });
  });
});
