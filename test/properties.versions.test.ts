import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index.js';
import type { OrderTarget } from '../src/types.js';
import { configureSeed } from './model/seed.js';

const seed = configureSeed(30);
const AT = '2026-11-03T09:00:00+07:00';
const KEY = 'DH-0001';

const ORDER = {
  revenueStatus: 'proposed',
  lines: [
    { line: 1, quantity: '0.1', unitPrice: 100000 },
    { line: 2, quantity: 0.2, unitPrice: 50000 },
  ],
};

const status = fc.record({
  status: fc.constantFrom(
    'notStarted',
    'inProgress',
    'fullyDelivered',
    'completed',
    'cancelled',
  ),
});
const quantity = fc.integer({ min: 0, max: 4 }).map((n) => `0.${n}`);
const amount = fc.integer({ min: 0, max: 25000 });
const date = fc
  .integer({ min: 1, max: 28 })
  .map((d) => `2026-12-${String(d).padStart(2, '0')}`);
const receipts = fc.record(
  {
    receivedAmount: amount,
    remainingAmount: fc.integer({ min: -10, max: 20000 }).map(String),
    receipts: fc.array(
      fc.record({ number: fc.constantFrom('PT-1', 'PT-2'), amount }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['receivedAmount', 'receipts'] },
);

/** The events that set whole fields, each with payloads that set them all. */
const WHOLE: {
  target: OrderTarget;
  type: string;
  data: fc.Arbitrary<object>;
}[] = [
  { target: 'salesOrder', type: 'salesOrder.statusUpdated', data: status },
  { target: 'contract', type: 'contract.statusUpdated', data: status },
  {
    target: 'salesOrder',
    type: 'salesOrder.fulfilmentUpdated',
    data: fc
      .tuple(quantity, quantity, amount, receipts)
      .map(([first, second, invoiced, paid]) => ({
        lines: [
          { line: 1, deliveredQuantity: first },
          { line: 2, deliveredQuantity: second },
        ],
        invoicedAmount: invoiced,
        ...paid,
      })),
  },
  { target: 'contract', type: 'contract.receiptsUpdated', data: receipts },
  {
    target: 'contract',
    type: 'contract.paymentDeadlineUpdated',
    data: date.map((paymentDeadline) => ({ paymentDeadline })),
  },
  {
    target: 'contract',
    type: 'contract.invoicingUpdated',
    data: fc.record({
      invoiced: fc.boolean(),
      invoiceDate: date,
      invoicedAmount: amount,
    }),
  },
];

function event(
  id: string,
  source: 'crm' | 'act',
  type: string,
  data: object,
  version?: number,
) {
  return {
    id,
    source,
    type,
    at: AT,
    key: KEY,
    data,
    ...(version === undefined ? {} : { version }),
  };
}

function newEngine(target: OrderTarget): Engine {
  const engine = createEngine({ orderTarget: target });
  engine.handle(event('create', 'crm', 'order.created', ORDER));

  return engine;
}

describe(`whole-field events with versions, in any order (seed ${seed})`, () => {
  it.each(WHOLE.map((w) => [w.type, w] as const))(
    '%s leaves the order as version order would, and older versions are stale',
    (type, { target, data }) => {
      fc.assert(
        fc.property(
          fc.array(data, { minLength: 2, maxLength: 6 }),
          fc.array(fc.integer({ min: 1, max: 3 }), {
            minLength: 6,
            maxLength: 6,
          }),
          fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 }),
          fc.nat(),
          (payloads, gaps, order, crmAt) => {
            let version = 0;
            const sent = payloads.map((payload, k) => {
              version += gaps[k]!;

              return { ...event(`v-${k}`, 'act', type, payload), version };
            });
            const arrival = sent
              .map((e, k) => ({ e, at: order[k]! }))
              .sort((a, b) => a.at - b.at)
              .map(({ e }) => e);
            // A CRM edit with a high version of its own: versions are per app.
            const edit = event(
              'crm-edit',
              'crm',
              'order.updated',
              { deliveryDeadline: '2026-12-31' },
              1000,
            );

            const engine = newEngine(target);
            const reference = newEngine(target);
            try {
              let newest = 0;
              arrival.forEach((e, k) => {
                if (k === crmAt % arrival.length) {
                  expect(engine.handle(edit).outcome).toBe('applied');
                }
                const result = engine.handle(e);
                const expected = e.version > newest ? 'applied' : 'stale';

                expect(
                  result.outcome,
                  `version ${e.version} after ${newest}`,
                ).toBe(expected);
                if (expected === 'stale') expect(result.commands).toEqual([]);
                newest = Math.max(newest, e.version);
              });
              reference.handle(edit);
              for (const e of sent) reference.handle(e);

              const got = engine.record(`order:${KEY}`)!;
              const want = reference.record(`order:${KEY}`)!;

              expect(got.statuses).toEqual(want.statuses);
              expect(got.context).toEqual(want.context);
            } finally {
              engine.close();
              reference.close();
            }
          },
        ),
      );
    },
  );
});
