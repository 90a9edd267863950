/**
 * SYNC-RULES §3 transcribed as data for the test oracle, read from the spec
 * and written by hand: nothing here comes from the machines or from the
 * project's rule catalogue, so the two can disagree and the tests can say so.
 */
import type { App, OrderTarget } from '../../src/types.js';

/** The record a rule's From column is about. */
export type OracleKind =
  'order' | 'invoice' | 'cancellation' | 'customer' | 'product' | 'quote';

/** A command a rule sends: always, or only when it changes something (§4). */
export interface CommandRule {
  target: App;
  /** The §6 command type; `customer.create` means "customer or contact". */
  type: string;
  send: 'always' | 'ifChanged';
}

/** One row of §3 for one action, split where From or the effect differs. */
export interface Clause {
  id: string;
  app: App;
  kind: OracleKind;
  /** Only on this order target (SO-* and CT-* rules). */
  target?: OrderTarget;
  /** The event types of the action (§5). */
  types: readonly string[];
  /** States the action is allowed from; `absent` is a record never seen. */
  from: readonly string[] | 'any';
  /** An extra condition on the event that picks this row (§4 edits). */
  when?:
    | 'addsProposed'
    | 'addsDraft'
    | 'keepsStatus'
    | 'proposes'
    | 'syncQuotesOn'
    | 'syncQuotesOff';
  /** A check that turns the action into a `conflict` when it fails. */
  check?:
    | 'noActWork'
    | 'amountFits'
    | 'crmRecordedOnly'
    | 'namesRows'
    | 'linesKnown'
    | 'proposalOfOrder';
  /** The state after: a state, `same`, or `given` (the status in `data`). */
  to: string;
  /** The rules the event is also handled as, after its own (§6 `rules`). */
  as?: readonly string[];
  command: CommandRule | null;
}

/** Every rule id of §3, for when the spec file cannot be read. */
export const SPEC_RULE_IDS: readonly string[] = [
  ...['C1', 'C2', 'C3', 'C4', 'C5'].map((n) => `CUS-${n}`),
  ...['A1', 'A2', 'A3', 'A4', 'A5', 'A6'].map((n) => `CUS-${n}`),
  'PRD-C1',
  'PRD-C2',
  'PRD-A1',
  'PRD-A2',
  'QUO-C1',
  'QUO-C2',
  ...['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'].map((n) => `SO-${n}`),
  ...['A1', 'A2', 'A3'].map((n) => `SO-${n}`),
  ...['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7'].map((n) => `CT-${n}`),
  ...['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8'].map((n) => `CT-${n}`),
  ...['C1', 'C2', 'C3', 'C4'].map((n) => `INV-${n}`),
  ...['A1', 'A2', 'A3', 'A4', 'A5'].map((n) => `INV-${n}`),
];

/** The rule ids of §3's tables, in the order the spec lists them. */
export function ruleIdsOf(spec: string): string[] {
  const ids: string[] = [];
  for (const match of spec.matchAll(
    /^\| ((?:CUS|PRD|QUO|SO|CT|INV)-[CA]\d+) \|/gm,
  )) {
    if (!ids.includes(match[1]!)) ids.push(match[1]!);
  }

  return ids;
}

const toAct = (type: string, send: CommandRule['send']): CommandRule => ({
  target: 'act',
  type,
  send,
});
const toCrm = (type: string, send: CommandRule['send']): CommandRule => ({
  target: 'crm',
  type,
  send,
});

/** One row: rule, app, record, action types, From, state after, command. */
function row(
  id: string,
  app: App,
  kind: OracleKind,
  types: readonly string[],
  from: Clause['from'],
  to: string,
  command: CommandRule | null,
  more: Partial<Clause> = {},
): Clause {
  return { id, app, kind, types, from, to, command, ...more };
}

const people = (verb: string) => [`customer.${verb}`, `contact.${verb}`];
const ACT_CUSTOMER = (verb: string) => [`customer.${verb}`];
const LINK_ANY = 'any' as const;

// Customers and contacts. A never-seen code counts as crmOnly for CRM events
// and actOnly for ACT events (§4), so From lists name those, never `absent`.
const customers: Clause[] = [
  row('CUS-C1', 'crm', 'customer', people('created'), LINK_ANY, 'same', null),
  row(
    'CUS-C2',
    'crm',
    'customer',
    people('updated'),
    ['linked'],
    'same',
    toAct('customer.update', 'ifChanged'),
  ),
  row(
    'CUS-C2',
    'crm',
    'customer',
    people('updated'),
    ['crmOnly', 'actOnly'],
    'same',
    null,
  ),
  row('CUS-C3', 'crm', 'customer', people('deleted'), LINK_ANY, 'same', null),
  row('CUS-C4', 'crm', 'customer', people('merged'), LINK_ANY, 'same', null),
  row('CUS-C5', 'crm', 'customer', people('imported'), LINK_ANY, 'same', null),
  row(
    'CUS-A1',
    'act',
    'customer',
    ACT_CUSTOMER('created'),
    ['actOnly'],
    'linked',
    toCrm('customer.create', 'always'),
  ),
  row(
    'CUS-A1',
    'act',
    'customer',
    ACT_CUSTOMER('created'),
    ['linked'],
    'same',
    toCrm('customer.update', 'ifChanged'),
    { as: ['CUS-A2'] },
  ),
  row(
    'CUS-A2',
    'act',
    'customer',
    ACT_CUSTOMER('updated'),
    ['linked'],
    'same',
    toCrm('customer.update', 'ifChanged'),
  ),
  row(
    'CUS-A2',
    'act',
    'customer',
    ACT_CUSTOMER('updated'),
    ['actOnly'],
    'linked',
    toCrm('customer.create', 'always'),
    { as: ['CUS-A1'] },
  ),
  row(
    'CUS-A3',
    'act',
    'customer',
    ACT_CUSTOMER('deleted'),
    LINK_ANY,
    'same',
    null,
  ),
  row(
    'CUS-A4',
    'act',
    'customer',
    ACT_CUSTOMER('merged'),
    LINK_ANY,
    'same',
    null,
  ),
  row(
    'CUS-A5',
    'act',
    'customer',
    ACT_CUSTOMER('imported'),
    ['actOnly'],
    'linked',
    toCrm('customer.create', 'always'),
    { as: ['CUS-A1'] },
  ),
  row(
    'CUS-A5',
    'act',
    'customer',
    ACT_CUSTOMER('imported'),
    ['linked'],
    'same',
    toCrm('customer.update', 'ifChanged'),
    { as: ['CUS-A2'] },
  ),
  row(
    'CUS-A6',
    'act',
    'customer',
    ['customer.fetched'],
    LINK_ANY,
    'linked',
    null,
  ),
];

const PRODUCT_WRITES = [
  'product.created',
  'product.updated',
  'product.imported',
];
const PRODUCT_REMOVES = ['product.deleted', 'product.merged'];

const products: Clause[] = [
  row(
    'PRD-C1',
    'crm',
    'product',
    PRODUCT_WRITES,
    LINK_ANY,
    'linked',
    toAct('product.upsert', 'ifChanged'),
  ),
  row('PRD-C2', 'crm', 'product', PRODUCT_REMOVES, LINK_ANY, 'same', null),
  row(
    'PRD-A1',
    'act',
    'product',
    PRODUCT_WRITES,
    ['actOnly', 'linked'],
    'linked',
    toCrm('product.upsert', 'ifChanged'),
  ),
  row('PRD-A2', 'act', 'product', PRODUCT_REMOVES, LINK_ANY, 'same', null),
];

const QUOTE_WRITES = ['quote.created', 'quote.updated'];

const quotes: Clause[] = [
  row(
    'QUO-C1',
    'crm',
    'quote',
    QUOTE_WRITES,
    LINK_ANY,
    'linked',
    toAct('quote.upsert', 'ifChanged'),
    { when: 'syncQuotesOn' },
  ),
  row('QUO-C1', 'crm', 'quote', QUOTE_WRITES, LINK_ANY, 'same', null, {
    when: 'syncQuotesOff',
  }),
  row(
    'QUO-C2',
    'crm',
    'quote',
    ['quote.deleted', 'quote.imported'],
    LINK_ANY,
    'same',
    null,
  ),
];

/** Every revenue status: an existing order, whatever its revenue. */
const EXISTING = ['draft', 'proposed', 'recorded', 'rejected'];

/** The CRM rows C1–C4, alike for both targets but for the ACT document. */
function crmOrderRows(target: OrderTarget): Clause[] {
  const t = target === 'contract' ? 'CT' : 'SO';
  const upsert = `${target}.upsert`;
  const o = (
    id: string,
    types: string[],
    from: string[],
    to: string,
    command: CommandRule | null,
    more: Partial<Clause> = {},
  ) =>
    row(`${t}-${id}`, 'crm', 'order', types, from, to, command, {
      target,
      ...more,
    });

  return [
    o(
      'C1',
      ['order.created'],
      ['absent'],
      'proposed',
      toAct(upsert, 'ifChanged'),
      { when: 'addsProposed' },
    ),
    o('C1', ['order.created'], ['absent'], 'draft', null, {
      when: 'addsDraft',
    }),
    o(
      'C1',
      ['order.updated'],
      ['proposed'],
      'same',
      toAct(upsert, 'ifChanged'),
      { when: 'keepsStatus' },
    ),
    o(
      'C1',
      ['order.updated'],
      ['draft', 'recorded', 'rejected'],
      'same',
      null,
      { when: 'keepsStatus' },
    ),
    o(
      'C1',
      ['order.updated'],
      ['draft', 'rejected'],
      'proposed',
      toAct(upsert, 'always'),
      { when: 'proposes', as: [`${t}-C4`] },
    ),
    o('C2', ['order.deleted'], EXISTING, 'same', null),
    o('C3', ['order.imported'], ['absent'], 'given', null),
    o(
      'C4',
      ['order.proposed'],
      ['draft', 'rejected'],
      'proposed',
      toAct(upsert, 'always'),
    ),
  ];
}

const so = (
  id: string,
  app: App,
  types: string[],
  from: string[],
  to: string,
  command: CommandRule | null,
  more: Partial<Clause> = {},
) =>
  row(id, app, 'order', types, from, to, command, {
    target: 'salesOrder',
    ...more,
  });

const ct = (
  id: string,
  app: App,
  types: string[],
  from: string[],
  to: string,
  command: CommandRule | null,
  more: Partial<Clause> = {},
) =>
  row(id, app, 'order', types, from, to, command, {
    target: 'contract',
    ...more,
  });

const ORDER_UPDATE = toCrm('order.update', 'ifChanged');

const salesOrders: Clause[] = [
  ...crmOrderRows('salesOrder'),
  so(
    'SO-C5',
    'crm',
    ['order.recorded'],
    ['proposed'],
    'recorded',
    toAct('salesOrder.markRecorded', 'always'),
  ),
  so(
    'SO-C5',
    'crm',
    ['order.rejected'],
    ['proposed', 'recorded'],
    'rejected',
    null,
  ),
  so('SO-C6', 'crm', ['order.withdrawn'], ['proposed'], 'draft', null, {
    check: 'noActWork',
  }),
  so(
    'SO-C7',
    'crm',
    ['order.cancellationProposed'],
    ['recorded'],
    'same',
    null,
    { check: 'amountFits' },
  ),
  so(
    'SO-A1',
    'act',
    ['salesOrder.revenueRecorded'],
    ['proposed'],
    'recorded',
    ORDER_UPDATE,
  ),
  so(
    'SO-A1',
    'act',
    ['salesOrder.revenueRecorded'],
    ['recorded'],
    'recorded',
    ORDER_UPDATE,
    { check: 'crmRecordedOnly' },
  ),
  so(
    'SO-A1',
    'act',
    ['salesOrder.revenueUnrecorded'],
    ['recorded'],
    'proposed',
    ORDER_UPDATE,
    { check: 'namesRows' },
  ),
  so(
    'SO-A2',
    'act',
    ['salesOrder.fulfilmentUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
    { check: 'linesKnown' },
  ),
  so(
    'SO-A3',
    'act',
    ['salesOrder.statusUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
  ),
];

const contracts: Clause[] = [
  ...crmOrderRows('contract'),
  ct('CT-C5', 'crm', ['order.recorded'], ['proposed'], 'recorded', null),
  ct(
    'CT-C5',
    'crm',
    ['order.rejected'],
    ['proposed', 'recorded'],
    'rejected',
    toAct('contract.setRevenueStatus', 'always'),
  ),
  ct(
    'CT-C6',
    'crm',
    ['order.withdrawn'],
    ['proposed'],
    'draft',
    toAct('contract.delete', 'always'),
    { check: 'noActWork' },
  ),
  ct(
    'CT-C7',
    'crm',
    ['order.cancellationProposed'],
    ['recorded'],
    'same',
    toAct('contract.proposeCancellation', 'always'),
    { check: 'amountFits' },
  ),
  ct('CT-A1', 'act', ['contract.edited'], EXISTING, 'same', ORDER_UPDATE),
  ct(
    'CT-A2',
    'act',
    ['contract.statusUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A3',
    'act',
    ['contract.revenueRecorded'],
    ['proposed'],
    'recorded',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A3',
    'act',
    ['contract.revenueRecorded'],
    ['recorded'],
    'recorded',
    ORDER_UPDATE,
    { check: 'crmRecordedOnly' },
  ),
  ct(
    'CT-A3',
    'act',
    ['contract.revenueRejected'],
    ['proposed', 'recorded'],
    'rejected',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A3',
    'act',
    ['contract.revenueUnrecorded'],
    ['recorded'],
    'proposed',
    ORDER_UPDATE,
    { check: 'namesRows' },
  ),
  ct(
    'CT-A4',
    'act',
    ['contract.revenueDateMoved'],
    ['recorded'],
    'same',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A5',
    'act',
    ['contract.invoicingUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A6',
    'act',
    ['contract.paymentDeadlineUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
  ),
  ct(
    'CT-A7',
    'act',
    ['contract.receiptsUpdated'],
    EXISTING,
    'same',
    ORDER_UPDATE,
  ),
  // CT-A8's From is the cancellation's state, not the order's.
  row(
    'CT-A8',
    'act',
    'cancellation',
    ['contract.cancellationApproved'],
    ['proposed'],
    'approved',
    toCrm('cancellation.update', 'ifChanged'),
    // Decision: a proposal is approved or refused only for its own order.
    { target: 'contract', check: 'proposalOfOrder' },
  ),
  row(
    'CT-A8',
    'act',
    'cancellation',
    ['contract.cancellationRejected'],
    ['proposed'],
    'rejected',
    toCrm('cancellation.update', 'ifChanged'),
    // Decision: a proposal is approved or refused only for its own order.
    { target: 'contract', check: 'proposalOfOrder' },
  ),
];

const INVOICE_STATES = [
  'draft',
  'proposed',
  'approved',
  'rejected',
  'issued',
  'issuanceRejected',
  'cancelled',
];
const REPROPOSABLE = ['draft', 'rejected', 'issuanceRejected'];
const REQUEST_UPSERT = 'invoiceRequest.upsert';
const INVOICE_UPDATE = toCrm('invoice.update', 'ifChanged');

const invoices: Clause[] = [
  row(
    'INV-C1',
    'crm',
    'invoice',
    ['invoice.created'],
    ['absent'],
    'proposed',
    toAct(REQUEST_UPSERT, 'ifChanged'),
    { when: 'addsProposed' },
  ),
  row(
    'INV-C1',
    'crm',
    'invoice',
    ['invoice.created'],
    ['absent'],
    'draft',
    null,
    { when: 'addsDraft' },
  ),
  row(
    'INV-C1',
    'crm',
    'invoice',
    ['invoice.updated'],
    ['proposed'],
    'same',
    toAct(REQUEST_UPSERT, 'ifChanged'),
    { when: 'keepsStatus' },
  ),
  row(
    'INV-C1',
    'crm',
    'invoice',
    ['invoice.updated'],
    INVOICE_STATES.filter((s) => s !== 'proposed'),
    'same',
    null,
    { when: 'keepsStatus' },
  ),
  row(
    'INV-C1',
    'crm',
    'invoice',
    ['invoice.updated'],
    REPROPOSABLE,
    'proposed',
    toAct(REQUEST_UPSERT, 'always'),
    { when: 'proposes', as: ['INV-C3'] },
  ),
  row(
    'INV-C2',
    'crm',
    'invoice',
    ['invoice.deleted'],
    INVOICE_STATES,
    'same',
    null,
  ),
  row(
    'INV-C2',
    'crm',
    'invoice',
    ['invoice.imported'],
    ['absent'],
    'given',
    null,
  ),
  row(
    'INV-C3',
    'crm',
    'invoice',
    ['invoice.proposed'],
    REPROPOSABLE,
    'proposed',
    toAct(REQUEST_UPSERT, 'always'),
  ),
  row(
    'INV-C4',
    'crm',
    'invoice',
    ['invoice.withdrawn'],
    ['proposed'],
    'draft',
    toAct('invoiceRequest.delete', 'always'),
  ),
  row(
    'INV-A1',
    'act',
    'invoice',
    ['invoice.approved'],
    ['proposed'],
    'approved',
    INVOICE_UPDATE,
  ),
  row(
    'INV-A2',
    'act',
    'invoice',
    ['invoice.rejected'],
    ['proposed'],
    'rejected',
    INVOICE_UPDATE,
  ),
  row(
    'INV-A3',
    'act',
    'invoice',
    ['invoice.issued'],
    ['proposed', 'approved'],
    'issued',
    INVOICE_UPDATE,
  ),
  row(
    'INV-A4',
    'act',
    'invoice',
    ['invoice.issuanceRejected'],
    ['proposed', 'approved'],
    'issuanceRejected',
    INVOICE_UPDATE,
  ),
  row(
    'INV-A5',
    'act',
    'invoice',
    ['invoice.cancelled'],
    ['issued'],
    'cancelled',
    INVOICE_UPDATE,
  ),
];

/** Every clause of §3, in table order. */
export const CLAUSES: readonly Clause[] = [
  ...customers,
  ...products,
  ...quotes,
  ...salesOrders,
  ...contracts,
  ...invoices,
];

/**
 * The CRM fields each ACT order rule writes (§3 Effect column), by the
 * oracle's own names; CT-A1 writes only the ones its event gives.
 */
export const CRM_ORDER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'SO-A1': ['revenue', 'rows', 'postingDate'],
  'CT-A3': ['revenue', 'rows', 'postingDate'],
  'SO-A2': [
    'delivered',
    'invoicedAmount',
    'received',
    'remaining',
    'receipts',
    'delivery',
    'payment',
  ],
  'SO-A3': ['status'],
  'CT-A2': ['status'],
  'CT-A1': [
    'status',
    'deliveryDeadline',
    'paymentDeadline',
    'invoiced',
    'paymentDate',
  ],
  'CT-A4': ['postingDate', 'rows'],
  'CT-A5': ['invoiced', 'invoiceDate', 'invoicedAmount'],
  'CT-A6': ['paymentDeadline'],
  'CT-A7': ['received', 'remaining', 'receipts', 'payment'],
};

/** The CRM invoice fields each ACT invoice rule writes. */
export const CRM_INVOICE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'INV-A1': ['status'],
  'INV-A2': ['status', 'description'],
  'INV-A3': ['status', 'number', 'date'],
  'INV-A4': ['status'],
  'INV-A5': ['status', 'description'],
};
