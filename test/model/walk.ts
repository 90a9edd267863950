/**
 * State-aware event logs for property tests: a walk over a few records where
 * the oracle's model of each record picks the next event, mostly one its
 * state accepts (by §3 From) and sometimes one it refuses, with payloads
 * read from the model (the order's lines, total, revenue table).
 */
import type { OrderTarget } from '../../src/types.js';
import { ORDER_VARIANTS, variantData } from './cases.js';
import { canon, exact, minus, plus, text, total } from './exact.js';
import {
  createOracle,
  orderTotalOf,
  type Oracle,
  type WireEvent,
} from './oracle.js';
import { CLAUSES } from './rules.js';

/** A deterministic source of small choices, from numbers fast-check gives. */
export class Chooser {
  private index = 0;

  constructor(private readonly seeds: readonly number[]) {}

  /** A whole number in [0, n). */
  below(n: number): number {
    const seed = this.seeds[this.index % this.seeds.length] ?? 0;
    const round = Math.floor(this.index / Math.max(this.seeds.length, 1));
    this.index += 1;

    return Math.abs((seed * 7919 + round * 104729) % n);
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** True with probability about `p`. */
  chance(p: number): boolean {
    return this.below(1000) < p * 1000;
  }
}

const ORDERS = ['DH-1', 'DH-2'];
const INVOICES = ['HD-1', 'HD-2'];
const STATUSES = [
  'notStarted',
  'inProgress',
  'fullyDelivered',
  'completed',
  'cancelled',
];

/** A decimal as a JSON number when it reads back the same, else as text. */
function either(value: string, choose: Chooser): string | number {
  return choose.chance(0.5) && String(Number(value)) === value
    ? Number(value)
    : value;
}

/** The order event types §3 lets the order's revenue state take. */
function acceptedOrderTypes(target: OrderTarget, state: string): string[] {
  return CLAUSES.filter(
    (c) =>
      c.kind === 'order' &&
      c.target === target &&
      c.from !== 'any' &&
      c.from.includes(state),
  ).flatMap((c) => [...c.types]);
}

const CRM_ORDER_TYPES = [
  'order.updated',
  'order.deleted',
  'order.proposed',
  'order.recorded',
  'order.rejected',
  'order.withdrawn',
  'order.cancellationProposed',
];

function actOrderTypes(target: OrderTarget): string[] {
  return target === 'contract'
    ? [
        'contract.edited',
        'contract.statusUpdated',
        'contract.revenueRecorded',
        'contract.revenueRejected',
        'contract.revenueUnrecorded',
        'contract.revenueDateMoved',
        'contract.invoicingUpdated',
        'contract.paymentDeadlineUpdated',
        'contract.receiptsUpdated',
        'contract.cancellationApproved',
        'contract.cancellationRejected',
      ]
    : [
        'salesOrder.revenueRecorded',
        'salesOrder.revenueUnrecorded',
        'salesOrder.fulfilmentUpdated',
        'salesOrder.statusUpdated',
      ];
}

/** A record family a walk draws events from. */
export type Family = 'order' | 'invoice' | 'people' | 'product' | 'quote';

/** Every family, orders weighted up. */
export const FAMILIES: readonly Family[] = [
  'order',
  'order',
  'order',
  'invoice',
  'people',
  'product',
  'quote',
];

/**
 * Picks events for the state the oracle's model is in; the caller sends each
 * to the oracle (and the engine) to move on.
 */
export function createWalker(target: OrderTarget, oracle: Oracle) {
  let proposals = 0;

  const at = (i: number) => {
    const day = String(1 + (i % 28)).padStart(2, '0');

    return `2026-11-${day}T${String(i % 24).padStart(2, '0')}:15:00+07:00`;
  };

  function orderEvent(choose: Chooser, i: number): Omit<WireEvent, 'id'> {
    const key = choose.pick(ORDERS);
    const order = oracle.order(key);
    const base = { at: at(i), key };
    if (!order || choose.chance(0.03)) {
      if (order || choose.chance(0.85)) {
        const variant = choose.pick(ORDER_VARIANTS);
        const status = choose.pick(['draft', 'proposed'] as const);

        return {
          ...base,
          source: 'crm',
          type: choose.pick(['order.created', 'order.imported']),
          data: variantData(variant, status),
        };
      }
    }

    // Never seen: an event that is not a creation, which the engine parks.
    const state = order?.revenue ?? 'absent';
    const accepted = acceptedOrderTypes(target, state).filter(
      (t) => t !== 'order.created' && t !== 'order.imported',
    );
    const all = [...CRM_ORDER_TYPES, ...actOrderTypes(target)];
    const type =
      accepted.length > 0 && choose.chance(0.7)
        ? choose.pick(accepted)
        : choose.pick(all);
    const source = type.startsWith('order.') ? 'crm' : 'act';
    const amount = order ? orderTotalOf(order) : '1000';
    const vnd = !order || order.currency === 'VND';
    const third = vnd
      ? text(minus(exact(amount), exact('1')))
      : text({
          n: (exact(amount).n * 100n) / (3n * 10n ** BigInt(exact(amount).s)),
          s: 2,
        });
    const row = order?.rows.filter((r) => r.kind === 'recording').at(-1);
    const net = order ? text(total(order.rows.map((r) => r.amount))) : '0';

    const data = ((): Record<string, unknown> => {
      switch (type) {
        case 'order.updated':
          return choose.pick([
            {},
            { deliveryDeadline: '2026-12-01' },
            {
              revenueStatus: choose.pick([
                'draft',
                'proposed',
                'recorded',
                'rejected',
              ]),
            },
            { total: 250002 },
            {
              lines: (order?.lines ?? []).map((l, n) => ({
                line: l.line,
                quantity:
                  n === 0 ? choose.pick(['2', '3', l.quantity]) : l.quantity,
                unitPrice: l.unitPrice,
              })),
            },
          ]);
        case 'order.rejected':
          return { reason: 'Sai giá' };
        case 'order.cancellationProposed': {
          proposals += 1;
          const positive = exact(net).n > 0n ? net : '1';

          return {
            proposal:
              proposals > 1 && choose.chance(0.15)
                ? `HDS-${proposals - 1}`
                : `HDS-${proposals}`,
            amount: choose.pick([
              positive,
              vnd
                ? canon(
                    text({
                      n:
                        exact(positive).n /
                        2n /
                        10n ** BigInt(exact(positive).s),
                      s: 0,
                    }),
                  )
                : positive,
              text(plus(exact(positive), exact('1'))),
              '0',
            ]),
            ...(choose.chance(0.5) ? { date: '2026-11-20' } : {}),
          };
        }
        case 'salesOrder.revenueRecorded':
        case 'contract.revenueRecorded':
          return { postingDate: '2026-11-04', amount: either(amount, choose) };
        case 'salesOrder.revenueUnrecorded':
        case 'contract.revenueUnrecorded':
        case 'contract.revenueRejected':
          return choose.pick([
            {},
            row ? { postingDate: row.postingDate, amount: row.amount } : {},
            { postingDate: '2020-01-01' },
          ]);
        case 'salesOrder.statusUpdated':
        case 'contract.statusUpdated':
          return { status: choose.pick(STATUSES) };
        case 'salesOrder.fulfilmentUpdated': {
          const lines = (order?.lines ?? []).map((l) => ({
            line: choose.chance(0.5) ? Number(l.line) || l.line : l.line,
            deliveredQuantity: either(
              choose.pick([
                '0',
                l.quantity,
                text(plus(exact(l.quantity), exact('0.1'))),
                text({ n: exact(l.quantity).n / 2n, s: exact(l.quantity).s }),
              ]),
              choose,
            ),
          }));

          return {
            ...(choose.chance(0.7)
              ? { lines: lines.filter(() => choose.chance(0.8)) }
              : {}),
            ...(choose.chance(0.3)
              ? { lines: [{ line: 99, deliveredQuantity: 1 }] }
              : {}),
            ...receipts(),
            ...(choose.chance(0.3) ? { invoicedAmount: amount } : {}),
          };
        }
        case 'contract.receiptsUpdated':
          return receipts();
        case 'contract.edited':
          return choose.pick([
            { status: choose.pick(STATUSES), paymentDeadline: '2026-11-15' },
            { invoiced: true, projectCode: 'DA-01' },
            {},
          ]);
        case 'contract.revenueDateMoved':
          return { postingDate: '2026-10-01' };
        case 'contract.invoicingUpdated':
          return {
            invoiced: true,
            invoiceDate: '2026-10-25',
            invoicedAmount: amount,
          };
        case 'contract.paymentDeadlineUpdated':
          return { paymentDeadline: choose.pick(['2026-11-15', '2026-12-15']) };
        case 'contract.cancellationApproved':
        case 'contract.cancellationRejected':
          return {
            proposal: `HDS-${proposals > 0 ? 1 + choose.below(proposals + 1) : 1}`,
          };
        default:
          return {};
      }

      function receipts(): Record<string, unknown> {
        if (!choose.chance(0.7)) return {};

        return choose.pick([
          { receivedAmount: 0 },
          { receivedAmount: either(third, choose) },
          {
            receivedAmount: either(amount, choose),
            receipts: [{ number: 'PT-1', amount }],
          },
          { receivedAmount: text(plus(exact(amount), exact('1'))) },
          {
            receivedAmount: third,
            remainingAmount: choose.pick([0, '-5', '7']),
          },
        ]);
      }
    })();

    return { ...base, source, type, data };
  }

  function invoiceEvent(choose: Chooser, i: number): Omit<WireEvent, 'id'> {
    const key = choose.pick(INVOICES);
    const state = oracle.record(`invoice:${key}`)?.status ?? 'absent';
    const base = { at: at(i), key };
    if (state === 'absent' && choose.chance(0.85)) {
      return {
        ...base,
        source: 'crm',
        type: choose.pick(['invoice.created', 'invoice.imported']),
        data: {
          order: choose.pick(ORDERS),
          status: choose.pick(['draft', 'proposed']),
          amount: 20000,
          ...(choose.chance(0.5) ? { description: 'Xuất hóa đơn' } : {}),
        },
      };
    }

    return choose.pick([
      {
        ...base,
        source: 'crm',
        type: 'invoice.updated',
        data: choose.pick([
          {},
          { amount: '15000' },
          { status: choose.pick(['draft', 'proposed', 'issued']) },
        ]),
      },
      { ...base, source: 'crm', type: 'invoice.deleted', data: {} },
      { ...base, source: 'crm', type: 'invoice.proposed', data: {} },
      { ...base, source: 'crm', type: 'invoice.withdrawn', data: {} },
      { ...base, source: 'act', type: 'invoice.approved', data: {} },
      {
        ...base,
        source: 'act',
        type: 'invoice.rejected',
        data: { reason: 'Sai mã số thuế' },
      },
      {
        ...base,
        source: 'act',
        type: 'invoice.issued',
        data: { number: '0000123', date: '2026-11-06' },
      },
      { ...base, source: 'act', type: 'invoice.issuanceRejected', data: {} },
      {
        ...base,
        source: 'act',
        type: 'invoice.cancelled',
        data: { reason: 'Hủy' },
      },
    ] as Omit<WireEvent, 'id'>[]);
  }

  function peopleEvent(choose: Chooser, i: number): Omit<WireEvent, 'id'> {
    // KH-1 is a customer on CRM; KH-2 a contact, which ACT creates only as a
    // personal customer, so that both apps' events stay on one record.
    const key = choose.pick(['KH-1', 'KH-2']);
    const contact = key === 'KH-2';
    const known =
      oracle.record(`customer:${key}`) ?? oracle.record(`contact:${key}`);
    const base = { at: at(i), key };
    const verb = choose.pick([
      'created',
      'imported',
      'updated',
      'deleted',
      'merged',
    ]);
    if (choose.chance(0.5)) {
      return {
        ...base,
        source: 'crm',
        type: `${contact ? 'contact' : 'customer'}.${verb}`,
        data: choose.pick([{ name: 'An Phát' }, { name: 'An Phát Mới' }]),
      };
    }
    if (contact && !known) {
      return {
        ...base,
        source: 'act',
        type: `customer.${choose.pick(['created', 'imported', 'updated'])}`,
        data: { name: 'Nguyễn Văn An', personal: true, salesEmployee: 'NV-07' },
      };
    }
    const fetch = choose.chance(0.2);

    return {
      ...base,
      source: 'act',
      type: fetch ? 'customer.fetched' : `customer.${verb}`,
      data: fetch
        ? {}
        : choose.pick([
            { name: 'An Phát', salesEmployee: 'NV-07' },
            { name: 'An Phát ACT' },
            // Only the seller: the owner is set at creation only (CUS-A2).
            verb === 'created' || verb === 'imported'
              ? { name: 'An Phát', salesEmployee: 'NV-09' }
              : { salesEmployee: 'NV-09' },
          ]),
    };
  }

  function productEvent(choose: Chooser, i: number): Omit<WireEvent, 'id'> {
    const verb = choose.pick([
      'created',
      'imported',
      'updated',
      'deleted',
      'merged',
    ]);

    return {
      at: at(i),
      key: choose.pick(['SP-1', 'SP-2']),
      source: choose.pick(['crm', 'act']),
      type: `product.${verb}`,
      data: choose.pick([
        { name: 'Ghế', price: 150000 },
        { name: 'Ghế', price: '160000' },
      ]),
    };
  }

  function quoteEvent(choose: Chooser, i: number): Omit<WireEvent, 'id'> {
    return {
      at: at(i),
      key: choose.pick(['BG-1', 'BG-2']),
      source: 'crm',
      type: `quote.${choose.pick(['created', 'updated', 'deleted', 'imported'])}`,
      data: choose.pick([{ total: 10000 }, { total: '12000' }]),
    };
  }

  /** The next event of a family, chosen for the model's current state. */
  function next(choose: Chooser, family: Family, i: number) {
    switch (family) {
      case 'order':
        return orderEvent(choose, i);
      case 'invoice':
        return invoiceEvent(choose, i);
      case 'people':
        return peopleEvent(choose, i);
      case 'product':
        return productEvent(choose, i);
      default:
        return quoteEvent(choose, i);
    }
  }

  return { next };
}

/** Options of a walk. */
export interface WalkOptions {
  target: OrderTarget;
  /** How many events. */
  length: number;
  /** Record families to draw from; all by default. */
  families?: readonly Family[];
}

/**
 * Builds a log of `length` events by walking the oracle's model: each event
 * is chosen for the state the model is in when it is sent.
 *
 * @example
 * const log = walk(new Chooser([3, 1, 4]), { target: 'contract', length: 20 });
 */
export function walk(choose: Chooser, options: WalkOptions): WireEvent[] {
  const oracle = createOracle({ orderTarget: options.target });
  const walker = createWalker(options.target, oracle);
  const families = options.families ?? FAMILIES;
  const log: WireEvent[] = [];
  for (let i = 0; i < options.length; i++) {
    const event = walker.next(choose, choose.pick(families), i);
    const wire = { id: `w-${String(i).padStart(4, '0')}`, ...event };
    log.push(wire);
    oracle.decide(wire);
  }

  return log;
}
