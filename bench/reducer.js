/**
 * The baseline: a plain hand-written reducer doing the status arithmetic of
 * the Sales Order rules (revenue transitions with their From checks, delivery
 * and payment derived with exact decimals) with no XState, no schema
 * validation and no store. What the engine costs beyond this is the price of
 * statecharts, validation, commands and durability.
 */
import Big from 'big.js';

const ZERO = new Big(0);

/** The order total of §2: the latest given total, else Σ quantity × price. */
function totalOf(order) {
  if (order.total !== null) return order.total;

  let sum = ZERO;
  for (const line of order.lines)
    sum = sum.plus(line.quantity.times(line.unitPrice));

  return sum;
}

function deriveDelivery(order) {
  let ordered = ZERO;
  let delivered = ZERO;
  for (const line of order.lines) {
    ordered = ordered.plus(line.quantity);
    delivered = delivered.plus(line.delivered);
  }
  if (delivered.eq(0)) return 'notDelivered';

  return delivered.gte(ordered) ? 'delivered' : 'partiallyDelivered';
}

function derivePayment(order) {
  const remaining = order.remaining ?? totalOf(order).minus(order.received);
  if (remaining.lte(0)) return 'paid';

  return order.received.eq(0) ? 'unpaid' : 'partiallyPaid';
}

function takeLines(order, lines) {
  const delivered = new Map(order.lines.map((l) => [l.line, l.delivered]));
  order.lines = lines.map((l) => ({
    line: String(l.line),
    quantity: new Big(l.quantity),
    unitPrice: new Big(l.unitPrice),
    delivered: delivered.get(String(l.line)) ?? ZERO,
  }));
  order.total = null;
}

function hasActWork(order, invoices) {
  for (const line of order.lines) if (!line.delivered.eq(0)) return true;
  if (!order.received.eq(0) || !order.invoiced.eq(0)) return true;

  return order.invoices.some((key) => {
    const status = invoices.get(key)?.status;

    return status === 'issued' || status === 'cancelled';
  });
}

const INVOICE_FROM = {
  'invoice.proposed': [['draft', 'rejected', 'issuanceRejected'], 'proposed'],
  'invoice.withdrawn': [['proposed'], 'draft'],
  'invoice.approved': [['proposed'], 'approved'],
  'invoice.rejected': [['proposed'], 'rejected'],
  'invoice.issued': [['proposed', 'approved'], 'issued'],
  'invoice.issuanceRejected': [['proposed', 'approved'], 'issuanceRejected'],
  'invoice.cancelled': [['issued'], 'cancelled'],
};

/**
 * Folds the inputs (parsed JSON values) into record statuses and counts the
 * outcome of each, the way the rules decide them.
 *
 * @example
 * const { records, outcomes } = reduce(inputs);
 */
export function reduce(inputs) {
  const seen = new Set();
  const orders = new Map();
  const invoices = new Map();
  const links = new Map();
  const outcomes = {
    applied: 0,
    duplicate: 0,
    stale: 0,
    invalid: 0,
    conflict: 0,
    parked: 0,
  };

  /** The §4 stale check, then the rule; `apply` returns false on conflict. */
  function decide(record, e, apply) {
    const last = record.versions[e.source];
    if (e.version !== undefined && last !== undefined && e.version <= last) {
      outcomes.stale += 1;

      return;
    }
    seen.add(e.id);
    if (!apply()) {
      outcomes.conflict += 1;

      return;
    }
    if (e.version !== undefined) record.versions[e.source] = e.version;
    outcomes.applied += 1;
  }

  for (const input of inputs) {
    const e = input.value;
    if (e === undefined || typeof e.type !== 'string') {
      outcomes.invalid += 1;
      continue;
    }
    if (seen.has(e.id)) {
      outcomes.duplicate += 1;
      continue;
    }
    const d = e.data ?? {};
    const [noun, verb] = e.type.split('.');

    if (noun === 'order' || noun === 'salesOrder') {
      let order = orders.get(e.key);
      if (!order) {
        if (e.type !== 'order.created') {
          outcomes.parked += 1;
          continue;
        }
        order = {
          revenue: 'absent',
          status: 'notStarted',
          delivery: 'notDelivered',
          payment: 'unpaid',
          lines: [],
          total: null,
          received: ZERO,
          invoiced: ZERO,
          remaining: null,
          rows: [],
          invoices: [],
          versions: {},
        };
        orders.set(e.key, order);
      }
      const o = order;
      decide(o, e, () => orderRule(o, e, verb, d));
      continue;
    }

    if (noun === 'invoice') {
      let invoice = invoices.get(e.key);
      if (!invoice) {
        if (e.type !== 'invoice.created') {
          outcomes.parked += 1;
          continue;
        }
        invoice = { status: 'absent', versions: {} };
        invoices.set(e.key, invoice);
      }
      const inv = invoice;
      decide(inv, e, () => {
        if (e.type === 'invoice.created') {
          if (inv.status !== 'absent') return false;
          inv.status = d.status;
          orders.get(d.order)?.invoices.push(e.key);

          return true;
        }
        const rule = INVOICE_FROM[e.type];
        if (!rule) return true;
        if (!rule[0].includes(inv.status)) return false;
        inv.status = rule[1];

        return true;
      });
      continue;
    }

    if (noun === 'customer' || noun === 'product') {
      if (!['created', 'updated', 'fetched', 'imported'].includes(verb)) {
        outcomes.invalid += 1;
        continue;
      }
      const id = `${noun}:${e.key}`;
      let link = links.get(id);
      if (!link) {
        link = { status: 'absent', versions: {} };
        links.set(id, link);
      }
      const l = link;
      decide(l, e, () => {
        if (verb === 'fetched') l.status = 'linked';
        else if (e.source === 'act') {
          if (l.status === 'crmOnly') return false;
          l.status = 'linked';
        } else if (noun === 'product') l.status = 'linked';
        else if (l.status === 'absent') l.status = 'crmOnly';

        return true;
      });
      continue;
    }

    outcomes.invalid += 1;
  }

  const records = new Map();
  for (const [key, o] of orders) {
    records.set(`order:${key}`, {
      revenue: o.revenue,
      delivery: o.delivery,
      payment: o.payment,
      status: o.status,
    });
  }
  for (const [key, i] of invoices)
    records.set(`invoice:${key}`, { invoice: i.status });
  for (const [id, l] of links) records.set(id, { link: l.status });

  return { records, outcomes };

  function orderRule(o, e, verb, d) {
    switch (verb) {
      case 'created':
        if (o.revenue !== 'absent') return false;
        o.revenue = d.revenueStatus;
        takeLines(o, d.lines);
        if (d.total !== undefined) o.total = new Big(d.total);

        return true;
      case 'updated': {
        const wanted = d.revenueStatus;
        const proposes =
          wanted === 'proposed' &&
          (o.revenue === 'draft' || o.revenue === 'rejected');
        if (wanted !== undefined && wanted !== o.revenue && !proposes) {
          return false;
        }
        if (d.lines !== undefined) takeLines(o, d.lines);
        if (d.total !== undefined) o.total = new Big(d.total);
        if (proposes) o.revenue = 'proposed';

        return true;
      }
      case 'proposed':
        if (o.revenue !== 'draft' && o.revenue !== 'rejected') return false;
        o.revenue = 'proposed';

        return true;
      case 'withdrawn':
        if (o.revenue !== 'proposed' || hasActWork(o, invoices)) return false;
        o.revenue = 'draft';

        return true;
      case 'recorded':
        if (o.revenue !== 'proposed') return false;
        o.revenue = 'recorded';
        o.rows = [{ source: 'crm', amount: totalOf(o) }];

        return true;
      case 'rejected':
        if (o.revenue !== 'proposed' && o.revenue !== 'recorded') return false;
        o.revenue = 'rejected';
        o.rows = [];

        return true;
      case 'revenueRecorded': {
        const crmOnly =
          o.rows.length > 0 && o.rows.every((row) => row.source === 'crm');
        if (
          o.revenue !== 'proposed' &&
          !(o.revenue === 'recorded' && crmOnly)
        ) {
          return false;
        }
        o.revenue = 'recorded';
        o.rows = [{ source: 'act', amount: new Big(d.amount) }];

        return true;
      }
      case 'statusUpdated':
        o.status = d.status;

        return true;
      case 'fulfilmentUpdated': {
        const given = Array.isArray(d.lines) ? d.lines : [];
        const byLine = new Map(o.lines.map((line) => [line.line, line]));
        for (const entry of given) {
          if (!byLine.has(String(entry.line))) return false;
        }
        for (const entry of given) {
          byLine.get(String(entry.line)).delivered = new Big(
            entry.deliveredQuantity,
          );
        }
        if (given.length > 0) o.delivery = deriveDelivery(o);
        if (d.invoicedAmount !== undefined)
          o.invoiced = new Big(d.invoicedAmount);
        if (d.receivedAmount !== undefined)
          o.received = new Big(d.receivedAmount);
        o.remaining =
          d.remainingAmount !== undefined ? new Big(d.remainingAmount) : null;
        o.payment = derivePayment(o);

        return true;
      }
      default:
        return true;
    }
  }
}
