import { describe, it, expect } from 'vitest';
import type { Engine } from '../index.js';
import {
  LINES,
  TOTAL,
  act,
  crm,
  expectConflict,
  given,
  invoiceCreated,
  newEngine,
  orderCreated,
  orderIn,
  statuses,
  type RevenueStart,
} from './support/events.js';

const KEY = 'DH-0001';
const ORDER = `order:${KEY}`;

/** The ACT Sales Order as SO-C1/SO-C4 send it for the scenario's order. */
const UPSERT_DATA = {
  customer: 'KH-0001',
  currency: 'VND',
  lines: LINES,
  total: TOTAL,
  deliveryDeadline: '2026-11-20',
  paymentDeadline: '2026-12-15',
  revenueStatus: 'proposed',
};

function context(engine: Engine) {
  return engine.record(ORDER)!.context as Record<string, unknown>;
}

function rows(engine: Engine) {
  return context(engine).revenueRows;
}

function revenue(engine: Engine) {
  return statuses(engine, ORDER)?.revenue;
}

function fulfilment(data: Record<string, unknown>) {
  return act('salesOrder.fulfilmentUpdated', KEY, data as never);
}

describe('SO-C1 CRM add and edit', () => {
  it('SO-C1 add as draft creates a draft, undelivered, unpaid, not started order and sends nothing', () => {
    const engine = newEngine();

    const result = engine.handle(orderCreated(KEY));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['SO-C1'],
      commands: [],
    });
    expect(statuses(engine, ORDER)).toEqual({
      revenue: 'draft',
      delivery: 'notDelivered',
      payment: 'unpaid',
      status: 'notStarted',
    });
  });

  it('SO-C1 add as proposed sends salesOrder.upsert with the whole order', () => {
    const engine = newEngine();

    const result = engine.handle(
      orderCreated(KEY, { revenueStatus: 'proposed' }),
    );

    expect(result.rules).toEqual(['SO-C1']);
    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'salesOrder.upsert',
        rule: 'SO-C1',
        key: KEY,
        data: UPSERT_DATA,
      },
    ]);
    expect(revenue(engine)).toBe('proposed');
  });

  it('SO-C1 add with a revenue status other than draft or proposed is invalid', () => {
    const engine = newEngine();

    const result = engine.handle(
      orderCreated(KEY, { revenueStatus: 'recorded' }),
    );

    expect(result.outcome).toBe('invalid');
    expect(result.error?.field).toBe('data.revenueStatus');
    expect(engine.record(ORDER)).toBeUndefined();
  });

  it('SO-C1 add of an order that exists is a conflict', () => {
    const engine = newEngine();
    given(engine, orderCreated(KEY));

    expectConflict(engine, orderCreated(KEY), 'SO-C1', 'alreadyExists', [
      ORDER,
    ]);
  });

  it.each(['draft', 'recorded', 'recordedByCrm', 'rejected'] as const)(
    'SO-C1 edit from %s keeps the revenue status and sends nothing',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);
      const before = revenue(engine);

      const result = engine.handle(
        crm('order.updated', KEY, { paymentDeadline: '2026-12-31' }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['SO-C1'],
        commands: [],
      });
      expect(revenue(engine)).toBe(before);
      expect(context(engine).paymentDeadline).toBe('2026-12-31');
    },
  );

  it('SO-C1 edit while proposed sends salesOrder.upsert with the new figures', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      crm('order.updated', KEY, {
        revenueStatus: 'proposed',
        paymentDeadline: '2026-12-31',
      }),
    );

    expect(result.rules).toEqual(['SO-C1']);
    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatchObject({
      target: 'act',
      type: 'salesOrder.upsert',
      rule: 'SO-C1',
      key: KEY,
      data: { ...UPSERT_DATA, paymentDeadline: '2026-12-31' },
    });
  });

  it('SO-C1 edit while proposed that repeats what ACT holds sends nothing (an echo)', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      crm('order.updated', KEY, { lines: LINES, total: TOTAL }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['SO-C1'],
      commands: [],
    });
  });

  it.each(['draft', 'rejected'] as const)(
    'SO-C1 edit to proposed from %s is also the propose (SO-C4) and sends one command',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        crm('order.updated', KEY, { revenueStatus: 'proposed' }),
      );

      expect(result.outcome).toBe('applied');
      expect(result.rules).toEqual(['SO-C1', 'SO-C4']);
      expect(result.commands).toHaveLength(1);
      expect(result.commands[0]).toMatchObject({
        target: 'act',
        type: 'salesOrder.upsert',
        rule: 'SO-C4',
        data: UPSERT_DATA,
      });
      expect(revenue(engine)).toBe('proposed');
    },
  );

  it.each([
    ['draft', 'recorded'],
    ['draft', 'rejected'],
    ['proposed', 'draft'],
    ['proposed', 'recorded'],
    ['recorded', 'proposed'],
    ['recorded', 'draft'],
    ['rejected', 'draft'],
  ] as const)(
    'SO-C1 edit from %s that sets the revenue status to %s is a conflict',
    (start, to) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      const result = expectConflict(
        engine,
        crm('order.updated', KEY, { revenueStatus: to, total: '1' }),
        'SO-C1',
        'statusChangeNotAllowed',
        [ORDER],
      );

      expect(result.error?.field).toBe('data.revenueStatus');
    },
  );

  it('SO-C1 edit with the current status is a plain edit', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'draft');

    const result = engine.handle(
      crm('order.updated', KEY, { revenueStatus: 'draft', total: '1' }),
    );

    expect(result).toMatchObject({ outcome: 'applied', rules: ['SO-C1'] });
    expect(context(engine).total).toBe('1');
  });
});

describe('order total (§2)', () => {
  it('SO-C4 sends Σ quantity × unit price as the total when the add gave none', () => {
    const engine = newEngine();
    given(engine, orderCreated(KEY, { total: undefined as never }));

    const result = engine.handle(crm('order.proposed', KEY));

    expect(result.commands[0]?.data.total).toBe(TOTAL);
  });

  it('SO-C1 edit that changes lines without a total makes the total Σ quantity × unit price', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed', { total: '19000000' });
    const lines = [{ ...LINES[0]!, quantity: '4' }, LINES[1]!];

    const result = engine.handle(crm('order.updated', KEY, { lines }));

    // 4 × 1250000 + 2 × 3400000
    expect(result.commands[0]?.data.total).toBe('11800000');
  });

  it('SO-C1 edit that repeats the lines without a total keeps the given total', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed', { total: '19000000' });

    const result = engine.handle(crm('order.updated', KEY, { lines: LINES }));

    expect(result.commands).toEqual([]);
    expect(context(engine).total).toBe('19000000');
  });

  it('SO-A2 derives the remaining amount from the latest given total', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed', { total: '19000000' });

    const result = engine.handle(fulfilment({ receivedAmount: '18999999' }));

    expect(result.commands[0]?.data).toMatchObject({
      remainingAmount: '1',
      paymentStatus: 'partiallyPaid',
    });
  });
});

describe('SO-C2 CRM delete', () => {
  it.each(['draft', 'proposed', 'recorded', 'rejected'] as const)(
    'SO-C2 delete from %s sends nothing and keeps the statuses',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);
      const before = statuses(engine, ORDER);

      const result = engine.handle(crm('order.deleted', KEY));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['SO-C2'],
        commands: [],
      });
      expect(statuses(engine, ORDER)).toEqual(before);
      expect(context(engine).deleted).toBe(true);
    },
  );

  it('SO-C2 delete of a never-seen order is parked', () => {
    const engine = newEngine();

    const result = engine.handle(crm('order.deleted', KEY));

    expect(result).toMatchObject({ outcome: 'parked', rules: [] });
  });
});

describe('SO-C3 CRM import', () => {
  it.each(['draft', 'proposed'] as const)(
    'SO-C3 import as %s sends nothing',
    (status) => {
      const engine = newEngine();

      const result = engine.handle(
        crm('order.imported', KEY, {
          revenueStatus: status,
          lines: LINES,
          total: TOTAL,
        }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['SO-C3'],
        commands: [],
      });
      expect(revenue(engine)).toBe(status);
    },
  );

  it('SO-C3 import with revenue status rejected is invalid', () => {
    const engine = newEngine();

    const result = engine.handle(
      crm('order.imported', KEY, { revenueStatus: 'rejected', lines: LINES }),
    );

    expect(result.outcome).toBe('invalid');
  });

  it('SO-C3 import of an order that exists is a conflict', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'draft');

    expectConflict(
      engine,
      crm('order.imported', KEY, { revenueStatus: 'draft', lines: LINES }),
      'SO-C3',
      'alreadyExists',
      [ORDER],
    );
  });

  it('SO-C1 edit after an import as proposed sends the whole Sales Order', () => {
    const engine = newEngine();
    given(
      engine,
      crm('order.imported', KEY, {
        revenueStatus: 'proposed',
        customer: 'KH-0001',
        lines: LINES,
      }),
    );

    const result = engine.handle(crm('order.updated', KEY, { total: TOTAL }));

    expect(result.commands[0]).toMatchObject({
      type: 'salesOrder.upsert',
      rule: 'SO-C1',
      data: { lines: LINES, total: TOTAL, revenueStatus: 'proposed' },
    });
  });
});

describe('SO-C4 CRM propose', () => {
  it.each(['draft', 'rejected'] as const)(
    'SO-C4 propose from %s moves to proposed and sends salesOrder.upsert',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(crm('order.proposed', KEY));

      expect(result).toMatchObject({ outcome: 'applied', rules: ['SO-C4'] });
      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'salesOrder.upsert',
          rule: 'SO-C4',
          key: KEY,
          data: UPSERT_DATA,
        },
      ]);
      expect(revenue(engine)).toBe('proposed');
    },
  );

  it('SO-C4 propose sends its command even when ACT already holds the same order', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    given(engine, crm('order.withdrawn', KEY));

    const result = engine.handle(crm('order.proposed', KEY));

    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatchObject({
      type: 'salesOrder.upsert',
      data: UPSERT_DATA,
    });
  });

  it.each(['proposed', 'recorded', 'recordedByCrm'] as const)(
    'SO-C4 propose from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.proposed', KEY),
        'SO-C4',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('SO-C5 CRM record and reject', () => {
  it('SO-C5 record from proposed adds a row of the order total and tells ACT', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      crm('order.recorded', KEY, {}, { at: '2026-11-02T23:30:00+07:00' }),
    );

    expect(result.rules).toEqual(['SO-C5']);
    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'salesOrder.markRecorded',
        rule: 'SO-C5',
        key: KEY,
        data: {
          revenueStatus: 'recorded',
          postingDate: '2026-11-02',
          amount: TOTAL,
        },
      },
    ]);
    expect(revenue(engine)).toBe('recorded');
    expect(rows(engine)).toEqual([
      {
        source: 'crm',
        kind: 'recording',
        postingDate: '2026-11-02',
        amount: TOTAL,
      },
    ]);
    expect(context(engine).postingDate).toBe('2026-11-02');
  });

  it.each([
    ['2026-11-02T23:30:00-05:00', '2026-11-02'],
    ['2026-11-03T01:30:00+07:00', '2026-11-03'],
    ['2026-11-02T23:59:59Z', '2026-11-02'],
  ])(
    'SO-C5 record dates the row by the date %s names in its own offset',
    (at, date) => {
      const engine = newEngine();
      orderIn(engine, KEY, 'proposed');

      given(engine, crm('order.recorded', KEY, {}, { at }));

      expect(rows(engine)).toMatchObject([{ postingDate: date }]);
    },
  );

  it.each(['draft', 'recorded', 'recordedByCrm', 'rejected'] as const)(
    'SO-C5 record from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.recorded', KEY),
        'SO-C5',
        'notAllowed',
        [ORDER],
      );
    },
  );

  it.each(['proposed', 'recorded', 'recordedByCrm'] as const)(
    'SO-C5 reject from %s moves to rejected and sends nothing',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        crm('order.rejected', KEY, { reason: 'Sai đơn giá' }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['SO-C5'],
        commands: [],
      });
      expect(revenue(engine)).toBe('rejected');
      // Decision: a CRM reject takes the recording rows out of the table.
      expect(rows(engine)).toEqual([]);
    },
  );

  it.each(['draft', 'rejected'] as const)(
    'SO-C5 reject from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.rejected', KEY),
        'SO-C5',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('SO-C6 CRM withdraw proposal', () => {
  it('SO-C6 withdraw from proposed moves to draft and sends nothing', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(crm('order.withdrawn', KEY));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['SO-C6'],
      commands: [],
    });
    expect(revenue(engine)).toBe('draft');
  });

  it.each(['draft', 'recorded', 'rejected'] as const)(
    'SO-C6 withdraw from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.withdrawn', KEY),
        'SO-C6',
        'notAllowed',
        [ORDER],
      );
    },
  );

  it('SO-C6 withdraw is allowed after ACT reports nothing delivered, received or invoiced', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    given(
      engine,
      fulfilment({
        lines: [{ line: '1', deliveredQuantity: '0' }],
        invoicedAmount: '0',
        receivedAmount: '0',
      }),
    );

    const result = engine.handle(crm('order.withdrawn', KEY));

    expect(result).toMatchObject({ outcome: 'applied', rules: ['SO-C6'] });
  });

  const work: [string, (engine: Engine) => void][] = [
    [
      'ACT has delivered goods',
      (engine) =>
        given(
          engine,
          fulfilment({ lines: [{ line: '2', deliveredQuantity: '0.5' }] }),
        ),
    ],
    [
      'ACT has received money',
      (engine) => given(engine, fulfilment({ receivedAmount: '1' })),
    ],
    [
      'ACT has invoiced an amount',
      (engine) => given(engine, fulfilment({ invoicedAmount: '1000' })),
    ],
    [
      'ACT has issued an invoice of the order',
      (engine) =>
        given(
          engine,
          invoiceCreated('HD-0001', KEY, { status: 'proposed' }),
          act('invoice.issued', 'HD-0001', {
            number: '0000123',
            date: '2026-11-06',
          }),
        ),
    ],
  ];

  it.each(work)(
    'SO-C6 withdraw is a conflict when %s, and check() says so first',
    (_, arrange) => {
      const engine = newEngine();
      orderIn(engine, KEY, 'proposed');
      arrange(engine);
      const withdrawal = crm('order.withdrawn', KEY);
      const outbox = engine.outbox.all().length;
      const conflicts = engine.conflicts().length;
      const record = engine.record(ORDER);

      const checked = engine.check(withdrawal);

      expect(checked).toMatchObject({
        outcome: 'conflict',
        rules: ['SO-C6'],
        commands: [],
        error: { code: 'actWorkExists' },
      });
      expect(engine.record(ORDER)).toEqual(record);
      expect(engine.outbox.all()).toHaveLength(outbox);
      expect(engine.conflicts()).toHaveLength(conflicts);
      const handled = expectConflict(
        engine,
        withdrawal,
        'SO-C6',
        'actWorkExists',
        [ORDER],
      );
      expect(handled).toEqual(checked);
    },
  );

  it('SO-C6 check() of an allowed withdrawal reports applied and changes nothing', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    const withdrawal = crm('order.withdrawn', KEY);

    const checked = engine.check(withdrawal);

    expect(checked).toMatchObject({ outcome: 'applied', rules: ['SO-C6'] });
    expect(revenue(engine)).toBe('proposed');
    expect(engine.handle(withdrawal)).toEqual(checked);
    expect(revenue(engine)).toBe('draft');
  });
});

describe('SO-C7 CRM propose revenue cancellation', () => {
  const propose = (proposal: string, amount: string) =>
    crm('order.cancellationProposed', KEY, {
      proposal,
      amount,
      date: '2026-11-20',
      reason: 'Khách trả lại hàng',
    });

  it('SO-C7 from recorded creates a proposed cancellation that stays on CRM', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(propose('HDS-0001', '5000000'));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['SO-C7'],
      commands: [],
    });
    expect(statuses(engine, 'cancellation:HDS-0001')).toEqual({
      cancellation: 'proposed',
    });
    expect(engine.record('cancellation:HDS-0001')?.parent).toBe(ORDER);
    expect(rows(engine)).toHaveLength(1);
  });

  it.each(['draft', 'proposed', 'rejected'] as const)(
    'SO-C7 from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        propose('HDS-0001', '1000'),
        'SO-C7',
        'notAllowed',
        [ORDER, 'cancellation:HDS-0001'],
      );
    },
  );

  it.each([
    ['0', 'is zero'],
    ['19300001', 'exceeds the net revenue'],
  ])('SO-C7 with amount %s is a conflict because it %s', (amount) => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = expectConflict(
      engine,
      propose('HDS-0001', amount),
      'SO-C7',
      'cancellationExceedsRevenue',
      [ORDER, 'cancellation:HDS-0001'],
    );
    expect(result.error?.field).toBe('data.amount');
  });

  it('SO-C7 counts the amounts still proposed against the net revenue', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');
    given(engine, propose('HDS-0001', '19000000'));

    expectConflict(
      engine,
      propose('HDS-0002', '300001'),
      'SO-C7',
      'cancellationExceedsRevenue',
      [ORDER, 'cancellation:HDS-0002'],
    );
    expect(engine.handle(propose('HDS-0002', '300000')).outcome).toBe(
      'applied',
    );
  });

  it('SO-C7 with a proposal code already used is a conflict', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');
    given(engine, propose('HDS-0001', '1000'));

    expectConflict(
      engine,
      propose('HDS-0001', '1000'),
      'SO-C7',
      'alreadyExists',
      [ORDER, 'cancellation:HDS-0001'],
    );
  });
});

describe('SO-A1 ACT record and unrecord revenue', () => {
  const recorded = (postingDate: string, amount = TOTAL) =>
    act('salesOrder.revenueRecorded', KEY, { postingDate, amount });

  it('SO-A1 record from proposed adds ACT’s row and updates CRM', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(recorded('2026-11-03'));

    const row = {
      source: 'act',
      kind: 'recording',
      postingDate: '2026-11-03',
      amount: TOTAL,
    };
    expect(result.rules).toEqual(['SO-A1']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'order.update',
        rule: 'SO-A1',
        key: KEY,
        data: {
          revenueStatus: 'recorded',
          revenueRows: [row],
          postingDate: '2026-11-03',
        },
      },
    ]);
    expect(revenue(engine)).toBe('recorded');
    expect(rows(engine)).toEqual([row]);
  });

  it('SO-A1 record after CRM recorded it replaces CRM’s row with ACT’s', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recordedByCrm');

    const result = engine.handle(recorded('2026-11-05', '19000000'));

    expect(result).toMatchObject({ outcome: 'applied', rules: ['SO-A1'] });
    expect(rows(engine)).toEqual([
      {
        source: 'act',
        kind: 'recording',
        postingDate: '2026-11-05',
        amount: '19000000',
      },
    ]);
    expect(context(engine).postingDate).toBe('2026-11-05');
    expect(result.commands[0]?.data.revenueRows).toEqual(rows(engine));
  });

  it.each(['draft', 'rejected'] as const)(
    'SO-A1 record from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(engine, recorded('2026-11-03'), 'SO-A1', 'notAllowed', [
        ORDER,
      ]);
    },
  );

  it('SO-A1 record when ACT already recorded it is a conflict', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    expectConflict(engine, recorded('2026-11-04'), 'SO-A1', 'alreadyRecorded', [
      ORDER,
    ]);
  });

  it('SO-A1 unrecord that names no row removes every recording row', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(act('salesOrder.revenueUnrecorded', KEY));

    expect(result.rules).toEqual(['SO-A1']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'order.update',
        rule: 'SO-A1',
        key: KEY,
        data: { revenueStatus: 'proposed', revenueRows: [], postingDate: null },
      },
    ]);
    expect(revenue(engine)).toBe('proposed');
    expect(rows(engine)).toEqual([]);
  });

  it('SO-A1 unrecord removes the row it names by posting date and amount', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(
      act('salesOrder.revenueUnrecorded', KEY, {
        postingDate: '2026-11-03',
        amount: TOTAL,
      }),
    );

    expect(result.outcome).toBe('applied');
    expect(rows(engine)).toEqual([]);
  });

  it('SO-A1 unrecord that names a row the table lacks is a conflict', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    expectConflict(
      engine,
      act('salesOrder.revenueUnrecorded', KEY, {
        postingDate: '2026-11-04',
        amount: TOTAL,
      }),
      'SO-A1',
      'revenueRowNotFound',
      [ORDER],
    );
  });

  it.each(['draft', 'proposed', 'rejected'] as const)(
    'SO-A1 unrecord from %s is a conflict',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        act('salesOrder.revenueUnrecorded', KEY),
        'SO-A1',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('SO-A2 ACT delivered quantity, invoiced value and receipts', () => {
  it.each(['draft', 'proposed', 'recorded', 'rejected'] as const)(
    'SO-A2 from %s updates CRM and derives delivery and payment',
    (start: RevenueStart) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);
      const receipts = [
        { number: 'PT-0101', date: '2026-11-05', amount: '5000000' },
      ];

      const result = engine.handle(
        fulfilment({
          lines: [
            { line: '1', deliveredQuantity: '6' },
            { line: '2', deliveredQuantity: '0' },
          ],
          invoicedAmount: '0',
          receivedAmount: '5000000',
          remainingAmount: '14300000',
          receipts,
        }),
      );

      expect(result.rules).toEqual(['SO-A2']);
      expect(result.commands).toHaveLength(1);
      expect(result.commands[0]).toMatchObject({
        target: 'crm',
        type: 'order.update',
        rule: 'SO-A2',
        key: KEY,
        data: {
          lines: [
            { line: '1', deliveredQuantity: '6' },
            { line: '2', deliveredQuantity: '0' },
          ],
          receivedAmount: '5000000',
          remainingAmount: '14300000',
          receipts,
          deliveryStatus: 'partiallyDelivered',
          paymentStatus: 'partiallyPaid',
        },
      });
      expect(statuses(engine, ORDER)).toMatchObject({
        delivery: 'partiallyDelivered',
        payment: 'partiallyPaid',
      });
    },
  );

  it('SO-A2 for a never-seen order is parked and handled again after SO-C1, same id and line', () => {
    const engine = newEngine();
    const early = fulfilment({
      lines: [{ line: '1', deliveredQuantity: '4' }],
    });

    const { results } = engine.run([
      { value: early, line: 1 },
      { value: orderCreated(KEY), line: 2 },
    ]);

    expect(results.map((r) => [r.line, r.event, r.outcome, r.rules])).toEqual([
      [1, early.id, 'parked', []],
      [2, results[1]!.event, 'applied', ['SO-C1']],
      [1, early.id, 'applied', ['SO-A2']],
    ]);
    expect(statuses(engine, ORDER)?.delivery).toBe('partiallyDelivered');
  });

  it('SO-A2 sent twice with the same figures sends nothing the second time', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');
    const data = {
      lines: [{ line: '1', deliveredQuantity: '6' }],
      receivedAmount: '5000000',
    };
    given(engine, fulfilment(data));

    const result = engine.handle(fulfilment(data));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['SO-A2'],
      commands: [],
    });
  });

  it('SO-A2 sends only the fields that changed since the last update', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      fulfilment({
        lines: [{ line: '1', deliveredQuantity: '6' }],
        receivedAmount: '5000000',
      }),
    );

    const result = engine.handle(
      fulfilment({
        lines: [{ line: '1', deliveredQuantity: '6' }],
        receivedAmount: '7000000',
      }),
    );

    expect(result.commands[0]?.data).toEqual({
      receivedAmount: '7000000',
      remainingAmount: '12300000',
    });
  });

  it('SO-A2 keeps the delivered quantity of a line the event leaves out', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    given(
      engine,
      fulfilment({ lines: [{ line: '1', deliveredQuantity: '10' }] }),
    );

    given(
      engine,
      fulfilment({ lines: [{ line: '2', deliveredQuantity: '2' }] }),
    );

    expect(context(engine).lines).toMatchObject([
      { line: '1', deliveredQuantity: '10' },
      { line: '2', deliveredQuantity: '2' },
    ]);
    expect(statuses(engine, ORDER)?.delivery).toBe('delivered');
  });

  it('SO-A2 with a line the order lacks is a conflict unknownLine naming the field', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = expectConflict(
      engine,
      fulfilment({
        lines: [
          { line: '1', deliveredQuantity: '1' },
          { line: '9', deliveredQuantity: '1' },
        ],
      }),
      'SO-A2',
      'unknownLine',
      [ORDER],
    );

    expect(result.error?.field).toBe('data.lines[1].line');
  });

  const decimalOrder = [
    { line: '1', product: 'SP-A', quantity: '0.1', unitPrice: '1000' },
    { line: '2', product: 'SP-B', quantity: '0.2', unitPrice: '1000' },
  ];

  it.each([
    ['JSON numbers', 0.3, 0],
    ['decimal strings', '0.3', '0'],
  ])(
    'SO-A2 counts 0.3 delivered against 0.1 + 0.2 ordered as delivered, given as %s',
    (_, first, second) => {
      const engine = newEngine();
      given(engine, orderCreated(KEY, { lines: decimalOrder, total: '300' }));

      const result = engine.handle(
        fulfilment({
          lines: [
            { line: '1', deliveredQuantity: first },
            { line: '2', deliveredQuantity: second },
          ],
        }),
      );

      expect(statuses(engine, ORDER)?.delivery).toBe('delivered');
      expect(result.notices.map((n) => n.code)).not.toContain('overDelivered');
    },
  );

  it.each([
    ['JSON numbers', 0.1, 0.2],
    ['decimal strings', '0.1', '0.2'],
  ])(
    'SO-A2 counts 0.1 + 0.2 delivered against 0.3 ordered as delivered with no excess, given as %s',
    (_, first, second) => {
      const engine = newEngine();
      given(
        engine,
        orderCreated(KEY, {
          lines: [
            { line: '1', quantity: '0.3', unitPrice: '1000' },
            { line: '2', quantity: '0', unitPrice: '1000' },
          ],
          total: '300',
        }),
      );

      const result = engine.handle(
        fulfilment({
          lines: [
            { line: '1', deliveredQuantity: first },
            { line: '2', deliveredQuantity: second },
          ],
        }),
      );

      expect(statuses(engine, ORDER)?.delivery).toBe('delivered');
      expect(result.notices.map((n) => n.code)).not.toContain('overDelivered');
    },
  );

  it('SO-A2 counts 33333 + 33333 + 33334 delivered of 100000 ordered as delivered', () => {
    const engine = newEngine();
    given(
      engine,
      orderCreated(KEY, {
        lines: ['33333', '33333', '33334'].map((quantity, i) => ({
          line: String(i + 1),
          quantity,
          unitPrice: '1',
        })),
        total: undefined as never,
      }),
    );

    const result = engine.handle(
      fulfilment({
        lines: ['33333', '33333', '33334'].map((deliveredQuantity, i) => ({
          line: String(i + 1),
          deliveredQuantity,
        })),
        receivedAmount: '100000',
      }),
    );

    expect(statuses(engine, ORDER)).toMatchObject({
      delivery: 'delivered',
      payment: 'paid',
    });
    expect(result.commands[0]?.data.remainingAmount).toBe('0');
    expect(result.notices).toEqual([]);
  });

  it('SO-A2 counts 250000 received of 250002 as partially paid with 2 remaining', () => {
    const engine = newEngine();
    given(engine, orderCreated(KEY, { total: '250002' }));

    const result = engine.handle(fulfilment({ receivedAmount: '250000' }));

    expect(statuses(engine, ORDER)?.payment).toBe('partiallyPaid');
    expect(result.commands[0]?.data).toMatchObject({
      remainingAmount: '2',
      paymentStatus: 'partiallyPaid',
    });
  });

  it('SO-A2 reports an over-delivery with its amount and counts it delivered', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(
      fulfilment({
        lines: [
          { line: '1', deliveredQuantity: '12.5' },
          { line: '2', deliveredQuantity: '2' },
        ],
      }),
    );

    expect(statuses(engine, ORDER)?.delivery).toBe('delivered');
    expect(result.notices).toContainEqual(
      expect.objectContaining({ code: 'overDelivered', amount: '2.5' }),
    );
  });

  it('SO-A2 reports a negative remaining amount as an overpayment and counts it paid', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(
      fulfilment({ receivedAmount: '19350000', remainingAmount: '-50000' }),
    );

    expect(statuses(engine, ORDER)?.payment).toBe('paid');
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'overpaid', amount: '50000' }),
    ]);
    expect(result.commands[0]?.data.remainingAmount).toBe('-50000');
  });

  it('SO-A2 computes an overpayment from total − received when ACT gives no remaining', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(fulfilment({ receivedAmount: '19300001' }));

    expect(statuses(engine, ORDER)?.payment).toBe('paid');
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'overpaid', amount: '1' }),
    ]);
  });

  it('SO-A2 with received 0 and a positive remaining leaves the order unpaid', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'recorded');

    given(engine, fulfilment({ receivedAmount: '0' }));

    expect(statuses(engine, ORDER)?.payment).toBe('unpaid');
  });

  it('SO-A2 rederives delivery after an edit added a line, even with no lines in the event', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'draft');
    given(
      engine,
      fulfilment({
        lines: [
          { line: '1', deliveredQuantity: '10' },
          { line: '2', deliveredQuantity: '2' },
        ],
      }),
      crm('order.updated', KEY, {
        lines: [
          ...LINES,
          { line: '3', product: 'SP-TU', quantity: '1', unitPrice: '1' },
        ],
      }),
    );

    given(engine, fulfilment({ receivedAmount: '0' }));

    expect(statuses(engine, ORDER)?.delivery).toBe('partiallyDelivered');
  });
});

describe('SO-A3 ACT order status', () => {
  it.each(['draft', 'proposed', 'recorded', 'rejected'] as const)(
    'SO-A3 from %s copies ACT’s status to CRM',
    (start) => {
      const engine = newEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        act('salesOrder.statusUpdated', KEY, { status: 'inProgress' }),
      );

      expect(result.rules).toEqual(['SO-A3']);
      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'SO-A3',
          key: KEY,
          data: { status: 'inProgress' },
        },
      ]);
      expect(statuses(engine, ORDER)?.status).toBe('inProgress');
    },
  );

  it('SO-A3 with the status CRM already shows sends nothing', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    given(
      engine,
      act('salesOrder.statusUpdated', KEY, { status: 'completed' }),
    );

    const result = engine.handle(
      act('salesOrder.statusUpdated', KEY, { status: 'completed' }),
    );

    expect(result).toMatchObject({ outcome: 'applied', commands: [] });
  });

  it('SO-A3 with a version at most the last applied one is stale, and its resend a duplicate', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');
    given(
      engine,
      act(
        'salesOrder.statusUpdated',
        KEY,
        { status: 'inProgress' },
        {
          version: 5,
        },
      ),
    );
    const old = act(
      'salesOrder.statusUpdated',
      KEY,
      { status: 'notStarted' },
      {
        version: 4,
      },
    );

    const first = engine.handle(old);
    const again = engine.handle(old);

    expect(first).toMatchObject({ outcome: 'stale', rules: [], commands: [] });
    expect(again).toMatchObject({ outcome: 'duplicate', rules: [] });
    expect(statuses(engine, ORDER)?.status).toBe('inProgress');
  });

  it('SO-A3 on a Sales Order connection refuses contract events as invalid', () => {
    const engine = newEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      act('contract.statusUpdated', KEY, { status: 'completed' }),
    );

    expect(result.outcome).toBe('invalid');
    expect(result.error?.code).toBe('wrongOrderTarget');
  });
});
