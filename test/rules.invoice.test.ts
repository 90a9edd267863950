import { describe, it, expect } from 'vitest';
import type { Engine } from '../index.js';
import {
  TOTAL,
  act,
  crm,
  expectConflict,
  given,
  invoiceCreated,
  newEngine,
  statuses,
} from './support/events.js';

const KEY = 'HD-0001';
const INVOICE = `invoice:${KEY}`;
const ORDER_KEY = 'DH-0001';
const DESCRIPTION = `Xuất theo đơn ${ORDER_KEY}`;

/** The issuance request as INV-C1/INV-C3 send it. */
const REQUEST = { order: ORDER_KEY, amount: TOTAL, description: DESCRIPTION };

type InvoiceStart =
  | 'draft'
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'issued'
  | 'issuanceRejected'
  | 'cancelled';

const ISSUE = { number: '0000123', date: '2026-11-06' };

/** Brings a new invoice request to a status through the rules. */
function invoiceIn(engine: Engine, start: InvoiceStart) {
  if (start === 'draft') {
    given(engine, invoiceCreated(KEY, ORDER_KEY));

    return;
  }

  given(engine, invoiceCreated(KEY, ORDER_KEY, { status: 'proposed' }));
  if (start === 'approved') given(engine, act('invoice.approved', KEY));
  if (start === 'rejected') given(engine, act('invoice.rejected', KEY));
  if (start === 'issued' || start === 'cancelled') {
    given(engine, act('invoice.issued', KEY, ISSUE));
  }
  if (start === 'issuanceRejected') {
    given(engine, act('invoice.issuanceRejected', KEY));
  }
  if (start === 'cancelled') given(engine, act('invoice.cancelled', KEY));
}

function status(engine: Engine) {
  return statuses(engine, INVOICE)?.invoice;
}

function context(engine: Engine) {
  return engine.record(INVOICE)!.context as Record<string, unknown>;
}

/** Refused from each of `starts`, by `rule` with a notAllowed error. */
function refusedFrom(
  starts: readonly InvoiceStart[],
  rule: string,
  build: () => Parameters<Engine['handle']>[0],
  code = 'notAllowed',
) {
  it.each(starts)(`${rule} from %s is a conflict`, (start) => {
    const engine = newEngine();
    invoiceIn(engine, start);

    expectConflict(engine, build() as never, rule, code, [INVOICE]);
    expect(status(engine)).toBe(start);
  });
}

describe('INV-C1 CRM add and edit', () => {
  it('INV-C1 add as draft creates a draft request and sends nothing', () => {
    const engine = newEngine();

    const result = engine.handle(invoiceCreated(KEY, ORDER_KEY));

    expect(result).toMatchObject({
      outcome: 'applied',
      rules: ['INV-C1'],
      commands: [],
    });
    expect(status(engine)).toBe('draft');
    expect(engine.record(INVOICE)?.parent).toBe(`order:${ORDER_KEY}`);
  });

  it('INV-C1 add as proposed creates the issuance request on ACT', () => {
    const engine = newEngine();

    const result = engine.handle(
      invoiceCreated(KEY, ORDER_KEY, { status: 'proposed' }),
    );

    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'invoiceRequest.upsert',
        rule: 'INV-C1',
        key: KEY,
        data: REQUEST,
      },
    ]);
    expect(status(engine)).toBe('proposed');
  });

  it.each(['approved', 'issued', 'rejected'])(
    'INV-C1 add with status %s is invalid',
    (initial) => {
      const engine = newEngine();

      const result = engine.handle(
        invoiceCreated(KEY, ORDER_KEY, { status: initial }),
      );

      expect(result.outcome).toBe('invalid');
      expect(result.error?.field).toBe('data.status');
    },
  );

  it('INV-C1 add of a request that exists is a conflict', () => {
    const engine = newEngine();
    invoiceIn(engine, 'draft');

    expectConflict(
      engine,
      invoiceCreated(KEY, ORDER_KEY),
      'INV-C1',
      'alreadyExists',
      [INVOICE],
    );
  });

  it('INV-C1 edit while proposed updates the request, and its echo sends nothing', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');

    const first = engine.handle(
      crm('invoice.updated', KEY, { amount: '10000000' }),
    );
    const echo = engine.handle(
      crm('invoice.updated', KEY, { status: 'proposed', amount: '10000000' }),
    );

    expect(first.commands).toEqual([
      {
        target: 'act',
        type: 'invoiceRequest.upsert',
        rule: 'INV-C1',
        key: KEY,
        data: { ...REQUEST, amount: '10000000' },
      },
    ]);
    expect(echo).toMatchObject({
      outcome: 'applied',
      rules: ['INV-C1'],
      commands: [],
    });
  });

  it.each([
    'draft',
    'approved',
    'rejected',
    'issued',
    'issuanceRejected',
    'cancelled',
  ] as const)(
    'INV-C1 edit from %s keeps the status and sends nothing',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(
        crm('invoice.updated', KEY, { description: 'Ghi chú mới' }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['INV-C1'],
        commands: [],
      });
      expect(status(engine)).toBe(start);
      expect(context(engine).description).toBe('Ghi chú mới');
    },
  );

  it.each(['draft', 'rejected', 'issuanceRejected'] as const)(
    'INV-C1 edit to proposed from %s is also the propose (INV-C3) and sends one command',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(
        crm('invoice.updated', KEY, { status: 'proposed' }),
      );

      expect(result.rules).toEqual(['INV-C1', 'INV-C3']);
      expect(result.commands).toHaveLength(1);
      expect(result.commands[0]).toMatchObject({
        target: 'act',
        type: 'invoiceRequest.upsert',
        rule: 'INV-C3',
        key: KEY,
        data: REQUEST,
      });
      expect(status(engine)).toBe('proposed');
    },
  );

  it.each([
    ['draft', 'approved'],
    ['proposed', 'draft'],
    ['proposed', 'issued'],
    ['approved', 'proposed'],
    ['issued', 'cancelled'],
    ['cancelled', 'proposed'],
  ] as const)(
    'INV-C1 edit from %s that sets the status to %s is a conflict',
    (start, to) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = expectConflict(
        engine,
        crm('invoice.updated', KEY, { status: to }),
        'INV-C1',
        'statusChangeNotAllowed',
        [INVOICE],
      );

      expect(result.error?.field).toBe('data.status');
    },
  );
});

describe('INV-C2 CRM delete and import', () => {
  it.each(['draft', 'proposed', 'issued', 'cancelled'] as const)(
    'INV-C2 delete from %s sends nothing and keeps the status',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(crm('invoice.deleted', KEY));

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['INV-C2'],
        commands: [],
      });
      expect(status(engine)).toBe(start);
    },
  );

  it.each(['draft', 'proposed'] as const)(
    'INV-C2 import as %s sends nothing',
    (initial) => {
      const engine = newEngine();

      const result = engine.handle(
        crm('invoice.imported', KEY, { order: ORDER_KEY, status: initial }),
      );

      expect(result).toMatchObject({
        outcome: 'applied',
        rules: ['INV-C2'],
        commands: [],
      });
      expect(status(engine)).toBe(initial);
    },
  );

  it('INV-C2 import of a request that exists is a conflict', () => {
    const engine = newEngine();
    invoiceIn(engine, 'draft');

    expectConflict(
      engine,
      crm('invoice.imported', KEY, { order: ORDER_KEY, status: 'draft' }),
      'INV-C2',
      'alreadyExists',
      [INVOICE],
    );
  });
});

describe('INV-C3 CRM propose issuance', () => {
  it.each(['draft', 'rejected', 'issuanceRejected'] as const)(
    'INV-C3 propose from %s moves to proposed and creates the request on ACT',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(crm('invoice.proposed', KEY));

      expect(result.rules).toEqual(['INV-C3']);
      expect(result.commands).toEqual([
        {
          target: 'act',
          type: 'invoiceRequest.upsert',
          rule: 'INV-C3',
          key: KEY,
          data: REQUEST,
        },
      ]);
      expect(status(engine)).toBe('proposed');
    },
  );

  it('INV-C3 propose sends its command even when ACT already holds the same request', () => {
    const engine = newEngine();
    invoiceIn(engine, 'issuanceRejected');

    const result = engine.handle(crm('invoice.proposed', KEY));

    // ACT was sent exactly this request when it was added as proposed.
    expect(engine.outbox.all()[0]?.command.data).toEqual(REQUEST);
    expect(result.commands).toHaveLength(1);
  });

  refusedFrom(['proposed', 'approved', 'issued', 'cancelled'], 'INV-C3', () =>
    crm('invoice.proposed', KEY),
  );
});

describe('INV-C4 CRM withdraw proposal', () => {
  it('INV-C4 withdraw from proposed moves to draft and deletes the request on ACT', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');

    const result = engine.handle(crm('invoice.withdrawn', KEY));

    expect(result.rules).toEqual(['INV-C4']);
    expect(result.commands).toEqual([
      {
        target: 'act',
        type: 'invoiceRequest.delete',
        rule: 'INV-C4',
        key: KEY,
        data: { order: ORDER_KEY },
      },
    ]);
    expect(status(engine)).toBe('draft');
  });

  refusedFrom(['draft', 'approved', 'issued', 'rejected'], 'INV-C4', () =>
    crm('invoice.withdrawn', KEY),
  );
});

describe('INV-A1 ACT approve request', () => {
  it('INV-A1 approve from proposed moves to approved and updates CRM', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');

    const result = engine.handle(act('invoice.approved', KEY));

    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'invoice.update',
        rule: 'INV-A1',
        key: KEY,
        data: { status: 'approved' },
      },
    ]);
    expect(status(engine)).toBe('approved');
  });

  refusedFrom(['draft', 'approved', 'issued', 'rejected'], 'INV-A1', () =>
    act('invoice.approved', KEY),
  );
});

describe('INV-A2 ACT reject request', () => {
  it('INV-A2 reject from proposed appends the reason to the description as a new line', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');

    const result = engine.handle(
      act('invoice.rejected', KEY, { reason: 'Sai mã số thuế' }),
    );

    const description = `${DESCRIPTION}\nSai mã số thuế`;
    expect(result.rules).toEqual(['INV-A2']);
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'invoice.update',
        rule: 'INV-A2',
        key: KEY,
        data: { status: 'rejected', description },
      },
    ]);
    expect(status(engine)).toBe('rejected');
    expect(context(engine).description).toBe(description);
  });

  it('INV-A2 keeps every reason when a request is rejected twice', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');
    given(
      engine,
      act('invoice.rejected', KEY, { reason: 'Lần 1' }),
      crm('invoice.proposed', KEY),
    );

    given(engine, act('invoice.rejected', KEY, { reason: 'Lần 2' }));

    expect(context(engine).description).toBe(`${DESCRIPTION}\nLần 1\nLần 2`);
  });

  it('INV-A2 reject of a request without description makes the reason the description', () => {
    const engine = newEngine();
    given(
      engine,
      crm('invoice.created', KEY, { order: ORDER_KEY, status: 'proposed' }),
    );

    const result = engine.handle(
      act('invoice.rejected', KEY, { reason: 'Thiếu hợp đồng' }),
    );

    expect(result.commands[0]?.data.description).toBe('Thiếu hợp đồng');
  });

  refusedFrom(['draft', 'approved', 'issued'], 'INV-A2', () =>
    act('invoice.rejected', KEY, { reason: 'x' }),
  );
});

describe('INV-A3 ACT issue invoice', () => {
  it.each(['proposed', 'approved'] as const)(
    'INV-A3 issue from %s sets the invoice number and date on CRM',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(act('invoice.issued', KEY, ISSUE));

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'invoice.update',
          rule: 'INV-A3',
          key: KEY,
          data: { status: 'issued', ...ISSUE },
        },
      ]);
      expect(status(engine)).toBe('issued');
      expect(context(engine)).toMatchObject(ISSUE);
    },
  );

  refusedFrom(['draft', 'rejected', 'issued', 'cancelled'], 'INV-A3', () =>
    act('invoice.issued', KEY, ISSUE),
  );

  it('INV-A3 issue after CRM withdrew the request is a conflict', () => {
    const engine = newEngine();
    invoiceIn(engine, 'proposed');
    given(engine, crm('invoice.withdrawn', KEY));

    expectConflict(
      engine,
      act('invoice.issued', KEY, ISSUE),
      'INV-A3',
      'notAllowed',
      [INVOICE],
    );
  });
});

describe('INV-A4 ACT refuse issuance', () => {
  it.each(['proposed', 'approved'] as const)(
    'INV-A4 refuse from %s moves to issuanceRejected and updates CRM',
    (start) => {
      const engine = newEngine();
      invoiceIn(engine, start);

      const result = engine.handle(act('invoice.issuanceRejected', KEY));

      expect(result.commands).toEqual([
        {
          target: 'crm',
          type: 'invoice.update',
          rule: 'INV-A4',
          key: KEY,
          data: { status: 'issuanceRejected' },
        },
      ]);
      expect(status(engine)).toBe('issuanceRejected');
    },
  );

  refusedFrom(['draft', 'issued', 'issuanceRejected'], 'INV-A4', () =>
    act('invoice.issuanceRejected', KEY),
  );
});

describe('INV-A5 ACT cancel invoice', () => {
  it('INV-A5 cancel from issued appends the reason and updates CRM', () => {
    const engine = newEngine();
    invoiceIn(engine, 'issued');

    const result = engine.handle(
      act('invoice.cancelled', KEY, { reason: 'Khách trả hàng' }),
    );

    const description = `${DESCRIPTION}\nKhách trả hàng`;
    expect(result.commands).toEqual([
      {
        target: 'crm',
        type: 'invoice.update',
        rule: 'INV-A5',
        key: KEY,
        data: { status: 'cancelled', description },
      },
    ]);
    expect(status(engine)).toBe('cancelled');
    expect(context(engine).description).toBe(description);
  });

  refusedFrom(['draft', 'proposed', 'approved', 'cancelled'], 'INV-A5', () =>
    act('invoice.cancelled', KEY, { reason: 'x' }),
  );
});

describe('ACT invoice events before the request exists', () => {
  it('INV-A1 for a never-seen request is parked, then handled again after INV-C1 with the same id and line', () => {
    const engine = newEngine();
    const approval = act('invoice.approved', KEY);
    const created = invoiceCreated(KEY, ORDER_KEY, { status: 'proposed' });

    const { results } = engine.run([
      { value: approval, line: 1 },
      { value: created, line: 2 },
    ]);

    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({
      line: 1,
      event: approval.id,
      outcome: 'parked',
      rules: [],
      error: { code: 'recordNotSeen' },
    });
    expect(results[1]).toMatchObject({
      line: 2,
      event: created.id,
      outcome: 'applied',
      rules: ['INV-C1'],
    });
    expect(results[2]).toMatchObject({
      line: 1,
      event: approval.id,
      outcome: 'applied',
      rules: ['INV-A1'],
      commands: [{ type: 'invoice.update', data: { status: 'approved' } }],
    });
    expect(status(engine)).toBe('approved');
    expect(engine.parked()).toEqual([]);
  });

  it('INV-A3 parked before a draft request is a conflict when handled again', () => {
    const engine = newEngine();
    const issue = act('invoice.issued', KEY, ISSUE);

    const { results } = engine.run([
      { value: issue, line: 1 },
      { value: invoiceCreated(KEY, ORDER_KEY), line: 2 },
    ]);

    expect(results.map((r) => [r.line, r.outcome, r.rules])).toEqual([
      [1, 'parked', []],
      [2, 'applied', ['INV-C1']],
      [1, 'conflict', ['INV-A3']],
    ]);
    expect(status(engine)).toBe('draft');
    expect(engine.conflicts().map((c) => c.eventId)).toEqual([issue.id]);
  });

  it('INV-A1 parked events are handled again in arrival order', () => {
    const engine = newEngine();
    const approval = act('invoice.approved', KEY);
    const issue = act('invoice.issued', KEY, ISSUE);

    const { results } = engine.run([
      { value: approval, line: 1 },
      { value: issue, line: 2 },
      {
        value: invoiceCreated(KEY, ORDER_KEY, { status: 'proposed' }),
        line: 3,
      },
    ]);

    expect(results.slice(3).map((r) => [r.event, r.rules])).toEqual([
      [approval.id, ['INV-A1']],
      [issue.id, ['INV-A3']],
    ]);
    expect(status(engine)).toBe('issued');
  });
});
