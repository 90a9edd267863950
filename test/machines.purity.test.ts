import { describe, it, expect } from 'vitest';
import {
  initialTransition,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import {
  contractCancellationMachine,
  contractMachine,
  customerMachine,
  invoiceMachine,
  productMachine,
  quoteMachine,
  salesOrderCancellationMachine,
  salesOrderMachine,
  type EventFacts,
} from '../index.js';
import type { OrderTarget } from '../src/types.js';
import {
  LINES,
  TOTAL,
  act,
  crm,
  given,
  invoiceCreated,
  newEngine,
  orderCreated,
  type TestEvent,
} from './support/events.js';

/** A record brought to a state by the engine, then an event it handles. */
interface Case {
  name: string;
  machine: AnyStateMachine;
  target?: OrderTarget;
  arrange: TestEvent[];
  /** The record whose snapshot is frozen; absent for an initial snapshot. */
  record?: string;
  event: TestEvent;
  facts?: EventFacts;
}

const ORDER = 'DH-0001';
const PROPOSAL = 'HDS-0001';
const proposed = [
  orderCreated(ORDER, { revenueStatus: 'proposed', note: { a: [1] } }),
];
const recorded = [
  ...proposed,
  act('contract.revenueRecorded', ORDER, {
    postingDate: '2026-10-03',
    amount: TOTAL,
  }),
];
const cancellation = crm('order.cancellationProposed', ORDER, {
  proposal: PROPOSAL,
  amount: '9000000',
  date: '2026-10-20',
});

const CASES: Case[] = [
  {
    name: 'salesOrderMachine on SO-A2 with lines and receipts',
    machine: salesOrderMachine,
    arrange: proposed,
    record: `order:${ORDER}`,
    event: act('salesOrder.fulfilmentUpdated', ORDER, {
      lines: [{ line: '1', deliveredQuantity: '6' }],
      receivedAmount: '5000000',
      receipts: [{ number: 'PT-1', date: '2026-11-05', amount: '5000000' }],
    }),
  },
  {
    name: 'salesOrderMachine on an SO-C1 edit of the lines',
    machine: salesOrderMachine,
    arrange: proposed,
    record: `order:${ORDER}`,
    event: crm('order.updated', ORDER, {
      lines: [{ ...LINES[0]!, quantity: '4' }],
      extraField: { b: 2 },
    }),
  },
  {
    name: 'salesOrderMachine on SO-A1 record',
    machine: salesOrderMachine,
    arrange: [...proposed, crm('order.recorded', ORDER)],
    record: `order:${ORDER}`,
    event: act('salesOrder.revenueRecorded', ORDER, {
      postingDate: '2026-11-03',
      amount: TOTAL,
    }),
  },
  {
    name: 'contractMachine on CT-A4 moving the revenue date',
    machine: contractMachine,
    target: 'contract',
    arrange: recorded,
    record: `order:${ORDER}`,
    event: act('contract.revenueDateMoved', ORDER, {
      postingDate: '2026-10-01',
    }),
  },
  {
    name: 'contractMachine on CT-A8 approve',
    machine: contractMachine,
    target: 'contract',
    arrange: [...recorded, cancellation],
    record: `order:${ORDER}`,
    event: act('contract.cancellationApproved', ORDER, { proposal: PROPOSAL }),
    facts: { cancellation: { amount: '9000000', date: '2026-10-20' } },
  },
  {
    name: 'contractMachine on CT-A1',
    machine: contractMachine,
    target: 'contract',
    arrange: recorded,
    record: `order:${ORDER}`,
    event: act('contract.edited', ORDER, {
      status: 'inProgress',
      invoiced: true,
      projectCode: 'DA-09',
    }),
  },
  {
    name: 'contractMachine on CT-A7',
    machine: contractMachine,
    target: 'contract',
    arrange: recorded,
    record: `order:${ORDER}`,
    event: act('contract.receiptsUpdated', ORDER, {
      receivedAmount: '20000000',
      receipts: [{ number: 'PT-2', date: '2026-11-10', amount: '20000000' }],
    }),
  },
  {
    name: 'contractMachine on CT-A3 unrecord',
    machine: contractMachine,
    target: 'contract',
    arrange: recorded,
    record: `order:${ORDER}`,
    event: act('contract.revenueUnrecorded', ORDER),
  },
  {
    name: 'invoiceMachine on INV-A2 with a reason',
    machine: invoiceMachine,
    arrange: [invoiceCreated('HD-0001', ORDER, { status: 'proposed' })],
    record: 'invoice:HD-0001',
    event: act('invoice.rejected', 'HD-0001', { reason: 'Sai mã số thuế' }),
  },
  {
    name: 'invoiceMachine on an INV-C1 edit',
    machine: invoiceMachine,
    arrange: [invoiceCreated('HD-0001', ORDER, { extra: { c: [3] } })],
    record: 'invoice:HD-0001',
    event: crm('invoice.updated', 'HD-0001', { amount: '1', more: [1] }),
  },
  {
    name: 'salesOrderCancellationMachine on SO-C7',
    machine: salesOrderCancellationMachine,
    arrange: [],
    event: cancellation,
  },
  {
    name: 'contractCancellationMachine on CT-A8 reject',
    machine: contractCancellationMachine,
    target: 'contract',
    arrange: [...recorded, cancellation],
    record: `cancellation:${PROPOSAL}`,
    event: act('contract.cancellationRejected', ORDER, { proposal: PROPOSAL }),
  },
  {
    name: 'customerMachine on CUS-A2',
    machine: customerMachine,
    arrange: [
      act('customer.created', 'KH-0001', {
        name: 'Hoa Sen',
        personal: true,
        salesEmployee: 'NV-07',
      }),
    ],
    record: 'customer:KH-0001',
    event: act('customer.updated', 'KH-0001', {
      name: 'Hoa Sen 2',
      tags: ['a'],
    }),
  },
  {
    name: 'customerMachine on CUS-C2',
    machine: customerMachine,
    arrange: [act('customer.fetched', 'KH-0001', { name: 'Hoa Sen' })],
    record: 'customer:KH-0001',
    event: crm('customer.updated', 'KH-0001', { name: 'Hoa Sen 3' }),
  },
  {
    name: 'productMachine on PRD-C1',
    machine: productMachine,
    arrange: [act('product.created', 'SP-1', { name: 'Ghế', price: '1' })],
    record: 'product:SP-1',
    event: crm('product.updated', 'SP-1', { name: 'Ghế 2', price: '2' }),
  },
  {
    name: 'quoteMachine on QUO-C1',
    machine: quoteMachine,
    arrange: [crm('quote.imported', 'BG-1', { total: '1' })],
    record: 'quote:BG-1',
    event: crm('quote.updated', 'BG-1', { total: '2', lines: [] }),
    facts: { syncQuotes: true },
  },
];

/** Freezes a value and everything reachable from it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }

  return value;
}

function snapshotOf(c: Case): AnyMachineSnapshot {
  if (!c.record) return initialTransition(c.machine)[0];

  const engine = newEngine(c.target ?? 'salesOrder');
  given(engine, ...c.arrange);
  const stored = engine.store.getRecord(c.record)!;

  return c.machine.resolveState(stored.snapshot as never);
}

/** What a transition decided, without function references. */
function outcome([next, actions]: [
  AnyMachineSnapshot,
  readonly { type: string; params?: unknown }[],
]) {
  return {
    status: next.status,
    value: next.value,
    context: next.context as unknown,
    actions: actions.map((action) => ({
      type: action.type,
      params: action.params,
    })),
  };
}

describe('machine purity', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s leaves a deep-frozen snapshot unchanged and repeats its output',
    (_, c) => {
      const snapshot = snapshotOf(c);
      deepFreeze(snapshot.context);
      const before = structuredClone({
        value: snapshot.value as unknown,
        context: snapshot.context as unknown,
      });
      const input = { ...c.event, facts: c.facts ?? {} };

      const first = outcome(transition(c.machine, snapshot, input as never));
      const second = outcome(transition(c.machine, snapshot, input as never));

      expect({ value: snapshot.value, context: snapshot.context }).toEqual(
        before,
      );
      expect(first.status).toBe('active');
      expect(first.actions.length).toBeGreaterThan(0);
      expect(second).toEqual(first);
    },
  );

  it('covers every machine index.ts exports', () => {
    const covered = new Set(CASES.map((c) => c.machine));

    expect(covered).toEqual(
      new Set([
        salesOrderMachine,
        contractMachine,
        invoiceMachine,
        salesOrderCancellationMachine,
        contractCancellationMachine,
        customerMachine,
        productMachine,
        quoteMachine,
      ]),
    );
  });
});
