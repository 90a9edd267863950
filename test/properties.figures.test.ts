import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index.js';
import type { OrderTarget } from '../src/types.js';
import { cmp, exact, minus, times, total, type Exact } from './model/exact.js';
import { configureSeed } from './model/seed.js';

const seed = configureSeed(40);
const AT = '2026-11-03T09:00:00+07:00';
const KEY = 'DH-0001';
const ZERO = exact('0');

interface Line {
  line: number;
  quantity: string;
  unitPrice: string;
}

/** What a test sends after the order is created. */
type Step =
  | { kind: 'fulfil'; delivered: (string | null)[] }
  | { kind: 'receipts'; received?: string; remaining?: string }
  | { kind: 'editLines'; quantities: string[] }
  | { kind: 'editTotal'; total: string };

interface Scenario {
  currency: 'VND' | 'USD';
  lines: Line[];
  total?: string;
  steps: Step[];
}

/** Decimal text with up to `places` decimals from an integer. */
const decimal = (places: number) => (n: number) => {
  const text = String(n).padStart(places + 1, '0');

  return places === 0
    ? text
    : `${text.slice(0, -places)}.${text.slice(-places)}`;
};

/** §2's traps, written out. */
const TRAPS: Scenario[] = [
  {
    currency: 'VND',
    lines: [
      { line: 1, quantity: '0.1', unitPrice: '100000' },
      { line: 2, quantity: '0.2', unitPrice: '50000' },
    ],
    steps: [{ kind: 'fulfil', delivered: ['0.1', '0.2'] }],
  },
  {
    currency: 'USD',
    lines: [
      { line: 1, quantity: '1', unitPrice: '0.1' },
      { line: 2, quantity: '1', unitPrice: '0.2' },
    ],
    steps: [{ kind: 'receipts', received: '0.3' }],
  },
  {
    currency: 'VND',
    lines: [{ line: 1, quantity: '1', unitPrice: '100000' }],
    steps: [
      { kind: 'receipts', received: '33333' },
      { kind: 'receipts', received: '66666' },
      { kind: 'receipts', received: '100000' },
    ],
  },
  {
    currency: 'VND',
    lines: [
      { line: 1, quantity: '33333', unitPrice: '1' },
      { line: 2, quantity: '33333', unitPrice: '1' },
      { line: 3, quantity: '33334', unitPrice: '1' },
    ],
    steps: [{ kind: 'fulfil', delivered: ['33333', '33333', '33334'] }],
  },
  {
    currency: 'VND',
    lines: [{ line: 1, quantity: '1', unitPrice: '250000' }],
    total: '250002',
    steps: [{ kind: 'receipts', received: '250000' }],
  },
  {
    currency: 'VND',
    lines: [
      { line: 1, quantity: '5', unitPrice: '1000' },
      { line: 2, quantity: '5', unitPrice: '1000' },
    ],
    steps: [
      { kind: 'fulfil', delivered: ['7', '3'] },
      { kind: 'fulfil', delivered: ['7', '2.9'] },
    ],
  },
];

const quantity = fc.oneof(
  fc.constantFrom('0.1', '0.2', '0.3', '33333', '33334', '1.5', '2'),
  fc.integer({ min: 1, max: 5000 }).map(decimal(2)),
);

function scenario(): fc.Arbitrary<Scenario> {
  return fc
    .record({
      currency: fc.constantFrom<'VND' | 'USD'>('VND', 'USD'),
      count: fc.integer({ min: 1, max: 3 }),
      quantities: fc.array(quantity, { minLength: 3, maxLength: 3 }),
      prices: fc.array(fc.integer({ min: 1, max: 300000 }), {
        minLength: 3,
        maxLength: 3,
      }),
      total: fc.option(fc.integer({ min: 1, max: 500000 }), { nil: undefined }),
      steps: fc.array(step(), { minLength: 1, maxLength: 8 }),
    })
    .map(({ currency, count, quantities, prices, total: given, steps }) => {
      const price = currency === 'VND' ? decimal(0) : decimal(2);

      return {
        currency,
        lines: quantities.slice(0, count).map((q, i) => ({
          line: i + 1,
          quantity: q,
          unitPrice: price(prices[i]!),
        })),
        ...(given === undefined ? {} : { total: price(given) }),
        steps: steps.map((s) =>
          s.kind === 'fulfil'
            ? { ...s, delivered: s.delivered.slice(0, count) }
            : s.kind === 'editLines'
              ? { ...s, quantities: s.quantities.slice(0, count) }
              : s.kind === 'receipts' || s.kind === 'editTotal'
                ? roundFor(currency, s)
                : s,
        ),
      };
    });
}

/** Amounts in whole đồng for VND (§5), cents for USD. */
function roundFor(currency: string, s: Step): Step {
  const whole = (x: string | undefined) =>
    x === undefined || currency !== 'VND' ? x : x.split('.')[0]!;
  if (s.kind === 'editTotal') return { ...s, total: whole(s.total)! };
  if (s.kind !== 'receipts') return s;

  const out: Step = { kind: 'receipts' };
  if (s.received !== undefined) out.received = whole(s.received);
  if (s.remaining !== undefined) out.remaining = whole(s.remaining);

  return out;
}

function step(): fc.Arbitrary<Step> {
  const delivered = fc.option(
    fc.oneof(
      quantity,
      fc.constant('0'),
      fc.integer({ min: 0, max: 9000 }).map(decimal(2)),
    ),
    { nil: null },
  );
  const money = fc.integer({ min: 0, max: 60000000 }).map(decimal(2));

  return fc.oneof(
    fc.record({
      kind: fc.constant('fulfil' as const),
      delivered: fc.array(delivered, { minLength: 3, maxLength: 3 }),
    }),
    fc.record(
      {
        kind: fc.constant('receipts' as const),
        received: money,
        remaining: fc
          .integer({ min: -500, max: 5000000 })
          .map((n) => decimal(2)(Math.abs(n)).replace(/^/, n < 0 ? '-' : '')),
      },
      { requiredKeys: ['kind'] },
    ),
    fc.record({
      kind: fc.constant('editLines' as const),
      quantities: fc.array(quantity, { minLength: 3, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('editTotal' as const), total: money }),
  );
}

/** The test's own §2, from exact scaled integers. */
class Figures {
  quantities: Exact[];
  delivered: Exact[];
  prices: Exact[];
  given: Exact | null;
  received = ZERO;
  remaining: Exact | null = null;
  delivery = 'notDelivered';
  payment = 'unpaid';

  constructor(s: Scenario) {
    this.quantities = s.lines.map((l) => exact(l.quantity));
    this.prices = s.lines.map((l) => exact(l.unitPrice));
    this.delivered = s.lines.map(() => ZERO);
    this.given = s.total === undefined ? null : exact(s.total);
  }

  total(): Exact {
    return (
      this.given ??
      total(this.quantities.map((q, i) => times(q, this.prices[i]!)))
    );
  }

  derive(withDelivery: boolean) {
    if (withDelivery) {
      const ordered = total(this.quantities);
      const delivered = total(this.delivered);
      this.delivery =
        delivered.n === 0n
          ? 'notDelivered'
          : cmp(delivered, ordered) >= 0
            ? 'delivered'
            : 'partiallyDelivered';
    }
    const remaining = this.remaining ?? minus(this.total(), this.received);
    this.payment =
      cmp(remaining, ZERO) <= 0
        ? 'paid'
        : this.received.n === 0n
          ? 'unpaid'
          : 'partiallyPaid';
  }
}

function run(target: OrderTarget, s: Scenario) {
  const engine = createEngine({ orderTarget: target });
  const figures = new Figures(s);
  let n = 0;
  const send = (source: 'crm' | 'act', type: string, data: object) => {
    n += 1;

    return engine.handle({
      id: `f-${n}`,
      source,
      type,
      at: AT,
      key: KEY,
      data,
    });
  };
  try {
    send('crm', 'order.created', {
      revenueStatus: 'draft',
      ...(s.currency === 'VND' ? {} : { currency: s.currency }),
      lines: s.lines,
      ...(s.total === undefined ? {} : { total: s.total }),
    });
    for (const [i, st] of s.steps.entries()) {
      if (st.kind === 'editLines') {
        const lines = s.lines.map((l, k) => ({
          ...l,
          quantity: st.quantities[k]!,
        }));
        const same = lines.every(
          (l, k) => cmp(exact(l.quantity), figures.quantities[k]!) === 0,
        );
        expect(send('crm', 'order.updated', { lines }).outcome).toBe('applied');
        figures.quantities = lines.map((l) => exact(l.quantity));
        if (!same) figures.given = null;
        continue;
      }
      if (st.kind === 'editTotal') {
        expect(send('crm', 'order.updated', { total: st.total }).outcome).toBe(
          'applied',
        );
        figures.given = exact(st.total);
        continue;
      }
      if (st.kind === 'fulfil' && target === 'contract') continue;

      let result;
      if (st.kind === 'fulfil') {
        const lines = st.delivered.flatMap((d, k) =>
          d === null ? [] : [{ line: k + 1, deliveredQuantity: d }],
        );
        result = send('act', 'salesOrder.fulfilmentUpdated', { lines });
        lines.forEach(
          (l) => (figures.delivered[l.line - 1] = exact(l.deliveredQuantity)),
        );
        figures.remaining = null;
      } else {
        const data = {
          ...(st.received === undefined ? {} : { receivedAmount: st.received }),
          ...(st.remaining === undefined
            ? {}
            : { remainingAmount: st.remaining }),
        };
        result = send(
          'act',
          target === 'contract'
            ? 'contract.receiptsUpdated'
            : 'salesOrder.fulfilmentUpdated',
          data,
        );
        if (st.received !== undefined) figures.received = exact(st.received);
        figures.remaining =
          st.remaining === undefined ? null : exact(st.remaining);
      }
      figures.derive(target === 'salesOrder');

      expect(result.outcome, `step ${i + 1}`).toBe('applied');
      const statuses = engine.record(`order:${KEY}`)!.statuses;
      const want: Record<string, string> = { payment: figures.payment };
      if (target === 'salesOrder') want.delivery = figures.delivery;

      expect(
        statuses,
        `after step ${i + 1}: ${JSON.stringify(st)}`,
      ).toMatchObject(want);
    }
  } finally {
    engine.close();
  }
}

describe(`delivery and payment from exact decimals (seed ${seed})`, () => {
  it.each(TRAPS.map((t, i) => [i + 1, t] as const))(
    'SO-A2 and CT-A7 derive the statuses exactly on trap %i',
    (_n, trap) => {
      run('salesOrder', trap);
      run('contract', trap);
    },
  );

  it.each(['salesOrder', 'contract'] as const)(
    'SO-A2 and CT-A7 on %s orders match a recomputation from scaled integers',
    (target) => {
      fc.assert(
        fc.property(fc.oneof(fc.constantFrom(...TRAPS), scenario()), (s) => {
          run(target, s);
        }),
      );
    },
  );
});
