/**
 * Deterministic event logs for the benchmark: many orders living their
 * lifecycles at the same time, interleaved by time as the two apps would
 * report them, with a few duplicates, stale versions and invalid lines.
 */
import Big from 'big.js';

/**
 * A small seeded PRNG (32-bit state, a multiply-xorshift output step): the
 * same seed always gives the same log, on every machine.
 *
 * @example
 * const rng = createRng(7);
 * rng.int(1, 6); // a die roll, the same one every run
 */
export function createRng(seed) {
  let state = seed >>> 0;

  function next() {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;

    return z / 4294967296;
  }

  return {
    next,
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2026-01-05 08:00 in Hanoi (UTC+7).
const EPOCH = Date.UTC(2026, 0, 5, 1, 0, 0);
const ICT = 7 * HOUR;

/** `at` as AMIS writes it: local time with the +07:00 offset. */
function stamp(ms) {
  return `${new Date(ms + ICT).toISOString().slice(0, 19)}+07:00`;
}

/** The local calendar date of a time, `YYYY-MM-DD`. */
function dateOf(ms) {
  return new Date(ms + ICT).toISOString().slice(0, 10);
}

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A quantity: mostly whole, sometimes halves or quarters (kg, m, hours). */
function quantity(rng) {
  const whole = rng.int(1, 40);
  if (rng.chance(0.7)) return String(whole);

  return new Big(whole).plus(rng.pick(['0.5', '0.25', '0.75'])).toString();
}

/** A unit price in whole đồng, a multiple of 1000 so quarters stay whole. */
function unitPrice(rng) {
  return String(rng.int(10, 5000) * 1000);
}

function sumTotal(lines) {
  let total = new Big(0);
  for (const line of lines) {
    total = total.plus(new Big(line.quantity).times(line.unitPrice));
  }

  return total.toFixed(0);
}

/** A part of an amount, rounded down to thousands of đồng. */
function partOf(amount, rng) {
  const share = rng.int(1, 9) / 10;

  return new Big(amount)
    .times(share)
    .div(1000)
    .round(0, 0)
    .times(1000)
    .toFixed(0);
}

/**
 * Builds one log; `orders` orders of the given target, about one customer
 * per eight orders and a product catalogue shared by all.
 *
 * @example
 * const { events, lines } = generateLog({ orders: 100, seed: 1 });
 */
export function generateLog({
  orders,
  seed,
  target = 'salesOrder',
  spanDays = 90,
}) {
  const rng = createRng(seed);
  const out = [];
  let seq = 0;
  let invalid = 0;
  let duplicates = 0;
  let stale = 0;
  const nextId = () => `ev-${pad(++seq, 7)}`;

  /** Queues an event at time `ms`; returns it for copies. */
  function push(ms, source, type, key, data, version) {
    const event = {
      id: nextId(),
      source,
      type,
      at: stamp(ms),
      key,
      ...(version !== undefined ? { version } : {}),
      data,
    };
    out.push({ ms, event });
    // Retries from a flaky connector: the same event, same id, a bit later.
    if (rng.chance(0.01)) {
      out.push({ ms: ms + rng.int(1, 90) * 60_000, event });
      duplicates += 1;
    }

    return event;
  }

  /** A later copy of an applied event under a new id: its version is stale. */
  function replayStale(ms, event) {
    out.push({
      ms: ms + rng.int(1, 6) * HOUR,
      event: { ...event, id: nextId() },
    });
    stale += 1;
  }

  // Products: a catalogue created on CRM before the period starts.
  const productCount = Math.max(20, Math.ceil(orders / 40));
  const products = [];
  for (let i = 1; i <= productCount; i++) {
    const key = `SP-${pad(i, 5)}`;
    products.push(key);
    push(EPOCH - DAY + i * 1000, 'crm', 'product.created', key, {
      name: `Sản phẩm ${i}`,
      unit: rng.pick(['Cái', 'Bộ', 'Kg', 'Mét', 'Giờ']),
      price: unitPrice(rng),
    });
  }

  // Customers: about one per eight orders, created as their first order nears.
  const customerCount = Math.max(5, Math.ceil(orders / 8));
  const customers = [];
  for (let i = 1; i <= customerCount; i++) {
    const key = `KH-${pad(i, 5)}`;
    const ms = EPOCH + Math.floor(((i - 1) / customerCount) * spanDays * DAY);
    customers.push({ key, ms });
    if (rng.chance(0.5)) {
      // CUS-A1: ACT adds it and creates it on CRM.
      push(ms, 'act', 'customer.created', key, {
        name: `Công ty TNHH Khách ${i}`,
        personal: rng.chance(0.1),
        salesEmployee: `NV-${pad(rng.int(1, 30), 2)}`,
      });
    } else {
      // CUS-C1, then ACT's Fetch links it (CUS-A6), then CRM edits it (CUS-C2).
      push(ms, 'crm', 'customer.created', key, {
        name: `Công ty CP Khách ${i}`,
      });
      push(ms + HOUR, 'act', 'customer.fetched', key, {
        name: `Công ty CP Khách ${i}`,
      });
      if (rng.chance(0.5)) {
        push(ms + 2 * HOUR, 'crm', 'customer.updated', key, {
          name: `Công ty Cổ phần Khách ${i}`,
          phone: `09${pad(rng.int(0, 99_999_999), 8)}`,
        });
      }
    }
  }

  const contract = target === 'contract';
  for (let n = 1; n <= orders; n++) {
    const life = contract ? contractLife : salesOrderLife;
    life(n);
  }

  function salesOrderLife(n) {
    const key = `DH-${pad(n, 6)}`;
    const customerIndex = Math.min(
      customerCount - 1,
      Math.floor(((n - 1) / orders) * customerCount),
    );
    const customer = customers[customerIndex];
    let ms = Math.max(customer.ms + 3 * HOUR, EPOCH) + rng.int(0, 12) * HOUR;
    const gap = (minHours, maxHours) => {
      ms += rng.int(minHours * 60, maxHours * 60) * 60_000;

      return ms;
    };
    let crm = 0;
    let act = 0;

    const lines = [];
    const lineCount = rng.int(1, 4);
    for (let i = 1; i <= lineCount; i++) {
      lines.push({
        line: String(i),
        product: rng.pick(products),
        quantity: quantity(rng),
        unitPrice: unitPrice(rng),
      });
    }
    let total = sumTotal(lines);
    const proposedAtOnce = rng.chance(0.35);
    const created = push(
      ms,
      'crm',
      'order.created',
      key,
      {
        revenueStatus: proposedAtOnce ? 'proposed' : 'draft',
        customer: customer.key,
        currency: 'VND',
        lines: lines.map((line) => ({ ...line })),
        ...(rng.chance(0.5) ? { total } : {}),
        deliveryDeadline: dateOf(ms + 20 * DAY),
        paymentDeadline: dateOf(ms + 45 * DAY),
      },
      ++crm,
    );

    // CRM edits: deadlines, or quantities (with or without a new total).
    const edits = rng.int(0, 2);
    for (let i = 0; i < edits; i++) {
      if (rng.chance(0.5)) {
        const line = rng.pick(lines);
        line.quantity = quantity(rng);
        total = sumTotal(lines);
        push(
          gap(0.2, 8),
          'crm',
          'order.updated',
          key,
          {
            lines: lines.map((l) => ({ ...l })),
            ...(rng.chance(0.5) ? { total } : {}),
          },
          ++crm,
        );
      } else {
        push(
          gap(0.2, 8),
          'crm',
          'order.updated',
          key,
          { deliveryDeadline: dateOf(ms + rng.int(15, 40) * DAY) },
          ++crm,
        );
      }
    }
    // A CRM edit replayed with the creation's version: stale (§4).
    if (rng.chance(0.004)) replayStale(ms, created);

    if (!proposedAtOnce) {
      if (rng.chance(0.7)) {
        push(gap(0.5, 24), 'crm', 'order.proposed', key, {}, ++crm);
      } else {
        push(
          gap(0.5, 24),
          'crm',
          'order.updated',
          key,
          { revenueStatus: 'proposed' },
          ++crm,
        );
      }
    }
    // Some proposals are withdrawn (SO-C6) or rejected (SO-C5), then redone.
    if (rng.chance(0.05)) {
      push(gap(0.5, 12), 'crm', 'order.withdrawn', key, {}, ++crm);
      push(gap(1, 24), 'crm', 'order.proposed', key, {}, ++crm);
    } else if (rng.chance(0.03)) {
      push(
        gap(0.5, 12),
        'crm',
        'order.rejected',
        key,
        { reason: 'Sai giá' },
        ++crm,
      );
      push(gap(1, 24), 'crm', 'order.proposed', key, {}, ++crm);
    }
    // A few orders are abandoned before ACT records them.
    if (rng.chance(0.04)) return;

    push(
      gap(2, 48),
      'act',
      'salesOrder.revenueRecorded',
      key,
      { postingDate: dateOf(ms), amount: total },
      ++act,
    );
    const started = push(
      gap(1, 24),
      'act',
      'salesOrder.statusUpdated',
      key,
      { status: 'inProgress' },
      ++act,
    );
    if (rng.chance(0.01)) replayStale(ms, started);
    if (rng.chance(0.003)) {
      // A connector bug: a negative delivered quantity (invalid).
      push(gap(0.1, 2), 'act', 'salesOrder.fulfilmentUpdated', key, {
        lines: [{ line: '1', deliveredQuantity: '-1' }],
      });
      invalid += 1;
    }

    // Partial delivery and payment, figures cumulative (§4).
    const received = partOf(total, rng);
    const partial = lines.map((line) => ({
      line: line.line,
      deliveredQuantity: new Big(line.quantity)
        .times(rng.int(0, 9) / 10)
        .round(0, 0)
        .toString(),
    }));
    const firstReceipt = {
      number: `PT-${pad(n, 6)}-1`,
      date: dateOf(ms),
      amount: received,
    };
    push(
      gap(12, 96),
      'act',
      'salesOrder.fulfilmentUpdated',
      key,
      {
        lines: partial,
        invoicedAmount: '0',
        receivedAmount: received,
        ...(rng.chance(0.7)
          ? { remainingAmount: new Big(total).minus(received).toFixed(0) }
          : {}),
        receipts: [firstReceipt],
      },
      ++act,
    );

    // The invoice request: created draft or proposed, approved, issued.
    const invoiceKey = `HD-${pad(n, 6)}`;
    let invoiceVersion = 0;
    const invoiceProposed = rng.chance(0.4);
    push(
      gap(1, 48),
      'crm',
      'invoice.created',
      invoiceKey,
      {
        order: key,
        status: invoiceProposed ? 'proposed' : 'draft',
        amount: total,
        description: `Xuất theo đơn ${key}`,
      },
      ++invoiceVersion,
    );
    if (!invoiceProposed) {
      push(
        gap(0.2, 8),
        'crm',
        'invoice.proposed',
        invoiceKey,
        {},
        ++invoiceVersion,
      );
    }
    if (rng.chance(0.05)) {
      push(gap(1, 24), 'act', 'invoice.rejected', invoiceKey, {
        reason: 'Thiếu mã số thuế',
      });
      push(
        gap(1, 24),
        'crm',
        'invoice.proposed',
        invoiceKey,
        {},
        ++invoiceVersion,
      );
    }
    if (rng.chance(0.8)) {
      push(gap(1, 24), 'act', 'invoice.approved', invoiceKey, {});
    }
    if (rng.chance(0.003)) {
      // An impossible date (invalid).
      push(gap(0.1, 1), 'act', 'invoice.issued', invoiceKey, {
        number: '0',
        date: '2026-02-30',
      });
      invalid += 1;
    }
    push(gap(0.5, 24), 'act', 'invoice.issued', invoiceKey, {
      number: pad(n, 7),
      date: dateOf(ms),
    });

    // Some orders stay partly delivered at the end of the period.
    if (rng.chance(0.1)) return;

    const full = lines.map((line) => ({
      line: line.line,
      deliveredQuantity: line.quantity,
    }));
    push(
      gap(24, 240),
      'act',
      'salesOrder.fulfilmentUpdated',
      key,
      {
        lines: full,
        invoicedAmount: total,
        receivedAmount: total,
        ...(rng.chance(0.7) ? { remainingAmount: '0' } : {}),
        receipts: [
          firstReceipt,
          {
            number: `PT-${pad(n, 6)}-2`,
            date: dateOf(ms),
            amount: new Big(total).minus(received).toFixed(0),
          },
        ],
      },
      ++act,
    );
    push(
      gap(0.5, 12),
      'act',
      'salesOrder.statusUpdated',
      key,
      { status: 'fullyDelivered' },
      ++act,
    );
    if (rng.chance(0.002)) {
      // A type no app sends (invalid).
      push(gap(0.1, 1), 'act', 'salesOrder.teleported', key, {});
      invalid += 1;
    }
    push(
      gap(1, 72),
      'act',
      'salesOrder.statusUpdated',
      key,
      { status: 'completed' },
      ++act,
    );
  }

  function contractLife(n) {
    const key = `HDB-${pad(n, 6)}`;
    const customer = customers[Math.floor(((n - 1) / orders) * customerCount)];
    let ms = Math.max(customer.ms + 3 * HOUR, EPOCH) + rng.int(0, 12) * HOUR;
    const gap = (minHours, maxHours) => {
      ms += rng.int(minHours * 60, maxHours * 60) * 60_000;

      return ms;
    };
    const lines = [
      {
        line: '1',
        product: rng.pick(products),
        quantity: quantity(rng),
        unitPrice: unitPrice(rng),
      },
    ];
    const total = sumTotal(lines);
    let act = 0;
    push(
      ms,
      'crm',
      'order.created',
      key,
      {
        revenueStatus: 'proposed',
        customer: customer.key,
        lines,
        total,
        paymentDeadline: dateOf(ms + 30 * DAY),
      },
      1,
    );
    push(
      gap(1, 24),
      'act',
      'contract.edited',
      key,
      {
        paymentDeadline: dateOf(ms + 40 * DAY),
        projectCode: `DA-${pad(n, 4)}`,
      },
      ++act,
    );
    push(
      gap(1, 24),
      'act',
      'contract.revenueRecorded',
      key,
      {
        postingDate: dateOf(ms),
        amount: total,
      },
      ++act,
    );
    push(
      gap(1, 48),
      'act',
      'contract.revenueDateMoved',
      key,
      {
        postingDate: dateOf(ms + DAY),
      },
      ++act,
    );
    if (rng.chance(0.3)) {
      const proposal = `HDS-${pad(n, 6)}`;
      const amount = partOf(total, rng);
      push(
        gap(1, 48),
        'crm',
        'order.cancellationProposed',
        key,
        {
          proposal,
          amount,
          reason: 'Giảm giá',
        },
        2,
      );
      push(
        gap(1, 48),
        'act',
        'contract.cancellationApproved',
        key,
        {
          proposal,
        },
        ++act,
      );
    }
    push(
      gap(1, 48),
      'act',
      'contract.invoicingUpdated',
      key,
      {
        invoiced: true,
        invoiceDate: dateOf(ms),
        invoicedAmount: total,
      },
      ++act,
    );
    const received = partOf(total, rng);
    push(
      gap(1, 96),
      'act',
      'contract.receiptsUpdated',
      key,
      {
        receivedAmount: received,
        receipts: [
          { number: `PT-${pad(n, 6)}`, date: dateOf(ms), amount: received },
        ],
      },
      ++act,
    );
    push(
      gap(1, 96),
      'act',
      'contract.receiptsUpdated',
      key,
      {
        receivedAmount: total,
        remainingAmount: '0',
      },
      ++act,
    );
    push(
      gap(1, 24),
      'act',
      'contract.statusUpdated',
      key,
      {
        status: 'inProgress',
      },
      ++act,
    );
  }

  // Arrival order: by time, ties kept in the order they were made.
  out.sort((a, b) => a.ms - b.ms);
  const lines = out.map((entry) => JSON.stringify(entry.event));
  // Lines no parser can read (invalid), as a broken export would leave them.
  const brokenEvery = Math.max(1, Math.floor(lines.length / 5));
  for (let at = brokenEvery; at < lines.length; at += brokenEvery) {
    lines.splice(at, 0, '{"id":"ev-broken","source":"act",');
    invalid += 1;
  }

  return {
    lines,
    orders,
    customers: customerCount,
    products: productCount,
    planted: { invalid, duplicates, stale },
  };
}
