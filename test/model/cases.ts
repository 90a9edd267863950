/**
 * Event cases for graph traversal: for each machine state, events of every
 * type the state handles (and some it refuses), with payloads that make the
 * guards pass and fail: partial, exact and excess amounts, decimals as JSON
 * numbers and as strings, the rounding traps of §2.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { EventFacts } from '../../machines/sync.js';
import { parseEvent } from '../../src/events/schema.js';
import type { App, OrderTarget, SyncEvent } from '../../src/types.js';
import { canon, cmp, exact, minus, plus, text, times, total } from './exact.js';

/** The time every generated event carries: 3 Nov in its own offset (+07). */
export const AT = '2026-11-03T00:30:00+07:00';

/** The codes the generated events are about. */
export const KEYS = {
  order: 'DH-0001',
  invoice: 'HD-0001',
  proposal: 'HDS-0001',
  customer: 'KH-0001',
  product: 'SP-0001',
  quote: 'BG-0001',
} as const;

/** An event as a graph traversal sends it to a machine, with its wire form. */
export interface CaseEvent extends SyncEvent {
  facts: EventFacts;
  /** A short name of the case, for paths in messages. */
  label: string;
  /** The data as the test sends it to the engine (JSON numbers kept). */
  raw: Record<string, unknown>;
}

/** Builds a case: the machine sees what `parseEvent` makes of `raw`. */
export function makeCase(
  target: OrderTarget,
  source: App,
  type: string,
  key: string,
  raw: Record<string, unknown>,
  label: string,
  facts: EventFacts = {},
  currency = 'VND',
): CaseEvent {
  // Traversals ask for the same cases from thousands of states: parse once.
  const id = JSON.stringify([target, source, type, key, raw, label, facts]);
  let made = made_.get(id);
  if (!made) {
    made = parseCase(target, source, type, key, raw, label, facts, currency);
    made_.set(id, made);
  }

  return made;
}

const made_ = new Map<string, CaseEvent>();

function parseCase(
  target: OrderTarget,
  source: App,
  type: string,
  key: string,
  raw: Record<string, unknown>,
  label: string,
  facts: EventFacts,
  currency: string,
): CaseEvent {
  const parsed = parseEvent(
    { id: 'graph', source, type, at: AT, key, data: raw },
    { orderTarget: target, currencyOf: () => currency },
  );
  if (!parsed.ok) {
    throw new Error(`case "${label}" is invalid: ${parsed.error.message}`);
  }

  return { ...parsed.event, facts, label, raw };
}

// Orders -------------------------------------------------------------------

interface Line {
  line: string;
  quantity: string;
  unitPrice: string;
  deliveredQuantity: string;
}

interface Row {
  source: App;
  kind: string;
  postingDate: string;
  amount: string;
}

/** The parts of an order machine's context the cases read. */
interface OrderView {
  currency: string;
  lines: Line[];
  total: string | null;
  receivedAmount: string;
  remainingAmount: string | null;
  invoiced: boolean;
  invoicedAmount: string;
  revenueRows: Row[];
}

interface Variant {
  label: string;
  type: 'order.created' | 'order.imported';
  currency: string;
  lines: {
    line: string | number;
    quantity: string | number;
    unitPrice: string | number;
  }[];
  total?: number;
  revenueStatus: 'draft' | 'proposed';
}

/** The ways an order comes to exist, each with one of §2's traps. */
export const ORDER_VARIANTS: readonly Variant[] = [
  {
    label: 'created draft: 0.1 + 0.2 of 0.3 ordered',
    type: 'order.created',
    currency: 'VND',
    revenueStatus: 'draft',
    lines: [
      { line: 1, quantity: 0.1, unitPrice: 100000 },
      { line: 2, quantity: '0.2', unitPrice: '50000' },
    ],
  },
  {
    label: 'created proposed: prices 0.1 + 0.2 USD',
    type: 'order.created',
    currency: 'USD',
    revenueStatus: 'proposed',
    lines: [
      { line: 'A', quantity: 1, unitPrice: 0.1 },
      { line: 'B', quantity: '1', unitPrice: '0.2' },
    ],
  },
  {
    label: 'imported proposed: 33333 + 33333 + 33334',
    type: 'order.imported',
    currency: 'VND',
    revenueStatus: 'proposed',
    lines: [
      { line: 1, quantity: 33333, unitPrice: 1 },
      { line: 2, quantity: '33333', unitPrice: 1 },
      { line: 3, quantity: 33334, unitPrice: '1' },
    ],
  },
  {
    label: 'imported draft: total 250002 given',
    type: 'order.imported',
    currency: 'VND',
    revenueStatus: 'draft',
    lines: [{ line: 1, quantity: 1, unitPrice: 250000 }],
    total: 250002,
  },
];

/** The data of a variant's add or import, as CRM sends it. */
export function variantData(
  variant: Variant,
  revenueStatus: string = variant.revenueStatus,
): Record<string, unknown> {
  return {
    revenueStatus,
    customer: 'KH-0001',
    ...(variant.currency === 'VND' ? {} : { currency: variant.currency }),
    lines: variant.lines,
    ...(variant.total === undefined ? {} : { total: variant.total }),
    deliveryDeadline: '2026-11-30',
  };
}

function variantOf(view: OrderView): Variant {
  const found = ORDER_VARIANTS.find(
    (v) =>
      v.currency === view.currency &&
      v.lines.length === view.lines.length &&
      String(v.lines[0]!.line) === view.lines[0]!.line,
  );
  if (!found) throw new Error('the order matches no variant');

  return found;
}

/** Σ quantity × unit price of a variant, or its given total. */
function variantTotal(variant: Variant): string {
  if (variant.total !== undefined) return canon(variant.total);

  return text(
    total(
      variant.lines.map((l) => times(exact(l.quantity), exact(l.unitPrice))),
    ),
  );
}

function regionsOf(
  snapshot: AnyMachineSnapshot,
): Record<string, string> | null {
  const value = snapshot.value as { active?: Record<string, string> } | string;

  return typeof value === 'object' && value.active ? value.active : null;
}

function orderView(snapshot: AnyMachineSnapshot): OrderView {
  return snapshot.context as OrderView;
}

/** A share of an amount, truncated to whole đồng for VND. */
function share(amount: string, parts: bigint, currency: string): string {
  const value = exact(amount);
  const scale = currency === 'VND' ? 0 : 2;
  const n = (value.n * 10n ** BigInt(scale)) / (parts * 10n ** BigInt(value.s));

  return text({ n, s: scale });
}

/** A JSON number where it reads back as the same decimal, else the text. */
function asNumber(value: string): string | number {
  return String(Number(value)) === value ? Number(value) : value;
}

/** Alternates JSON numbers and strings, so both forms reach every path. */
function alternate(value: string, index: number): string | number {
  return index % 2 === 0 ? asNumber(value) : value;
}

function fulfilmentCases(variant: Variant) {
  const ids = variant.lines.map((l) => l.line);
  const quantities = variant.lines.map((l) => canon(l.quantity));
  const deliver = (values: string[]) => ({
    lines: values.map((q, i) => ({
      line: ids[i],
      deliveredQuantity: alternate(q, i),
    })),
  });
  const bump = (q: string, by: string) => text(plus(exact(q), exact(by)));
  const cases: [string, Record<string, unknown>][] = [
    ['nothing delivered', deliver(quantities.map(() => '0'))],
    [
      'line 1 short by 0.01',
      deliver(quantities.map((q, i) => (i === 0 ? bump(q, '-0.01') : q))),
    ],
    ['all delivered', deliver(quantities)],
    [
      'line 1 over-delivered by 1',
      deliver(quantities.map((q, i) => (i === 0 ? bump(q, '1') : q))),
    ],
    ['unknown line', { lines: [{ line: 99, deliveredQuantity: 1 }] }],
  ];
  if (quantities.length > 1) {
    cases.push([
      'line 1 over by 0.1, line 2 short by 0.1',
      deliver(
        quantities.map((q, i) =>
          i === 0 ? bump(q, '0.1') : i === 1 ? bump(q, '-0.1') : q,
        ),
      ),
    ]);
  }

  return cases;
}

function receiptCases(variant: Variant) {
  const amount = variantTotal(variant);
  const vnd = variant.currency === 'VND';
  const part = vnd
    ? text(minus(exact(amount), exact('2')))
    : share(amount, 3n, variant.currency);
  const half = share(amount, 2n, variant.currency);
  const rest = text(minus(exact(amount), exact(half)));
  const cases: [string, Record<string, unknown>][] = [
    ['nothing received', { receivedAmount: 0 }],
    [`${part} received`, { receivedAmount: part }],
    [
      'all received in two receipts',
      {
        receivedAmount: asNumber(amount),
        receipts: [
          { number: 'PT-001', date: '2026-11-10', amount: asNumber(half) },
          { number: 'PT-002', date: '2026-11-12', amount: rest },
        ],
      },
    ],
    [
      'one more than the total received',
      { receivedAmount: text(plus(exact(amount), exact('1'))) },
    ],
    [
      `${part} received, remaining 0`,
      { receivedAmount: part, remainingAmount: 0 },
    ],
    [
      `${part} received, remaining -5`,
      { receivedAmount: part, remainingAmount: '-5' },
    ],
  ];

  return cases;
}

/** Order event cases for one target, in groups that traversals pick. */
export function orderCases(target: OrderTarget) {
  const key = KEYS.order;
  const ct = target === 'contract';
  const actType = (verb: string) =>
    ct ? `contract.${verb}` : `salesOrder.${verb}`;
  const receiptsType = ct
    ? 'contract.receiptsUpdated'
    : 'salesOrder.fulfilmentUpdated';

  function crm(
    currency: string,
    type: string,
    raw: Record<string, unknown>,
    label: string,
    facts: EventFacts = {},
  ) {
    return makeCase(target, 'crm', type, key, raw, label, facts, currency);
  }

  function act(
    currency: string,
    type: string,
    raw: Record<string, unknown>,
    label: string,
    facts: EventFacts = {},
  ) {
    return makeCase(target, 'act', type, key, raw, label, facts, currency);
  }

  const create = (variant: Variant, revenueStatus = variant.revenueStatus) =>
    crm(
      variant.currency,
      variant.type,
      variantData(variant, revenueStatus),
      variant.revenueStatus === revenueStatus
        ? variant.label
        : `${variant.label}, ${revenueStatus}`,
    );

  /** Events about an order never seen: the engine parks them (§4). */
  const beforeCreation = [
    crm('VND', 'order.proposed', {}, 'propose a new code'),
    act(
      'VND',
      actType('statusUpdated'),
      { status: 'inProgress' },
      'status of a new code',
    ),
  ];

  // The revenue traversal keeps to the first variant, so that amounts follow
  // from the rows its serialisation keeps.
  const first = ORDER_VARIANTS[0]!;
  const firstTotal = variantTotal(first);
  const revenueCreation = [
    create(first),
    create(first, 'proposed'),
    ...beforeCreation,
  ];

  function revenue(view: OrderView, withContext: boolean): CaseEvent[] {
    const c = first.currency;
    const cases = [
      crm(
        c,
        'order.updated',
        { deliveryDeadline: '2026-12-01' },
        'edit a deadline',
      ),
      crm(c, 'order.updated', {}, 'edit nothing'),
      crm(
        c,
        'order.updated',
        { revenueStatus: 'proposed' },
        'edit that proposes',
      ),
      crm(c, 'order.updated', { revenueStatus: 'draft' }, 'edit to draft'),
      crm(
        c,
        'order.updated',
        { revenueStatus: 'recorded' },
        'edit to recorded',
      ),
      crm(c, 'order.deleted', {}, 'delete'),
      crm(c, 'order.proposed', {}, 'propose'),
      crm(c, 'order.recorded', {}, 'record on CRM'),
      crm(c, 'order.rejected', { reason: 'Sai giá' }, 'reject on CRM'),
      crm(c, 'order.withdrawn', {}, 'withdraw', {
        orderHasIssuedInvoice: false,
      }),
      crm(c, 'order.withdrawn', {}, 'withdraw after an issued invoice', {
        orderHasIssuedInvoice: true,
      }),
      act(
        c,
        actType('revenueRecorded'),
        { postingDate: '2026-11-04', amount: asNumber(firstTotal) },
        'record on ACT',
      ),
      act(c, actType('revenueUnrecorded'), {}, 'unrecord all on ACT'),
      act(
        c,
        actType('revenueUnrecorded'),
        { postingDate: '2020-01-01' },
        'unrecord a row that is not there',
      ),
    ];
    if (ct) {
      cases.push(
        act(
          c,
          'contract.revenueRejected',
          { reason: 'Thiếu chứng từ' },
          'reject on ACT',
        ),
        act(
          c,
          'contract.revenueDateMoved',
          { postingDate: '2026-10-01' },
          'move the revenue date',
        ),
      );
    }
    if (!withContext) return cases;

    // Cases that read the revenue table, which the serialisation keeps.
    const rows = view.revenueRows;
    const current = rows.filter((r) => r.kind === 'recording').at(-1);
    if (current) {
      cases.push(
        act(
          c,
          actType('revenueUnrecorded'),
          { postingDate: current.postingDate, amount: current.amount },
          'unrecord the current row',
        ),
      );
    }
    const net = text(total(rows.map((r) => r.amount)));
    const cancel = (label: string, amount: string) =>
      crm(
        c,
        'order.cancellationProposed',
        {
          proposal: KEYS.proposal,
          amount,
          date: '2026-11-20',
          reason: 'Trả hàng',
        },
        label,
        { pendingCancellationTotal: '0' },
      );
    if (cmp(exact(net), exact('0')) > 0) {
      cases.push(
        cancel('cancel half', share(net, 2n, c)),
        cancel('cancel all', net),
      );
    }
    const over = cmp(exact(net), exact('0')) > 0 ? net : '0';
    cases.push(
      cancel(
        'cancel one more than recorded',
        text(plus(exact(over), exact('1'))),
      ),
    );
    // At most one approved cancellation row, so that the table stays bounded.
    if (ct && rows.every((r) => r.kind === 'recording')) {
      const facts = { cancellation: { amount: '5000', date: '2026-11-20' } };
      cases.push(
        act(
          c,
          'contract.cancellationApproved',
          { proposal: KEYS.proposal },
          'approve a cancellation of 5000',
          facts,
        ),
        act(
          c,
          'contract.cancellationRejected',
          { proposal: KEYS.proposal, reason: 'Không đủ căn cứ' },
          'refuse a cancellation of 5000',
          facts,
        ),
      );
    }

    return cases;
  }

  function delivery(view: OrderView): CaseEvent[] {
    const variant = variantOf(view);
    const c = variant.currency;
    const cases = fulfilmentCases(variant).map(([label, raw]) =>
      act(c, 'salesOrder.fulfilmentUpdated', raw, label),
    );
    cases.push(
      crm(
        c,
        'order.updated',
        {
          lines: variant.lines.map((l, i) => ({
            ...l,
            quantity: i === 0 ? 2 : l.quantity,
          })),
        },
        'edit: line 1 quantity 2',
      ),
    );

    return cases;
  }

  function payment(view: OrderView): CaseEvent[] {
    const variant = variantOf(view);
    const c = variant.currency;
    const amount = variantTotal(variant);
    const cases = receiptCases(variant).map(([label, raw]) =>
      act(c, receiptsType, raw, label),
    );
    cases.push(
      crm(c, 'order.updated', { total: 250002 }, 'edit: total 250002'),
    );
    if (ct) {
      cases.push(
        act(
          c,
          'contract.invoicingUpdated',
          { invoiced: true, invoiceDate: '2026-10-25', invoicedAmount: amount },
          'invoiced in full',
        ),
        act(
          c,
          'contract.paymentDeadlineUpdated',
          { paymentDeadline: '2026-11-15' },
          'payment deadline',
        ),
        act(
          c,
          'contract.edited',
          { paymentDeadline: '2026-11-15', projectCode: 'DA-01' },
          'ACT edit with an ignored field',
        ),
        act(c, 'contract.edited', { invoiced: true }, 'ACT edit: invoiced'),
      );
    } else {
      cases.push(
        act(
          c,
          'salesOrder.fulfilmentUpdated',
          { invoicedAmount: amount },
          'invoiced in full',
        ),
      );
    }

    return cases;
  }

  const STATUSES = [
    'notStarted',
    'inProgress',
    'fullyDelivered',
    'completed',
    'cancelled',
  ];

  function status(): CaseEvent[] {
    const cases = STATUSES.map((code) =>
      act('VND', actType('statusUpdated'), { status: code }, `status ${code}`),
    );
    if (ct) {
      cases.push(
        act(
          'VND',
          'contract.edited',
          { status: 'completed' },
          'ACT edit: completed',
        ),
      );
    }

    return cases;
  }

  const allCreation = [
    ...ORDER_VARIANTS.map((v) => create(v)),
    ...beforeCreation,
  ];
  const figure = (snapshot: AnyMachineSnapshot) => {
    const view = orderView(snapshot);
    const variant = variantOf(view);

    return `${variant.label}|${view.lines.map((l) => `${l.quantity}:${l.deliveredQuantity}`).join(',')}|${view.total}`;
  };

  return {
    /** Revenue events from every revenue state, with their table. */
    revenue: (snapshot: AnyMachineSnapshot) =>
      regionsOf(snapshot)
        ? revenue(orderView(snapshot), true)
        : revenueCreation,
    /** Revenue events that read no context: for simple paths. */
    revenuePlain: (snapshot: AnyMachineSnapshot) =>
      regionsOf(snapshot)
        ? revenue(orderView(snapshot), false)
        : revenueCreation,
    delivery: (snapshot: AnyMachineSnapshot) =>
      regionsOf(snapshot) ? delivery(orderView(snapshot)) : allCreation,
    payment: (snapshot: AnyMachineSnapshot) =>
      regionsOf(snapshot) ? payment(orderView(snapshot)) : allCreation,
    status: (snapshot: AnyMachineSnapshot) =>
      regionsOf(snapshot) ? status() : [create(first), ...beforeCreation],
    /**
     * Serialisations: every context field the cases and guards read, so
     * that states merged by the traversal behave alike.
     */
    serialize: {
      revenue(snapshot: AnyMachineSnapshot) {
        const regions = regionsOf(snapshot);
        if (!regions) return 'absent';

        const view = orderView(snapshot);
        const rows = view.revenueRows
          .map((r) => `${r.source}/${r.kind}/${r.postingDate}/${r.amount}`)
          .join(',');

        return `${regions.revenue}|${rows}`;
      },
      revenueOnly(snapshot: AnyMachineSnapshot) {
        return regionsOf(snapshot)?.revenue ?? 'absent';
      },
      delivery(snapshot: AnyMachineSnapshot) {
        const regions = regionsOf(snapshot);

        return regions ? `${regions.delivery}|${figure(snapshot)}` : 'absent';
      },
      payment(snapshot: AnyMachineSnapshot) {
        const regions = regionsOf(snapshot);
        if (!regions) return 'absent';

        const view = orderView(snapshot);

        return [
          regions.payment,
          figure(snapshot),
          view.receivedAmount,
          view.remainingAmount,
        ].join('|');
      },
      status(snapshot: AnyMachineSnapshot) {
        return regionsOf(snapshot)?.status ?? 'absent';
      },
    },
  };
}

// Invoices -----------------------------------------------------------------

/** Invoice cases: every type from every state; the machine decides which. */
export function invoiceCases(target: OrderTarget) {
  const key = KEYS.invoice;
  const c = (
    source: App,
    type: string,
    raw: Record<string, unknown>,
    label: string,
  ) => makeCase(target, source, type, key, raw, label);
  const request = {
    order: KEYS.order,
    amount: 20000,
    description: 'Xuất theo đơn DH-0001',
  };
  const creation = [
    c(
      'crm',
      'invoice.created',
      { ...request, status: 'draft' },
      'create draft',
    ),
    c(
      'crm',
      'invoice.created',
      { ...request, status: 'proposed' },
      'create proposed',
    ),
    c(
      'crm',
      'invoice.imported',
      { ...request, status: 'draft' },
      'import draft',
    ),
    c(
      'crm',
      'invoice.imported',
      { ...request, status: 'proposed' },
      'import proposed',
    ),
  ];
  const rest = [
    c('crm', 'invoice.updated', {}, 'edit nothing'),
    c('crm', 'invoice.updated', { amount: '15000' }, 'edit the amount'),
    c('crm', 'invoice.updated', { status: 'proposed' }, 'edit that proposes'),
    c('crm', 'invoice.updated', { status: 'draft' }, 'edit to draft'),
    c('crm', 'invoice.updated', { status: 'issued' }, 'edit to issued'),
    c('crm', 'invoice.deleted', {}, 'delete'),
    c('crm', 'invoice.proposed', {}, 'propose'),
    c('crm', 'invoice.withdrawn', {}, 'withdraw'),
    c('act', 'invoice.approved', {}, 'approve'),
    c('act', 'invoice.rejected', { reason: 'Sai mã số thuế' }, 'reject'),
    c(
      'act',
      'invoice.issued',
      { number: '0000123', date: '2026-11-06' },
      'issue',
    ),
    c(
      'act',
      'invoice.issuanceRejected',
      { reason: 'Hết mẫu' },
      'refuse issuance',
    ),
    c('act', 'invoice.cancelled', { reason: 'Hủy theo yêu cầu' }, 'cancel'),
  ];

  return {
    // Every type from every state: creations of an existing request and
    // events about a request never seen are refusals and parkings to test.
    events: () => [...creation, ...rest],
    serialize: (snapshot: AnyMachineSnapshot) => String(snapshot.value),
  };
}

// Cancellations ------------------------------------------------------------

/** Cancellation cases; the order behind them is set up by the harness. */
export function cancellationCases(target: OrderTarget) {
  const c = (
    source: App,
    type: string,
    raw: Record<string, unknown>,
    label: string,
    facts: EventFacts = {},
  ) => makeCase(target, source, type, KEYS.order, raw, label, facts);
  const propose = (label: string, amount: string | number) =>
    c(
      'crm',
      'order.cancellationProposed',
      {
        proposal: KEYS.proposal,
        amount,
        date: '2026-11-20',
        reason: 'Trả hàng',
      },
      label,
      { pendingCancellationTotal: '0' },
    );
  const cases = [
    propose('cancel part', 5000),
    propose('cancel all', '20000'),
    propose('cancel more than recorded', 20001),
  ];
  if (target === 'contract') {
    const facts = { cancellation: { amount: '5000', date: '2026-11-20' } };
    cases.push(
      c(
        'act',
        'contract.cancellationApproved',
        { proposal: KEYS.proposal },
        'approve',
        facts,
      ),
      c(
        'act',
        'contract.cancellationRejected',
        { proposal: KEYS.proposal, reason: 'Không đủ căn cứ' },
        'refuse',
        facts,
      ),
    );
  }

  return {
    events: () => cases,
    serialize: (snapshot: AnyMachineSnapshot) => String(snapshot.value),
  };
}

// Customers, contacts, products, quotes -------------------------------------

/** Customer cases; `contact` sends CRM events as `contact.*`. */
export function customerCases(family: 'customer' | 'contact') {
  const key = KEYS.customer;
  const c = (
    source: App,
    type: string,
    raw: Record<string, unknown>,
    label: string,
  ) => makeCase('salesOrder', source, type, key, raw, label);
  const noun = family;
  const crm = [
    c('crm', `${noun}.created`, { name: 'Công ty An Phát' }, 'CRM adds'),
    c('crm', `${noun}.updated`, { name: 'Công ty An Phát Mới' }, 'CRM edits'),
    c('crm', `${noun}.updated`, { name: 'Công ty An Phát' }, 'CRM edits back'),
    c('crm', `${noun}.deleted`, {}, 'CRM deletes'),
    c('crm', `${noun}.merged`, { into: 'KH-0009' }, 'CRM merges'),
    c('crm', `${noun}.imported`, { name: 'Công ty An Phát' }, 'CRM imports'),
  ];
  const personal = {
    name: 'Nguyễn Văn An',
    personal: true,
    salesEmployee: 'NV-07',
  };
  const actCreates = [
    c('act', 'customer.created', personal, 'ACT adds a person'),
    c('act', 'customer.imported', personal, 'ACT imports a person'),
    c('act', 'customer.updated', personal, 'ACT edits a person'),
  ];
  const act = [
    c(
      'act',
      'customer.created',
      { name: 'Công ty An Phát', salesEmployee: 'NV-07' },
      'ACT adds',
    ),
    c('act', 'customer.imported', { name: 'Công ty An Phát' }, 'ACT imports'),
    c(
      'act',
      'customer.updated',
      { name: 'Công ty An Phát ACT', salesEmployee: 'NV-08' },
      'ACT edits',
    ),
    c(
      'act',
      'customer.updated',
      { salesEmployee: 'NV-09' },
      'ACT changes the seller',
    ),
    c('act', 'customer.deleted', {}, 'ACT deletes'),
    c('act', 'customer.merged', { into: 'KH-0009' }, 'ACT merges'),
    c('act', 'customer.fetched', { name: 'Công ty An Phát' }, 'ACT fetches'),
  ];

  return {
    events: (snapshot: AnyMachineSnapshot) =>
      family === 'contact' && snapshot.value === 'absent'
        ? [...crm, ...actCreates]
        : [...crm, ...actCreates, ...act],
    serialize: (snapshot: AnyMachineSnapshot) =>
      `${String(snapshot.value)}|${(snapshot.context as { kind: string }).kind}`,
  };
}

/** Product cases, from both apps. */
export function productCases() {
  const c = (
    source: App,
    type: string,
    raw: Record<string, unknown>,
    label: string,
  ) => makeCase('salesOrder', source, type, KEYS.product, raw, label);
  const cases: ReturnType<typeof c>[] = [];
  for (const source of ['crm', 'act'] as const) {
    const who = source.toUpperCase();
    cases.push(
      c(
        source,
        'product.created',
        { name: 'Ghế', unit: 'Cái', price: 150000 },
        `${who} adds`,
      ),
      c(source, 'product.updated', { price: '160000' }, `${who} edits`),
      c(
        source,
        'product.imported',
        { name: 'Ghế', unit: 'Cái' },
        `${who} imports`,
      ),
      c(source, 'product.deleted', {}, `${who} deletes`),
      c(source, 'product.merged', { into: 'SP-0009' }, `${who} merges`),
    );
  }

  return {
    events: () => cases,
    serialize: (snapshot: AnyMachineSnapshot) => String(snapshot.value),
  };
}

/** Quote cases; `syncQuotes` as the connection is set. */
export function quoteCases(syncQuotes: boolean) {
  const facts = { syncQuotes };
  const c = (type: string, raw: Record<string, unknown>, label: string) =>
    makeCase('salesOrder', 'crm', type, KEYS.quote, raw, label, facts);
  const quote = {
    customer: 'KH-0001',
    lines: [{ line: 1, product: 'SP-0001', quantity: 0.1, unitPrice: 100000 }],
    total: 10000,
  };
  const cases = [
    c('quote.created', quote, 'add'),
    c('quote.updated', { total: '12000' }, 'edit'),
    c('quote.updated', { total: 12000 }, 'edit again, same total'),
    c('quote.deleted', {}, 'delete'),
    c('quote.imported', quote, 'import'),
  ];

  return {
    events: () => cases,
    serialize: (snapshot: AnyMachineSnapshot) => String(snapshot.value),
  };
}
