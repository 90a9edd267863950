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
} from './support/events.js';

const KEY = 'HDB-0042';
const ORDER = `order:${KEY}`;
const PROPOSAL = 'HDS-0001';
const CANCELLATION = `cancellation:${PROPOSAL}`;

/** The ACT Contract as CT-C1/CT-C4 send it for the scenario's order. */
const UPSERT_DATA = {
  customer: 'KH-0001',
  currency: 'VND',
  lines: LINES,
  total: TOTAL,
  deliveryDeadline: '2026-11-20',
  paymentDeadline: '2026-12-15',
  revenueStatus: 'proposed',
};

function contractEngine(): Engine {
  return newEngine('contract');
}

function context(engine: Engine) {
  return engine.record(ORDER)!.context as Record<string, unknown>;
}

function rows(engine: Engine) {
  return context(engine).revenueRows;
}

function revenue(engine: Engine) {
  return statuses(engine, ORDER)?.revenue;
}

function proposeCancellation(amount: string, proposal = PROPOSAL) {
  return crm('order.cancellationProposed', KEY, {
    proposal,
    amount,
    date: '2026-10-20',
    reason: 'Khách hàng giảm 2 tháng bảo trì',
  });
}

describe('CT-C1 CRM add and edit', () => {
  it('CT-C1 add as draft creates an order without a delivery status and sends nothing', () => {
    const engine = contractEngine();

    const result = engine.handle(orderCreated(KEY));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-C1'],
      commands: [],
    });
    expect(statuses(engine, ORDER)).toEqual({
      revenue: 'draft',
      payment: 'unpaid',
      status: 'notStarted',
    });
  });

  it('CT-C1 add as proposed sends contract.upsert with the whole order', () => {
    const engine = contractEngine();

    const result = engine.handle(
      orderCreated(KEY, { revenueStatus: 'proposed' }),
    );

    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'contract.upsert',
        rule: 'CT-C1',
        key: KEY,
        data: UPSERT_DATA,
      },
    ]);
  });

  it.each(['draft', 'recorded', 'rejected'] as const)(
    'CT-C1 edit from %s keeps the revenue status and sends nothing',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        crm('order.updated', KEY, { deliveryDeadline: '2027-01-31' }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['CT-C1'],
        commands: [],
      });
      expect(revenue(engine)).toBe(start);
    },
  );

  it('CT-C1 edit while proposed sends contract.upsert, and its echo sends nothing', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');
    const edit = { deliveryDeadline: '2027-01-31' };

    const first = engine.handle(crm('order.updated', KEY, edit));
    const echo = engine.handle(crm('order.updated', KEY, edit));

    expect(first.commands).toEqual([
      {
        target: 'act',
        type: 'contract.upsert',
        rule: 'CT-C1',
        key: KEY,
        data: { ...UPSERT_DATA, deliveryDeadline: '2027-01-31' },
      },
    ]);
    expect(echo).toMatchObject({
      outcome: 'applied',
      rules: ['CT-C1'],
      commands: [],
    });
  });

  it.each(['draft', 'rejected'] as const)(
    'CT-C1 edit to proposed from %s is also the propose (CT-C4) and sends one command',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        crm('order.updated', KEY, { revenueStatus: 'proposed' }),
      );

      expect(result.rules).toEqual(['CT-C1', 'CT-C4']);
      expect(result.commands).toHaveLength(1);
      expect(result.commands[0]).toMatchObject({
        type: 'contract.upsert',
        rule: 'CT-C4',
        data: UPSERT_DATA,
      });
      expect(revenue(engine)).toBe('proposed');
    },
  );

  it.each([
    ['proposed', 'draft'],
    ['recorded', 'proposed'],
    ['draft', 'rejected'],
  ] as const)(
    'CT-C1 edit from %s that sets the revenue status to %s is a conflict',
    (start, to) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.updated', KEY, { revenueStatus: to }),
        'CT-C1',
        'statusChangeNotAllowed',
        [ORDER],
      );
    },
  );
});

describe('CT-C2 CRM delete and CT-C3 CRM import', () => {
  it.each(['draft', 'proposed', 'recorded'] as const)(
    'CT-C2 delete from %s sends nothing and keeps the statuses',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);
      const before = statuses(engine, ORDER);

      const result = engine.handle(crm('order.deleted', KEY));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['CT-C2'],
        commands: [],
      });
      expect(statuses(engine, ORDER)).toEqual(before);
    },
  );

  it('CT-C3 import as proposed sends nothing', () => {
    const engine = contractEngine();

    const result = engine.handle(
      crm('order.imported', KEY, { revenueStatus: 'proposed', lines: LINES }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-C3'],
      commands: [],
    });
    expect(revenue(engine)).toBe('proposed');
  });

  it('CT-C3 import of an order that exists is a conflict', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    expectConflict(
      engine,
      crm('order.imported', KEY, { revenueStatus: 'draft', lines: LINES }),
      'CT-C3',
      'alreadyExists',
      [ORDER],
    );
  });
});

describe('CT-C4 CRM propose', () => {
  it.each(['draft', 'rejected'] as const)(
    'CT-C4 propose from %s moves to proposed and sends contract.upsert',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(crm('order.proposed', KEY));

      expect(result.rules).toEqual(['CT-C4']);
      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'contract.upsert',
          rule: 'CT-C4',
          key: KEY,
          data: UPSERT_DATA,
        },
      ]);
    },
  );

  it('CT-C4 propose after ACT rejected the revenue sends the whole Contract again', () => {
    const engine = contractEngine();
    given(
      engine,
      orderCreated(KEY, { revenueStatus: 'proposed' }),
      act('contract.revenueRejected', KEY, { reason: 'Thiếu hợp đồng' }),
    );

    const result = engine.handle(crm('order.proposed', KEY));

    expect(result.commands).toHaveLength(1);
    expect(result.commands[0]).toMatchObject({
      type: 'contract.upsert',
      data: UPSERT_DATA,
    });
  });

  it.each(['proposed', 'recorded'] as const)(
    'CT-C4 propose from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.proposed', KEY),
        'CT-C4',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('CT-C5 CRM record and reject', () => {
  it('CT-C5 record from proposed adds a row of the order total and sends nothing', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      crm('order.recorded', KEY, {}, { at: '2026-11-02T23:30:00+07:00' }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-C5'],
      commands: [],
    });
    expect(revenue(engine)).toBe('recorded');
    expect(rows(engine)).toEqual([
      {
        source: 'crm',
        kind: 'recording',
        postingDate: '2026-11-02',
        amount: TOTAL,
      },
    ]);
  });

  it.each(['draft', 'recorded', 'rejected'] as const)(
    'CT-C5 record from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.recorded', KEY),
        'CT-C5',
        'notAllowed',
        [ORDER],
      );
    },
  );

  it.each(['proposed', 'recorded', 'recordedByCrm'] as const)(
    'CT-C5 reject from %s sets ACT’s revenue status to rejected',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        crm('order.rejected', KEY, { reason: 'Sai giá' }),
      );

      expect(result.rules).toEqual(['CT-C5']);
      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'contract.setRevenueStatus',
          rule: 'CT-C5',
          key: KEY,
          data: { revenueStatus: 'rejected', reason: 'Sai giá' },
        },
      ]);
      expect(revenue(engine)).toBe('rejected');
    },
  );

  it.each(['draft', 'rejected'] as const)(
    'CT-C5 reject from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.rejected', KEY),
        'CT-C5',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('CT-C6 CRM withdraw proposal', () => {
  it('CT-C6 withdraw from proposed moves to draft and deletes the ACT Contract', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(crm('order.withdrawn', KEY));

    expect(result.rules).toEqual(['CT-C6']);
    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'contract.delete',
        rule: 'CT-C6',
        key: KEY,
        data: {},
      },
    ]);
    expect(revenue(engine)).toBe('draft');
  });

  it.each(['draft', 'recorded', 'rejected'] as const)(
    'CT-C6 withdraw from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        crm('order.withdrawn', KEY),
        'CT-C6',
        'notAllowed',
        [ORDER],
      );
    },
  );

  const work: [string, (engine: Engine) => void][] = [
    [
      'ACT has received money',
      (engine) =>
        given(
          engine,
          act('contract.receiptsUpdated', KEY, { receivedAmount: '1' }),
        ),
    ],
    [
      'ACT set the invoiced flag (CT-A5)',
      (engine) =>
        given(
          engine,
          act('contract.invoicingUpdated', KEY, { invoiced: true }),
        ),
    ],
    [
      'ACT set the invoiced flag (CT-A1)',
      (engine) =>
        given(engine, act('contract.edited', KEY, { invoiced: true })),
    ],
    [
      'ACT reports an invoiced amount',
      (engine) =>
        given(
          engine,
          act('contract.invoicingUpdated', KEY, { invoicedAmount: '100' }),
        ),
    ],
    [
      'an invoice of the order is issued',
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
    'CT-C6 withdraw is a conflict when %s, and check() says so first',
    (_, arrange) => {
      const engine = contractEngine();
      orderIn(engine, KEY, 'proposed');
      arrange(engine);
      const withdrawal = crm('order.withdrawn', KEY);
      const record = engine.record(ORDER);
      const outbox = engine.outbox.all().length;

      const checked = engine.check(withdrawal);

      expect(checked).toMatchObject({
        outcome: 'conflict',
        rules: ['CT-C6'],
        commands: [],
        error: { code: 'actWorkExists' },
      });
      expect(engine.record(ORDER)).toEqual(record);
      expect(engine.outbox.all()).toHaveLength(outbox);
      expect(
        expectConflict(engine, withdrawal, 'CT-C6', 'actWorkExists', [ORDER]),
      ).toEqual(checked);
    },
  );

  it('CT-C6 withdraw is allowed while the invoice of the order is only proposed', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');
    given(engine, invoiceCreated('HD-0001', KEY, { status: 'proposed' }));
    const withdrawal = crm('order.withdrawn', KEY);

    const checked = engine.check(withdrawal);

    expect(checked).toMatchObject({ outcome: 'applied', rules: ['CT-C6'] });
    expect(revenue(engine)).toBe('proposed');
    expect(engine.outbox.all().map((e) => e.command.type)).not.toContain(
      'contract.delete',
    );
    expect(engine.handle(withdrawal)).toEqual(checked);
    expect(revenue(engine)).toBe('draft');
  });
});

describe('CT-C7 CRM propose revenue cancellation', () => {
  it('CT-C7 from recorded creates a proposed cancellation and sends it to ACT', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(proposeCancellation('9000000'));

    expect(result.rules).toEqual(['CT-C7']);
    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'contract.proposeCancellation',
        rule: 'CT-C7',
        key: KEY,
        data: {
          proposal: PROPOSAL,
          amount: '9000000',
          date: '2026-10-20',
          reason: 'Khách hàng giảm 2 tháng bảo trì',
        },
      },
    ]);
    expect(statuses(engine, CANCELLATION)).toEqual({
      cancellation: 'proposed',
    });
  });

  it.each(['draft', 'proposed', 'rejected'] as const)(
    'CT-C7 from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(engine, proposeCancellation('1'), 'CT-C7', 'notAllowed', [
        ORDER,
        CANCELLATION,
      ]);
    },
  );

  it('CT-C7 for more than the net revenue after an approved cancellation is a conflict', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      proposeCancellation('9000000'),
      act('contract.cancellationApproved', KEY, { proposal: PROPOSAL }),
    );

    expectConflict(
      engine,
      proposeCancellation('10300001', 'HDS-0002'),
      'CT-C7',
      'cancellationExceedsRevenue',
      [ORDER, 'cancellation:HDS-0002'],
    );
    expect(
      engine.handle(proposeCancellation('10300000', 'HDS-0002')).outcome,
    ).toBe('applied');
  });
});

describe('CT-A1 ACT edit', () => {
  it.each(['draft', 'proposed', 'recorded', 'rejected'] as const)(
    'CT-A1 from %s passes the five fields to CRM',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);
      const edit = {
        status: 'inProgress',
        deliveryDeadline: '2027-01-31',
        paymentDeadline: '2027-02-28',
        invoiced: true,
        paymentDate: '2027-02-01',
      };

      const result = engine.handle(act('contract.edited', KEY, edit));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['CT-A1'],
        notices: [],
      });
      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A1',
          key: KEY,
          data: edit,
        },
      ]);
      expect(statuses(engine, ORDER)?.status).toBe('inProgress');
      expect(revenue(engine)).toBe(start);
    },
  );

  it('CT-A1 gives an ignoredField notice for every other field and does not pass it on', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      act('contract.edited', KEY, {
        paymentDeadline: '2026-11-15',
        projectCode: 'DA-09',
        total: '1',
      }),
    );

    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'order.update',
        rule: 'CT-A1',
        key: KEY,
        data: { paymentDeadline: '2026-11-15' },
      },
    ]);
    expect(result.notices).toEqual([
      expect.objectContaining({
        code: 'ignoredField',
        field: 'data.projectCode',
      }),
      expect.objectContaining({ code: 'ignoredField', field: 'data.total' }),
    ]);
    expect(context(engine).total).toBe(TOTAL);
  });

  it('CT-A1 with only ignored fields is applied and sends nothing', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      act('contract.edited', KEY, { projectCode: 'DA-09' }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-A1'],
      commands: [],
    });
    expect(result.notices).toHaveLength(1);
  });
});

describe('CT-A2 ACT status', () => {
  it.each(['draft', 'proposed', 'recorded'] as const)(
    'CT-A2 from %s copies ACT’s status to CRM',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        act('contract.statusUpdated', KEY, { status: 'cancelled' }),
      );

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A2',
          key: KEY,
          data: { status: 'cancelled' },
        },
      ]);
      expect(statuses(engine, ORDER)?.status).toBe('cancelled');
    },
  );

  it('CT-A2 on a Contract connection refuses Sales Order events as invalid', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(
      act('salesOrder.statusUpdated', KEY, { status: 'completed' }),
    );

    expect(result.error?.code).toBe('wrongOrderTarget');
  });
});

describe('CT-A3 ACT record, reject and unrecord revenue', () => {
  const recorded = (postingDate = '2026-10-03', amount = TOTAL) =>
    act('contract.revenueRecorded', KEY, { postingDate, amount });

  it('CT-A3 record from proposed adds ACT’s row and updates CRM', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');

    const result = engine.handle(recorded());

    const row = {
      source: 'act',
      kind: 'recording',
      postingDate: '2026-10-03',
      amount: TOTAL,
    };
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'order.update',
        rule: 'CT-A3',
        key: KEY,
        data: {
          revenueStatus: 'recorded',
          revenueRows: [row],
          postingDate: '2026-10-03',
        },
      },
    ]);
    expect(revenue(engine)).toBe('recorded');
  });

  it('CT-A3 record after CRM recorded it replaces CRM’s row with ACT’s', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recordedByCrm');

    given(engine, recorded('2026-10-05'));

    expect(rows(engine)).toEqual([
      {
        source: 'act',
        kind: 'recording',
        postingDate: '2026-10-05',
        amount: TOTAL,
      },
    ]);
  });

  it.each(['draft', 'rejected', 'recorded'] as const)(
    'CT-A3 record from %s (ACT’s own recording) is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(recorded());

      expect(result).toMatchObject({ outcome: 'conflict', rules: ['CT-A3'] });
      expect(result.commands).toEqual([]);
    },
  );

  it.each(['proposed', 'recorded', 'recordedByCrm'] as const)(
    'CT-A3 reject from %s moves to rejected and removes the recording rows',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        act('contract.revenueRejected', KEY, { reason: 'Thiếu chứng từ' }),
      );

      expect(result.rules).toEqual(['CT-A3']);
      expect(result.commands).toHaveLength(1);
      expect(result.commands[0]).toMatchObject({
        target: 'crm',
        type: 'order.update',
        rule: 'CT-A3',
        data: { revenueStatus: 'rejected' },
      });
      expect(revenue(engine)).toBe('rejected');
      expect(rows(engine)).toEqual([]);
      expect(context(engine).postingDate).toBeNull();
    },
  );

  it.each(['draft', 'rejected'] as const)(
    'CT-A3 reject from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        act('contract.revenueRejected', KEY),
        'CT-A3',
        'notAllowed',
        [ORDER],
      );
    },
  );

  it('CT-A3 unrecord from recorded moves to proposed and removes the rows it names', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(
      act('contract.revenueUnrecorded', KEY, {
        postingDate: '2026-11-03',
        amount: TOTAL,
      }),
    );

    expect(result.commands[0]).toMatchObject({
      type: 'order.update',
      rule: 'CT-A3',
      data: { revenueStatus: 'proposed', revenueRows: [] },
    });
    expect(revenue(engine)).toBe('proposed');
  });

  it.each(['draft', 'proposed', 'rejected'] as const)(
    'CT-A3 unrecord from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        act('contract.revenueUnrecorded', KEY),
        'CT-A3',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('CT-A4 ACT move the revenue date', () => {
  it.each(['recorded', 'recordedByCrm'] as const)(
    'CT-A4 from %s moves the posting date of the order and of its recording row',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        act('contract.revenueDateMoved', KEY, { postingDate: '2026-10-01' }),
      );

      expect(result.rules).toEqual(['CT-A4']);
      expect(context(engine).postingDate).toBe('2026-10-01');
      expect(rows(engine)).toMatchObject([
        { kind: 'recording', postingDate: '2026-10-01', amount: TOTAL },
      ]);
      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A4',
          key: KEY,
          data: { postingDate: '2026-10-01', revenueRows: rows(engine) },
        },
      ]);
    },
  );

  it('CT-A4 leaves cancellation rows where they are', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      proposeCancellation('9000000'),
      act('contract.cancellationApproved', KEY, { proposal: PROPOSAL }),
    );

    given(
      engine,
      act('contract.revenueDateMoved', KEY, { postingDate: '2026-10-01' }),
    );

    expect(rows(engine)).toMatchObject([
      { kind: 'recording', postingDate: '2026-10-01' },
      { kind: 'cancellation', postingDate: '2026-10-20', amount: '-9000000' },
    ]);
  });

  it.each(['draft', 'proposed', 'rejected'] as const)(
    'CT-A4 from %s is a conflict',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      expectConflict(
        engine,
        act('contract.revenueDateMoved', KEY, { postingDate: '2026-10-01' }),
        'CT-A4',
        'notAllowed',
        [ORDER],
      );
    },
  );
});

describe('CT-A5, CT-A6 and CT-A7 ACT figures', () => {
  it.each(['draft', 'proposed', 'recorded'] as const)(
    'CT-A5 from %s passes the invoiced flag, date and value to CRM',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);

      const result = engine.handle(
        act('contract.invoicingUpdated', KEY, {
          invoiced: true,
          invoiceDate: '2026-10-25',
          invoicedAmount: '45000000',
        }),
      );

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A5',
          key: KEY,
          data: {
            invoiced: true,
            invoiceDate: '2026-10-25',
            invoicedAmount: '45000000',
          },
        },
      ]);
    },
  );

  it('CT-A5 keeps the fields the event leaves out', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      act('contract.invoicingUpdated', KEY, {
        invoiced: true,
        invoiceDate: '2026-10-25',
      }),
    );

    const result = engine.handle(
      act('contract.invoicingUpdated', KEY, { invoicedAmount: '1000' }),
    );

    expect(result.commands[0]?.data).toEqual({ invoicedAmount: '1000' });
    expect(context(engine)).toMatchObject({
      invoiced: true,
      invoiceDate: '2026-10-25',
    });
  });

  it.each(['draft', 'recorded'] as const)(
    'CT-A6 from %s passes the payment deadline to CRM, once',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);
      const update = () =>
        act('contract.paymentDeadlineUpdated', KEY, {
          paymentDeadline: '2027-03-31',
        });

      const first = engine.handle(update());
      const again = engine.handle(update());

      expect(first.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A6',
          key: KEY,
          data: { paymentDeadline: '2027-03-31' },
        },
      ]);
      expect(again).toMatchObject({ rules: ['CT-A6'], commands: [] });
    },
  );

  it('CT-C1 edit that echoes a CT-A6 deadline back from CRM sends nothing to ACT', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'proposed');
    given(
      engine,
      act('contract.paymentDeadlineUpdated', KEY, {
        paymentDeadline: '2027-03-31',
      }),
    );

    const result = engine.handle(
      crm('order.updated', KEY, { paymentDeadline: '2027-03-31' }),
    );

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-C1'],
      commands: [],
    });
  });

  it.each(['draft', 'proposed', 'recorded'] as const)(
    'CT-A7 from %s passes receipts to CRM and derives the payment status',
    (start) => {
      const engine = contractEngine();
      orderIn(engine, KEY, start);
      const receipts = [
        { number: 'PT-2001', date: '2026-11-10', amount: '250000' },
      ];

      const result = engine.handle(
        act('contract.receiptsUpdated', KEY, {
          receivedAmount: '250000',
          receipts,
        }),
      );

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'order.update',
          rule: 'CT-A7',
          key: KEY,
          data: {
            receivedAmount: '250000',
            remainingAmount: '19050000',
            receipts,
            paymentStatus: 'partiallyPaid',
          },
        },
      ]);
      expect(statuses(engine, ORDER)).toEqual({
        revenue: start,
        payment: 'partiallyPaid',
        status: 'notStarted',
      });
    },
  );

  it('CT-A7 reports an overpayment when ACT gives a negative remaining amount', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');

    const result = engine.handle(
      act('contract.receiptsUpdated', KEY, {
        receivedAmount: 19300500,
        remainingAmount: -500,
      }),
    );

    expect(statuses(engine, ORDER)?.payment).toBe('paid');
    expect(result.notices).toEqual([
      expect.objectContaining({ code: 'overpaid', amount: '500' }),
    ]);
  });

  it('CT-A7 sent twice with the same receipts sends nothing the second time', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    const data = { receivedAmount: '1000', remainingAmount: '19299000' };
    given(engine, act('contract.receiptsUpdated', KEY, data));

    const result = engine.handle(act('contract.receiptsUpdated', KEY, data));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['CT-A7'],
      commands: [],
    });
  });
});

describe('CT-A8 ACT approve or reject a revenue cancellation', () => {
  it('CT-A8 approve of a proposed cancellation adds a negative row and updates CRM once', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(engine, proposeCancellation('9000000'));

    const result = engine.handle(
      act('contract.cancellationApproved', KEY, { proposal: PROPOSAL }),
    );

    const row = {
      source: 'act',
      kind: 'cancellation',
      postingDate: '2026-10-20',
      amount: '-9000000',
      proposal: PROPOSAL,
    };
    expect(result.rules).toEqual(['CT-A8']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'cancellation.update',
        rule: 'CT-A8',
        key: PROPOSAL,
        data: { order: KEY, status: 'approved', row },
      },
    ]);
    expect(statuses(engine, CANCELLATION)).toEqual({
      cancellation: 'approved',
    });
    expect(rows(engine)).toContainEqual(row);
  });

  it('CT-A8 approve of a proposal without a date dates the row by the approval', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      crm('order.cancellationProposed', KEY, {
        proposal: PROPOSAL,
        amount: '1000',
      }),
    );

    given(
      engine,
      act(
        'contract.cancellationApproved',
        KEY,
        { proposal: PROPOSAL },
        { at: '2026-10-21T23:30:00+07:00' },
      ),
    );

    expect(rows(engine)).toContainEqual(
      expect.objectContaining({ postingDate: '2026-10-21', amount: '-1000' }),
    );
  });

  it('CT-A8 reject of a proposed cancellation adds no row', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(engine, proposeCancellation('9000000'));

    const result = engine.handle(
      act('contract.cancellationRejected', KEY, {
        proposal: PROPOSAL,
        reason: 'Không đủ căn cứ',
      }),
    );

    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'cancellation.update',
        rule: 'CT-A8',
        key: PROPOSAL,
        data: { order: KEY, status: 'rejected', reason: 'Không đủ căn cứ' },
      },
    ]);
    expect(statuses(engine, CANCELLATION)).toEqual({
      cancellation: 'rejected',
    });
    expect(rows(engine)).toHaveLength(1);
  });

  it.each([
    ['approved', 'contract.cancellationApproved'],
    ['rejected', 'contract.cancellationRejected'],
  ])('CT-A8 on a cancellation already %s is a conflict', (_, decided) => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    given(
      engine,
      proposeCancellation('9000000'),
      act(decided, KEY, { proposal: PROPOSAL }),
    );

    expectConflict(
      engine,
      act('contract.cancellationApproved', KEY, { proposal: PROPOSAL }),
      'CT-A8',
      'notAllowed',
      [ORDER, CANCELLATION],
    );
  });

  it('CT-A8 naming a proposal of another order is a conflict and adds no row', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    orderIn(engine, 'HDB-0043', 'recorded');
    given(engine, proposeCancellation('9000000'));

    const result = expectConflict(
      engine,
      act('contract.cancellationApproved', 'HDB-0043', { proposal: PROPOSAL }),
      'CT-A8',
      'otherOrder',
      [ORDER, 'order:HDB-0043', CANCELLATION],
    );

    expect(result.error?.field).toBe('key');
    expect(statuses(engine, CANCELLATION)).toEqual({
      cancellation: 'proposed',
    });
  });

  it('CT-A8 on a never-seen proposal is parked and handled once CT-C7 creates it', () => {
    const engine = contractEngine();
    orderIn(engine, KEY, 'recorded');
    const approval = act('contract.cancellationApproved', KEY, {
      proposal: PROPOSAL,
    });

    const parked = engine.handle(approval);
    const { results } = engine.run([
      { value: proposeCancellation('9000000'), line: 2 },
    ]);

    expect(parked).toMatchObject({ outcome: 'parked', rules: [] });
    expect(results.map((r) => [r.event, r.outcome, r.rules])).toEqual([
      [results[0]!.event, 'applied', ['CT-C7']],
      [approval.id, 'applied', ['CT-A8']],
    ]);
    expect(statuses(engine, CANCELLATION)).toEqual({
      cancellation: 'approved',
    });
  });
});
