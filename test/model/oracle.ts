/**
 * The test oracle: SYNC-RULES §2–§4 applied to a small model of the records,
 * written from the spec alone. It predicts, for each event a test sends to
 * the engine, the outcome, the rules, the statuses after and the command.
 */
import type { App, Json, OrderTarget, Outcome } from '../../src/types.js';
import { canon, cmp, exact, minus, text, times, total } from './exact.js';
import {
  CLAUSES,
  CRM_INVOICE_FIELDS,
  CRM_ORDER_FIELDS,
  type Clause,
  type OracleKind,
} from './rules.js';

/** An event as a test sends it to the engine (numbers may be JSON numbers). */
export interface WireEvent {
  id: string;
  source: App;
  type: string;
  at: string;
  key: string;
  version?: number;
  data?: Record<string, unknown>;
}

/** What the oracle expects of the one command an applied event may send. */
export interface CommandExpectation {
  target: App;
  type: string;
  /** Rules the command may name: the event's own, or one it is handled as. */
  rules: readonly string[];
  /** `yes`: it must go; `no`: nothing changed, it must not. */
  send: 'yes' | 'no';
  /** Fields the command must carry with these values (§5 names). */
  data?: Record<string, Json>;
  /** Fields the command must not carry. */
  without?: readonly string[];
  /** An object the command must carry somewhere in its data, by values. */
  carries?: Record<string, string>;
}

/** The oracle's prediction for one event. */
export interface Expectation {
  event: string;
  outcome: Outcome;
  rules: string[];
  /** The rule that decided, for messages; null when no rule ran. */
  rule: string | null;
  /** null: no command may go out. */
  command: CommandExpectation | null;
  /** Statuses after the event, by record id; undefined: no such record. */
  statuses: Record<string, Record<string, string> | undefined>;
  /** Notices that must be there, with their amounts. */
  notices: { code: string; amount?: string }[];
  /** Notice codes that must not be there. */
  forbiddenNotices: string[];
  /** Parked events handled again right after this one. */
  rehandled: Expectation[];
}

interface Row {
  source: App;
  kind: 'recording' | 'cancellation';
  postingDate: string;
  amount: string;
}

interface LineModel {
  line: string;
  product?: string;
  quantity: string;
  unitPrice: string;
  delivered: string;
}

type View = Record<string, string>;

interface Versions {
  versions: Partial<Record<App, number>>;
}

/** An order as the oracle models it (§2 figures, §3 revenue table). */
export interface OrderModel extends Versions {
  kind: 'order';
  id: string;
  key: string;
  revenue: string;
  status: string;
  delivery: string;
  payment: string;
  lines: LineModel[];
  totalGiven: string | null;
  currency: string;
  /** CRM fields carried to ACT besides lines, total and currency. */
  fields: Record<string, Json>;
  received: string;
  remainingGiven: string | null;
  invoiced: boolean;
  invoicedAmount: string;
  invoiceDate: string | null;
  paymentDate: string | null;
  receipts: Json;
  rows: Row[];
  postingDate: string | null;
  crmView: View;
  actView: View;
}

/** An invoice request as the oracle models it. */
export interface InvoiceModel extends Versions {
  kind: 'invoice';
  id: string;
  key: string;
  status: string;
  order: string;
  fields: Record<string, Json>;
  number: string | null;
  date: string | null;
  crmView: View;
  actView: View;
}

/** A revenue-cancellation proposal. */
export interface CancellationModel extends Versions {
  kind: 'cancellation';
  id: string;
  key: string;
  status: string;
  order: string;
  amount: string;
  date: string | null;
}

/** A customer, contact, product or quote link. */
export interface LinkModel extends Versions {
  kind: 'customer' | 'product' | 'quote';
  id: string;
  key: string;
  status: string;
  /** How CRM keeps a customer-side record. */
  crmKind: 'customer' | 'contact';
  crmView: View;
  actView: View;
}

type RecordModel = OrderModel | InvoiceModel | CancellationModel | LinkModel;

/** The oracle's options, as the engine's. */
export interface OracleOptions {
  orderTarget: OrderTarget;
  syncQuotes?: boolean;
}

const ORDER_ADD_FIELDS = new Set([
  'revenueStatus',
  'lines',
  'total',
  'currency',
]);
const CONTRACT_EDIT_FIELDS = [
  'status',
  'deliveryDeadline',
  'paymentDeadline',
  'invoiced',
  'paymentDate',
];
const CANCELLATION_TYPES = new Set([
  'order.cancellationProposed',
  'contract.cancellationApproved',
  'contract.cancellationRejected',
]);

const json = (value: unknown): string => JSON.stringify(value ?? null);

function str(data: Record<string, unknown>, name: string): string | undefined {
  const value = data[name];

  return typeof value === 'string' ? value : undefined;
}

function num(data: Record<string, unknown>, name: string): string | undefined {
  const value = data[name];

  return typeof value === 'string' || typeof value === 'number'
    ? canon(value)
    : undefined;
}

/** The order total of §2: the given total, else Σ quantity × unit price. */
export function orderTotalOf(order: OrderModel): string {
  if (order.totalGiven !== null) return order.totalGiven;

  return text(
    total(order.lines.map((l) => times(exact(l.quantity), exact(l.unitPrice)))),
  );
}

/** What remains to be paid: ACT's figure, else total − received (§2). */
export function remainingOf(order: OrderModel): string {
  if (order.remainingGiven !== null) return order.remainingGiven;

  return text(minus(exact(orderTotalOf(order)), exact(order.received)));
}

/** The delivery status of §2, from totals. */
export function deliveryOf(lines: readonly LineModel[]): string {
  const ordered = total(lines.map((l) => l.quantity));
  const delivered = total(lines.map((l) => l.delivered));
  if (delivered.n === 0n) return 'notDelivered';
  if (cmp(delivered, ordered) >= 0) return 'delivered';

  return 'partiallyDelivered';
}

/** The payment status of §2. */
export function paymentOf(order: OrderModel): string {
  if (cmp(exact(remainingOf(order)), exact('0')) <= 0) return 'paid';
  if (exact(order.received).n === 0n) return 'unpaid';

  return 'partiallyPaid';
}

function netRevenue(rows: readonly Row[]): string {
  return text(total(rows.map((row) => row.amount)));
}

/**
 * Creates an oracle for one connection. `decide` predicts what the engine
 * reports for an event and moves the model on as the spec says it should.
 *
 * @example
 * const oracle = createOracle({ orderTarget: 'salesOrder' });
 * const expected = oracle.decide(event);
 */
export function createOracle(options: OracleOptions) {
  const target = options.orderTarget;
  const syncQuotes = options.syncQuotes ?? true;
  const records = new Map<string, RecordModel>();
  const seen = new Set<string>();
  const parked = new Map<string, WireEvent[]>();
  const families = new Map<string, string>();

  const clauses = CLAUSES.filter(
    (c) => c.target === undefined || c.target === target,
  );

  function orderOf(key: string) {
    return records.get(`order:${key}`) as OrderModel | undefined;
  }

  /** The record id of a customer-side code: the first event decides it. */
  function personId(event: WireEvent): string {
    const known = families.get(event.key);
    if (known) return known;

    const id =
      event.source === 'crm' && event.type.startsWith('contact.')
        ? `contact:${event.key}`
        : `customer:${event.key}`;
    families.set(event.key, id);

    return id;
  }

  function route(event: WireEvent): { primary: string; secondary?: string } {
    const data = event.data ?? {};
    const [prefix] = event.type.split('.');
    if (CANCELLATION_TYPES.has(event.type)) {
      return {
        primary: `order:${event.key}`,
        secondary: `cancellation:${String(data.proposal ?? '').trim()}`,
      };
    }
    if (
      prefix === 'order' ||
      prefix === 'salesOrder' ||
      prefix === 'contract'
    ) {
      return { primary: `order:${event.key}` };
    }
    if (prefix === 'customer' || prefix === 'contact') {
      return { primary: personId(event) };
    }

    return { primary: `${prefix}:${event.key}` };
  }

  function statusesOf(id: string): Record<string, string> | undefined {
    const record = records.get(id);
    if (!record) return undefined;

    switch (record.kind) {
      case 'order': {
        const out: Record<string, string> = { revenue: record.revenue };
        if (target === 'salesOrder') out.delivery = record.delivery;
        out.payment = record.payment;
        out.status = record.status;

        return out;
      }
      case 'invoice':
        return { invoice: record.status };
      case 'cancellation':
        return { cancellation: record.status };
      default:
        return { link: record.status };
    }
  }

  function base(
    event: WireEvent,
    outcome: Outcome,
    ids: readonly string[],
  ): Expectation {
    const statuses: Expectation['statuses'] = {};
    for (const id of ids) statuses[id] = statusesOf(id);

    return {
      event: event.id,
      outcome,
      rules: [],
      rule: null,
      command: null,
      statuses,
      notices: [],
      forbiddenNotices: [],
      rehandled: [],
    };
  }

  function creates(event: WireEvent, id: string): boolean {
    if (id.startsWith('order:')) {
      return event.type === 'order.created' || event.type === 'order.imported';
    }
    if (id.startsWith('invoice:')) {
      return (
        event.type === 'invoice.created' || event.type === 'invoice.imported'
      );
    }
    if (id.startsWith('cancellation:')) {
      return event.type === 'order.cancellationProposed';
    }

    return true;
  }

  /** The record's state for the From column; never-seen codes per §4. */
  function stateFor(kind: OracleKind, id: string, app: App): string {
    const record = records.get(id);
    if (!record) {
      if (kind === 'customer' || kind === 'product' || kind === 'quote') {
        return app === 'crm' ? 'crmOnly' : 'actOnly';
      }

      return 'absent';
    }

    return record.kind === 'order' ? record.revenue : record.status;
  }

  function matches(clause: Clause, event: WireEvent, state: string) {
    if (clause.app !== event.source || !clause.types.includes(event.type)) {
      return false;
    }
    if (clause.from !== 'any' && !clause.from.includes(state)) return false;

    const data = event.data ?? {};
    const given = clause.kind === 'order' ? data.revenueStatus : data.status;
    switch (clause.when) {
      case 'addsProposed':
        return given === 'proposed';
      case 'addsDraft':
        return given !== 'proposed';
      case 'keepsStatus':
        return given === undefined || given === state;
      case 'proposes':
        return given === 'proposed' && state !== 'proposed';
      case 'syncQuotesOn':
        return syncQuotes;
      case 'syncQuotesOff':
        return !syncQuotes;
      default:
        return true;
    }
  }

  function actWork(order: OrderModel): boolean {
    const delivered = total(order.lines.map((l) => l.delivered));
    const issued = [...records.values()].some(
      (r) =>
        r.kind === 'invoice' &&
        r.order === order.key &&
        (r.status === 'issued' || r.status === 'cancelled'),
    );

    return (
      delivered.n !== 0n ||
      exact(order.received).n !== 0n ||
      order.invoiced ||
      exact(order.invoicedAmount).n !== 0n ||
      issued
    );
  }

  /** Σ amounts of the order's cancellations still `proposed`. */
  function pendingOf(orderKey: string): string {
    const amounts = [...records.values()]
      .filter(
        (r): r is CancellationModel =>
          r.kind === 'cancellation' &&
          r.order === orderKey &&
          r.status === 'proposed',
      )
      .map((r) => r.amount);

    return text(total(amounts));
  }

  function rowsNamed(order: OrderModel, data: Record<string, unknown>) {
    const date = str(data, 'postingDate');
    const amount = num(data, 'amount');

    return order.rows.filter(
      (row) =>
        row.kind === 'recording' &&
        (date === undefined || row.postingDate === date) &&
        (amount === undefined || cmp(exact(row.amount), exact(amount)) === 0),
    );
  }

  function passes(clause: Clause, event: WireEvent): boolean {
    const data = event.data ?? {};
    const order = orderOf(event.key);
    switch (clause.check) {
      case 'noActWork':
        return !actWork(order!);
      case 'amountFits': {
        const amount = exact(num(data, 'amount') ?? '0');
        const room = minus(
          exact(netRevenue(order!.rows)),
          exact(pendingOf(order!.key)),
        );
        const proposal = `cancellation:${String(data.proposal).trim()}`;

        return (
          amount.n > 0n && cmp(amount, room) <= 0 && !records.has(proposal)
        );
      }
      case 'crmRecordedOnly': {
        const recording = order!.rows.filter((r) => r.kind === 'recording');

        return (
          recording.length > 0 && recording.every((r) => r.source === 'crm')
        );
      }
      case 'namesRows':
        return rowsNamed(order!, data).length > 0;
      case 'linesKnown': {
        const lines = Array.isArray(data.lines) ? data.lines : [];
        const known = new Set(order!.lines.map((l) => l.line));

        return lines.every((raw) =>
          known.has(String((raw as { line: unknown }).line).trim()),
        );
      }
      case 'proposalOfOrder': {
        const proposal = records.get(
          `cancellation:${String(data.proposal).trim()}`,
        ) as CancellationModel;

        return proposal.order === event.key;
      }
      default:
        return true;
    }
  }

  /** Predicts one event; `again` is a parked event handled once more. */
  function decide(event: WireEvent, again = false): Expectation {
    const { primary, secondary } = route(event);
    const ids = secondary ? [primary, secondary] : [primary];

    if (!again && seen.has(event.id)) return base(event, 'duplicate', ids);
    seen.add(event.id);

    const parkOn =
      primary.startsWith('order:') || primary.startsWith('invoice:')
        ? !records.has(primary) && !creates(event, primary)
          ? primary
          : secondary && !records.has(secondary) && !creates(event, secondary)
            ? secondary
            : null
        : null;
    if (parkOn) {
      parked.set(parkOn, [...(parked.get(parkOn) ?? []), event]);

      return base(event, 'parked', ids);
    }

    const last = records.get(primary)?.versions[event.source];
    if (event.version !== undefined && last !== undefined) {
      if (event.version <= last) return base(event, 'stale', ids);
    }

    const kindOf = (id: string) => id.split(':')[0] as string;
    const clauseKind = (c: Clause) =>
      c.kind === 'cancellation' ? secondary! : primary;
    const candidates = clauses.filter(
      (c) =>
        c.app === event.source &&
        c.types.includes(event.type) &&
        (c.kind === kindOf(primary) ||
          (c.kind === 'customer' && kindOf(primary) === 'contact') ||
          c.kind === 'cancellation'),
    );
    if (candidates.length === 0) {
      throw new Error(
        `the oracle has no rule for ${event.source} ${event.type}`,
      );
    }

    const clause = candidates.find((c) =>
      matches(c, event, stateFor(c.kind, clauseKind(c), event.source)),
    );
    const created = new Set<string>(
      ids.filter((id) => !records.has(id) && creates(event, id)),
    );
    if (!clause || !passes(clause, event)) {
      const rule = (clause ?? candidates[0]!).id;
      const out = base(event, 'conflict', ids);
      out.rules = [rule];
      out.rule = rule;
      for (const id of created) out.statuses[id] = undefined;

      return out;
    }

    const out = apply(clause, event, ids);
    for (const id of ids) {
      const record = records.get(id);
      if (record && event.version !== undefined) {
        record.versions[event.source] = event.version;
      }
    }
    for (const id of ids) out.statuses[id] = statusesOf(id);

    for (const id of ids.filter((i) => created.has(i))) {
      const waiting = parked.get(id) ?? [];
      parked.delete(id);
      for (const parkedEvent of waiting) {
        out.rehandled.push(decide(parkedEvent, true));
      }
    }

    return out;
  }

  function apply(clause: Clause, event: WireEvent, ids: string[]) {
    const out = base(event, 'applied', ids);
    out.rules = [clause.id, ...(clause.as ?? [])];
    out.rule = clause.id;

    switch (clause.kind) {
      case 'order':
        applyOrder(clause, event, out);
        break;
      case 'cancellation':
        applyCancellation(clause, event, out);
        break;
      case 'invoice':
        applyInvoice(clause, event, out);
        break;
      default:
        applyLink(clause, event, ids[0]!, out);
    }

    return out;
  }

  function expectCommand(
    clause: Clause,
    changed: boolean,
    extra: Partial<CommandExpectation> = {},
  ): CommandExpectation | null {
    if (!clause.command) return null;

    return {
      target: clause.command.target,
      type: clause.command.type,
      rules: [clause.id, ...(clause.as ?? [])],
      send: clause.command.send === 'always' || changed ? 'yes' : 'no',
      ...extra,
    };
  }

  // Orders ---------------------------------------------------------------

  function newOrder(event: WireEvent): OrderModel {
    return {
      kind: 'order',
      id: `order:${event.key}`,
      key: event.key,
      revenue: 'draft',
      status: 'notStarted',
      delivery: 'notDelivered',
      payment: 'unpaid',
      lines: [],
      totalGiven: null,
      currency: 'VND',
      fields: {},
      received: '0',
      remainingGiven: null,
      invoiced: false,
      invoicedAmount: '0',
      invoiceDate: null,
      paymentDate: null,
      receipts: [],
      rows: [],
      postingDate: null,
      crmView: {},
      actView: {},
      versions: {},
    };
  }

  function takeOrderFields(order: OrderModel, data: Record<string, unknown>) {
    for (const [name, value] of Object.entries(data)) {
      if (!ORDER_ADD_FIELDS.has(name)) order.fields[name] = value as Json;
    }
    const currency = str(data, 'currency');
    if (currency !== undefined) order.currency = currency.trim();
    if (Array.isArray(data.lines)) {
      const delivered = new Map(order.lines.map((l) => [l.line, l.delivered]));
      const lines = data.lines.map((raw) => {
        const line = raw as Record<string, unknown>;
        const id = String(line.line).trim();
        const product = str(line, 'product');

        return {
          line: id,
          ...(product !== undefined ? { product: product.trim() } : {}),
          quantity: num(line, 'quantity')!,
          unitPrice: num(line, 'unitPrice')!,
          delivered: delivered.get(id) ?? '0',
        };
      });
      const same =
        lines.length === order.lines.length &&
        lines.every((line, i) => {
          const old = order.lines[i]!;

          return (
            line.line === old.line &&
            line.product === old.product &&
            cmp(exact(line.quantity), exact(old.quantity)) === 0 &&
            cmp(exact(line.unitPrice), exact(old.unitPrice)) === 0
          );
        });
      order.lines = lines;
      if (!same) order.totalGiven = null;
    }
    const given = num(data, 'total');
    if (given !== undefined) order.totalGiven = given;
  }

  function crmShows(order: OrderModel): View {
    const view: View = {
      revenue: order.revenue,
      rows: json(order.rows),
      postingDate: json(order.postingDate),
      status: order.status,
      delivered: json(order.lines.map((l) => [l.line, canon(l.delivered)])),
      payment: order.payment,
      invoicedAmount: canon(order.invoicedAmount),
      received: canon(order.received),
      remaining: canon(remainingOf(order)),
      receipts: json(order.receipts),
      deliveryDeadline: json(order.fields.deliveryDeadline),
      paymentDeadline: json(order.fields.paymentDeadline),
      invoiced: json(order.invoiced),
      invoiceDate: json(order.invoiceDate),
      paymentDate: json(order.paymentDate),
    };
    if (target === 'salesOrder') view.delivery = order.delivery;

    return view;
  }

  function actShows(order: OrderModel): View {
    const view: View = {};
    for (const [name, value] of Object.entries(order.fields)) {
      view[name] = json(value);
    }
    view.currency = json(order.currency);
    view.lines = json(
      order.lines.map((l) => [
        l.line,
        l.product ?? null,
        l.quantity,
        l.unitPrice,
      ]),
    );
    view.total = json(orderTotalOf(order));
    view.revenueStatus = json('proposed');

    return view;
  }

  function differs(now: View, seenBy: View, fields?: readonly string[]) {
    return (fields ?? Object.keys(now)).some(
      (field) => now[field] !== seenBy[field],
    );
  }

  function sendToAct(order: OrderModel, clause: Clause, out: Expectation) {
    const now = actShows(order);
    const changed = differs(now, order.actView);
    out.command = expectCommand(clause, changed);
    if (out.command?.send === 'yes')
      order.actView = { ...order.actView, ...now };
  }

  function applyOrder(clause: Clause, event: WireEvent, out: Expectation) {
    const data = event.data ?? {};
    const id = `order:${event.key}`;
    let order = orderOf(event.key)!;
    const type = event.type;

    if (type === 'order.created' || type === 'order.imported') {
      order = newOrder(event);
      records.set(id, order);
      takeOrderFields(order, data);
      order.revenue = String(data.revenueStatus);
    } else if (type === 'order.updated') {
      takeOrderFields(order, data);
    }

    if (clause.to !== 'same' && clause.to !== 'given') {
      order.revenue = clause.to;
    }

    switch (type) {
      case 'order.recorded': {
        const postingDate = event.at.slice(0, 10);
        order.rows.push({
          source: 'crm',
          kind: 'recording',
          postingDate,
          amount: orderTotalOf(order),
        });
        order.postingDate = postingDate;
        break;
      }
      case 'order.rejected':
      case 'contract.revenueRejected':
        dropRows(
          order,
          order.rows.filter((r) => r.kind === 'recording'),
        );
        break;
      case 'salesOrder.revenueRecorded':
      case 'contract.revenueRecorded': {
        const postingDate = str(data, 'postingDate')!;
        order.rows = order.rows.filter((r) => r.kind !== 'recording');
        order.rows.push({
          source: 'act',
          kind: 'recording',
          postingDate,
          amount: num(data, 'amount')!,
        });
        order.postingDate = postingDate;
        break;
      }
      case 'salesOrder.revenueUnrecorded':
      case 'contract.revenueUnrecorded':
        dropRows(order, rowsNamed(order, data));
        break;
      case 'contract.revenueDateMoved': {
        const postingDate = str(data, 'postingDate')!;
        const current = order.rows.filter((r) => r.kind === 'recording').at(-1);
        if (current) current.postingDate = postingDate;
        order.postingDate = postingDate;
        break;
      }
      case 'salesOrder.fulfilmentUpdated':
      case 'contract.receiptsUpdated':
        takeFigures(order, data, out);
        break;
      case 'salesOrder.statusUpdated':
      case 'contract.statusUpdated':
        order.status = str(data, 'status')!;
        break;
      case 'contract.edited':
        takeContractEdit(order, data, out);
        break;
      case 'contract.invoicingUpdated': {
        if (typeof data.invoiced === 'boolean') order.invoiced = data.invoiced;
        order.invoiceDate = str(data, 'invoiceDate') ?? order.invoiceDate;
        order.invoicedAmount =
          num(data, 'invoicedAmount') ?? order.invoicedAmount;
        break;
      }
      case 'contract.paymentDeadlineUpdated':
        order.fields.paymentDeadline = str(data, 'paymentDeadline')!;
        break;
      case 'order.cancellationProposed': {
        const key = String(data.proposal).trim();
        records.set(`cancellation:${key}`, {
          kind: 'cancellation',
          id: `cancellation:${key}`,
          key,
          status: 'proposed',
          order: event.key,
          amount: num(data, 'amount')!,
          date: str(data, 'date') ?? null,
          versions: {},
        });
        break;
      }
    }

    if (event.source === 'crm') {
      order.crmView = crmShows(order);
      if (clause.command?.target === 'act') {
        if (clause.command.type.endsWith('.upsert')) {
          sendToAct(order, clause, out);
        } else {
          out.command = expectCommand(clause, true);
          if (clause.command.type === 'contract.delete') order.actView = {};
          if (clause.command.type === 'salesOrder.markRecorded') {
            order.actView.revenueStatus = json('recorded');
          }
          if (clause.command.type === 'contract.setRevenueStatus') {
            order.actView.revenueStatus = json('rejected');
          }
        }
      }

      return;
    }

    // ACT reported these; they count as what ACT shows (§4).
    for (const field of ['deliveryDeadline', 'paymentDeadline']) {
      if (typeof data[field] === 'string') {
        order.actView[field] = json(data[field]);
      }
    }
    if (/revenue/.test(type)) order.actView.revenueStatus = json(order.revenue);

    const fields =
      clause.id === 'CT-A1'
        ? CONTRACT_EDIT_FIELDS.filter((f) => f in data)
        : CRM_ORDER_FIELDS[clause.id]!;
    const now = crmShows(order);
    const changed = differs(now, order.crmView, fields);
    const expected: Record<string, Json> = {};
    if (clause.id === 'CT-A4') expected.postingDate = order.postingDate;
    out.command = expectCommand(clause, changed, {
      ...(changed && Object.keys(expected).length > 0
        ? { data: expected }
        : {}),
    });
    for (const field of fields) {
      if (now[field] !== undefined) order.crmView[field] = now[field]!;
    }
  }

  function dropRows(order: OrderModel, rows: readonly Row[]) {
    order.rows = order.rows.filter((row) => !rows.includes(row));
    order.postingDate =
      order.rows.filter((r) => r.kind === 'recording').at(-1)?.postingDate ??
      null;
  }

  function takeFigures(
    order: OrderModel,
    data: Record<string, unknown>,
    out: Expectation,
  ) {
    if (Array.isArray(data.lines)) {
      for (const raw of data.lines) {
        const given = raw as Record<string, unknown>;
        const line = order.lines.find(
          (l) => l.line === String(given.line).trim(),
        );
        if (line) line.delivered = num(given, 'deliveredQuantity')!;
      }
    }
    order.invoicedAmount = num(data, 'invoicedAmount') ?? order.invoicedAmount;
    order.received = num(data, 'receivedAmount') ?? order.received;
    order.remainingGiven = num(data, 'remainingAmount') ?? null;
    if (Array.isArray(data.receipts)) {
      order.receipts = data.receipts.map((raw) => {
        const receipt = { ...(raw as Record<string, Json>) };
        if (
          typeof receipt.amount === 'number' ||
          typeof receipt.amount === 'string'
        ) {
          receipt.amount = canon(receipt.amount);
        }

        return receipt;
      });
    }
    if (target === 'salesOrder') {
      order.delivery = deliveryOf(order.lines);
      const ordered = total(order.lines.map((l) => l.quantity));
      const delivered = total(order.lines.map((l) => l.delivered));
      if (cmp(delivered, ordered) > 0) {
        out.notices.push({
          code: 'overDelivered',
          amount: text(minus(delivered, ordered)),
        });
      } else out.forbiddenNotices.push('overDelivered');
    }
    order.payment = paymentOf(order);
    const remaining = exact(remainingOf(order));
    if (remaining.n < 0n) {
      out.notices.push({
        code: 'overpaid',
        amount: text({ n: -remaining.n, s: remaining.s }),
      });
    } else out.forbiddenNotices.push('overpaid');
  }

  function takeContractEdit(
    order: OrderModel,
    data: Record<string, unknown>,
    out: Expectation,
  ) {
    order.status = str(data, 'status') ?? order.status;
    for (const field of ['deliveryDeadline', 'paymentDeadline']) {
      const value = str(data, field);
      if (value !== undefined) order.fields[field] = value;
    }
    if (typeof data.invoiced === 'boolean') order.invoiced = data.invoiced;
    order.paymentDate = str(data, 'paymentDate') ?? order.paymentDate;
    for (const field of Object.keys(data)) {
      if (!CONTRACT_EDIT_FIELDS.includes(field)) {
        out.notices.push({ code: 'ignoredField' });
      }
    }
  }

  // Cancellations ----------------------------------------------------------

  function applyCancellation(
    clause: Clause,
    event: WireEvent,
    out: Expectation,
  ) {
    const data = event.data ?? {};
    const cancellation = records.get(
      `cancellation:${String(data.proposal).trim()}`,
    ) as CancellationModel;
    cancellation.status = clause.to;
    const row = {
      postingDate: cancellation.date ?? event.at.slice(0, 10),
      amount: text(minus(exact('0'), exact(cancellation.amount))),
    };
    if (clause.to === 'approved') {
      orderOf(event.key)!.rows.push({
        source: 'act',
        kind: 'cancellation',
        ...row,
        ...{ proposal: cancellation.key },
      } as Row);
    }
    // Decision (§3 CT-A8): an approval's one update carries the new row.
    out.command = expectCommand(clause, true, {
      data: { status: clause.to },
      ...(clause.to === 'approved' ? { carries: row } : {}),
    });
    // The cancellation.update carries the new row: CRM now shows it (§3).
    const order = orderOf(event.key)!;
    order.crmView.rows = crmShows(order).rows!;
  }

  // Invoices ---------------------------------------------------------------

  function crmInvoiceShows(invoice: InvoiceModel): View {
    return {
      status: invoice.status,
      description: json(invoice.fields.description),
      number: json(invoice.number),
      date: json(invoice.date),
    };
  }

  function applyInvoice(clause: Clause, event: WireEvent, out: Expectation) {
    const data = event.data ?? {};
    const id = `invoice:${event.key}`;
    let invoice = records.get(id) as InvoiceModel | undefined;
    if (!invoice) {
      invoice = {
        kind: 'invoice',
        id,
        key: event.key,
        status: String(data.status),
        order: String(data.order).trim(),
        fields: {},
        number: null,
        date: null,
        crmView: {},
        actView: {},
        versions: {},
      };
      records.set(id, invoice);
    }
    if (clause.to !== 'same' && clause.to !== 'given')
      invoice.status = clause.to;

    if (event.source === 'crm') {
      for (const [name, value] of Object.entries(data)) {
        if (name === 'status' || name === 'order') continue;
        if (name === 'amount') invoice.fields.amount = canon(value as string);
        else invoice.fields[name] = value as Json;
      }
      invoice.crmView = crmInvoiceShows(invoice);
      if (!clause.command) return;

      if (clause.command.type === 'invoiceRequest.delete') {
        out.command = expectCommand(clause, true);
        invoice.actView = {};

        return;
      }
      const now: View = { order: json(invoice.order) };
      for (const [name, value] of Object.entries(invoice.fields)) {
        now[name] = json(value);
      }
      out.command = expectCommand(clause, differs(now, invoice.actView));
      if (out.command?.send === 'yes') {
        invoice.actView = { ...invoice.actView, ...now };
      }

      return;
    }

    for (const [name, value] of Object.entries(data)) {
      invoice.actView[name] = json(value);
    }
    const reason = str(data, 'reason');
    const expected: Record<string, Json> = { status: clause.to };
    if (clause.id === 'INV-A2' || clause.id === 'INV-A5') {
      if (reason) {
        const before = invoice.fields.description;
        invoice.fields.description =
          typeof before === 'string' && before !== ''
            ? `${before}\n${reason}`
            : reason;
        expected.description = invoice.fields.description;
      }
    }
    if (clause.id === 'INV-A3') {
      invoice.number = str(data, 'number')!.trim();
      invoice.date = str(data, 'date')!;
      expected.number = invoice.number;
      expected.date = invoice.date;
    }
    const fields = CRM_INVOICE_FIELDS[clause.id]!;
    const now = crmInvoiceShows(invoice);
    const changed = differs(now, invoice.crmView, fields);
    out.command = expectCommand(clause, changed, { data: expected });
    for (const field of fields) invoice.crmView[field] = now[field]!;
  }

  // Customers, contacts, products, quotes -----------------------------------

  function applyLink(
    clause: Clause,
    event: WireEvent,
    id: string,
    out: Expectation,
  ) {
    const data = event.data ?? {};
    let link = records.get(id) as LinkModel | undefined;
    const state = stateFor(clause.kind, id, event.source);
    if (!link) {
      link = {
        kind: clause.kind as LinkModel['kind'],
        id,
        key: event.key,
        status: state,
        crmKind: id.startsWith('contact:') ? 'contact' : 'customer',
        crmView: {},
        actView: {},
        versions: {},
      };
      records.set(id, link);
    }
    link.status = clause.to === 'same' ? state : clause.to;

    const reported = event.source === 'crm' ? link.crmView : link.actView;
    for (const [name, value] of Object.entries(data)) {
      reported[name] = json(value);
    }
    if (!clause.command) return;

    const creating = clause.command.type === 'customer.create';
    if (creating && data.personal === true) link.crmKind = 'contact';
    // CRM keeps people as customers or contacts; ACT has only customers.
    const type =
      clause.kind === 'customer' && clause.command.target === 'crm'
        ? clause.command.type.replace(/^customer\./, `${link.crmKind}.`)
        : clause.command.type;
    const sent: Record<string, Json> = {};
    for (const [name, value] of Object.entries(data)) {
      if (clause.command.target === 'crm' && name === 'salesEmployee') continue;
      sent[name] = value as Json;
    }
    const other = clause.command.target === 'crm' ? link.crmView : link.actView;
    const changed =
      creating ||
      Object.keys(sent).some((name) => other[name] !== json(sent[name]));
    const extra: Partial<CommandExpectation> = { type };
    if (clause.kind === 'customer' && clause.command.target === 'crm') {
      if (creating && typeof data.salesEmployee === 'string') {
        extra.data = { owner: data.salesEmployee.trim() };
      }
      if (!creating) extra.without = ['owner', 'salesEmployee'];
    }
    out.command = expectCommand(clause, changed, extra);
    if (out.command?.send === 'yes') {
      for (const [name, value] of Object.entries(sent))
        other[name] = json(value);
      if (extra.data) other.owner = json(extra.data.owner);
    }
  }

  return {
    decide: (event: WireEvent) => decide(event),
    /** The statuses the engine should now report for a record id. */
    statuses: (id: string) => statusesOf(id),
    /** Whether one of the order's invoices was issued (§4 withdrawal). */
    hasIssuedInvoice: (orderKey: string) =>
      [...records.values()].some(
        (r) =>
          r.kind === 'invoice' &&
          r.order === orderKey &&
          (r.status === 'issued' || r.status === 'cancelled'),
      ),
    /** The modelled order with this key, for state-aware generators. */
    order: (key: string) => orderOf(key),
    /** Any modelled record by engine record id. */
    record: (id: string) => records.get(id),
    /** Σ of the order's cancellations still proposed. */
    pending: (orderKey: string) => pendingOf(orderKey),
    /** Whether ACT's work on the order forbids a withdrawal (§4). */
    actWork: (key: string) => {
      const order = orderOf(key);

      return order ? actWork(order) : false;
    },
    /** The net revenue of an order (Σ revenue rows). */
    net: (key: string) => {
      const order = orderOf(key);

      return order ? netRevenue(order.rows) : '0';
    },
  };
}

/** An oracle for one connection. */
export type Oracle = ReturnType<typeof createOracle>;
