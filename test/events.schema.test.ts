import { describe, it, expect } from 'vitest';
import {
  EVENT_TYPES,
  MAX_DEPTH,
  parseEvent,
  type ParseEventOptions,
  type ParseEventResult,
} from '../src/events/schema.js';
import type { App, JsonObject, OrderTarget, SyncEvent } from '../src/types.js';

const SO: ParseEventOptions = { orderTarget: 'salesOrder' };
const CT: ParseEventOptions = { orderTarget: 'contract' };

function event(
  source: App,
  type: string,
  data?: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: 'e-1',
    source,
    type,
    at: '2026-11-02T09:00:00+07:00',
    key: 'DH-0001',
    ...(data === undefined ? {} : { data }),
    ...extra,
  };
}

function accepted(result: ParseEventResult): SyncEvent {
  if (!result.ok) {
    throw new Error(
      `expected the event to be accepted: ${result.error.message}`,
    );
  }
  return result.event;
}

function dataOf(result: ParseEventResult): JsonObject {
  return accepted(result).data;
}

function errorOf(result: ParseEventResult) {
  if (result.ok) throw new Error('expected the event to be rejected');
  return result.error;
}

/** A copy of `value` without the field at `path` (dot keys, numeric indices). */
function without(value: unknown, path: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const parts = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    node = node[part] as Record<string, unknown>;
  }
  delete node[parts[parts.length - 1] as string];
  return copy;
}

const ORDER_DATA = {
  revenueStatus: 'draft',
  customer: 'KH-0001',
  currency: 'VND',
  lines: [
    { line: '1', product: 'SP-GHE', quantity: '3', unitPrice: '1250000' },
  ],
  total: '3750000',
};

describe('the bad-input scenario', () => {
  // Lines 3, 4, 5 and 11 of bad-input.jsonl, with orderTarget salesOrder.
  it('rejects line 3: an unknown type', () => {
    const line3 = JSON.parse(
      '{"id":"bad-03","source":"crm","type":"order.teleported","at":"2026-11-01T09:06:00+07:00","key":"DH-0900","data":{}}',
    ) as unknown;
    expect(parseEvent(line3, SO)).toEqual({
      ok: false,
      eventId: 'bad-03',
      error: {
        code: 'unknownType',
        message:
          'type "order.teleported" is not a known event type for source crm',
        field: 'type',
      },
    });
  });

  it('rejects line 4: a missing key', () => {
    const line4 = JSON.parse(
      '{"id":"bad-04","source":"crm","type":"order.proposed","at":"2026-11-01T09:07:00+07:00","data":{}}',
    ) as unknown;
    expect(parseEvent(line4, SO)).toEqual({
      ok: false,
      eventId: 'bad-04',
      error: { code: 'missingField', message: 'key is required', field: 'key' },
    });
  });

  it('rejects line 5: a negative delivered quantity', () => {
    const line5 = JSON.parse(
      '{"id":"bad-05","source":"act","type":"salesOrder.fulfilmentUpdated","at":"2026-11-01T10:00:00+07:00","key":"DH-0900","data":{"lines":[{"line":"1","deliveredQuantity":"-2"}],"receivedAmount":"0"}}',
    ) as unknown;
    expect(parseEvent(line5, SO)).toEqual({
      ok: false,
      eventId: 'bad-05',
      error: {
        code: 'negativeNumber',
        message:
          'data.lines[0].deliveredQuantity must not be negative (got -2)',
        field: 'data.lines[0].deliveredQuantity',
      },
    });
  });

  it('rejects line 11: a Contract event on a Sales Order connection', () => {
    const line11 = JSON.parse(
      '{"id":"bad-10","source":"act","type":"contract.statusUpdated","at":"2026-11-01T12:30:00+07:00","key":"DH-0900","data":{"status":"completed"}}',
    ) as unknown;
    expect(parseEvent(line11, SO)).toEqual({
      ok: false,
      eventId: 'bad-10',
      error: {
        code: 'wrongOrderTarget',
        message:
          'type contract.statusUpdated is a Contract event, but this connection keeps orders as Sales Orders',
        field: 'type',
      },
    });
  });

  it('rejects a Sales Order event on a Contract connection', () => {
    const result = parseEvent(
      event('act', 'salesOrder.statusUpdated', { status: 'inProgress' }),
      CT,
    );
    expect(errorOf(result)).toEqual({
      code: 'wrongOrderTarget',
      message:
        'type salesOrder.statusUpdated is a Sales Order event, but this connection keeps orders as Contracts',
      field: 'type',
    });
  });

  it('accepts line 1 as a normalised event', () => {
    const line1 = JSON.parse(
      '{"id":"bad-01","source":"crm","type":"order.created","at":"2026-11-01T09:00:00+07:00","key":"DH-0900","data":{"revenueStatus":"draft","customer":"KH-0001","currency":"VND","lines":[{"line":"1","product":"SP-GHE","quantity":"3","unitPrice":"1250000"}],"total":"3750000"}}',
    ) as unknown;
    expect(parseEvent(line1, SO)).toEqual({
      ok: true,
      event: {
        id: 'bad-01',
        source: 'crm',
        type: 'order.created',
        at: '2026-11-01T09:00:00+07:00',
        key: 'DH-0900',
        data: {
          revenueStatus: 'draft',
          customer: 'KH-0001',
          currency: 'VND',
          lines: [
            {
              line: '1',
              product: 'SP-GHE',
              quantity: '3',
              unitPrice: '1250000',
            },
          ],
          total: '3750000',
        },
      },
    });
  });
});

describe('the envelope', () => {
  it.each(['id', 'source', 'type', 'at', 'key'])('requires %s', (field) => {
    const result = parseEvent(
      without(event('crm', 'order.proposed', {}), field),
      SO,
    );
    expect(errorOf(result)).toEqual({
      code: 'missingField',
      message: `${field} is required`,
      field,
    });
  });

  it('gives the event id only when it is a non-empty string', () => {
    const noId = parseEvent(without(event('crm', 'x.y'), 'id'), SO);
    expect(noId).toMatchObject({ ok: false, eventId: null });
    const emptyId = parseEvent(
      { ...event('crm', 'order.proposed'), id: '' },
      SO,
    );
    expect(emptyId).toEqual({
      ok: false,
      eventId: null,
      error: {
        code: 'emptyField',
        message: 'id must not be empty',
        field: 'id',
      },
    });
    const numberId = parseEvent(
      { ...event('crm', 'order.proposed'), id: 7 },
      SO,
    );
    expect(numberId).toEqual({
      ok: false,
      eventId: null,
      error: {
        code: 'wrongType',
        message: 'id must be a string (got 7)',
        field: 'id',
      },
    });
  });

  it('rejects a source other than crm or act', () => {
    expect(
      errorOf(parseEvent(event('erp' as App, 'order.proposed'), SO)),
    ).toEqual({
      code: 'badSource',
      message: 'source must be one of crm, act (got "erp")',
      field: 'source',
    });
  });

  it('rejects a type the source does not send', () => {
    expect(
      errorOf(
        parseEvent(
          event('crm', 'salesOrder.statusUpdated', { status: 'x' }),
          SO,
        ),
      ),
    ).toEqual({
      code: 'unknownType',
      message:
        'type "salesOrder.statusUpdated" is not a known event type for source crm (act sends it)',
      field: 'type',
    });
    expect(errorOf(parseEvent(event('act', 'order.proposed'), SO)).code).toBe(
      'unknownType',
    );
    expect(errorOf(parseEvent(event('crm', 'customer.fetched'), SO)).code).toBe(
      'unknownType',
    );
    expect(errorOf(parseEvent(event('act', 'contact.created'), SO)).code).toBe(
      'unknownType',
    );
    expect(errorOf(parseEvent(event('crm', 'invoice.issued'), SO)).code).toBe(
      'unknownType',
    );
    expect(errorOf(parseEvent(event('act', 'invoice.proposed'), SO)).code).toBe(
      'unknownType',
    );
  });

  it('knows the types of §5 for each source', () => {
    expect(EVENT_TYPES.crm).toHaveLength(34);
    expect(EVENT_TYPES.act).toHaveLength(31);
    expect(EVENT_TYPES.act).toContain('customer.fetched');
    expect(EVENT_TYPES.crm).toContain('order.cancellationProposed');
  });

  it('reports an unknown type before a bad timestamp', () => {
    const result = parseEvent(
      { ...event('crm', 'order.teleported'), at: 'yesterday' },
      SO,
    );
    expect(errorOf(result).code).toBe('unknownType');
  });

  it.each([
    '2026-11-02T09:00:00Z',
    '2026-11-02T09:00:00+07:00',
    '2026-11-02T09:00:00.123-05:30',
    '2026-11-02T09:00+07:00',
    '2028-02-29T23:59:59Z',
  ])('accepts the timestamp %s', (at) => {
    expect(
      accepted(parseEvent({ ...event('crm', 'order.proposed'), at }, SO)).at,
    ).toBe(at);
  });

  it.each([
    '2026-11-02T09:00:00',
    '2026-11-02',
    '2026-02-30T09:00:00Z',
    '2026-02-29T09:00:00Z',
    '2026-11-02T24:00:00Z',
    '2026-11-02T09:60:00Z',
    '2026-11-02T09:00:00+0700',
    '2026-11-02 09:00:00Z',
    'yesterday',
  ])('rejects the timestamp %s', (at) => {
    const result = parseEvent({ ...event('crm', 'order.proposed'), at }, SO);
    expect(errorOf(result)).toMatchObject({
      code: 'badTimestamp',
      field: 'at',
    });
  });

  it('trims the key and rejects one that is blank', () => {
    expect(
      accepted(
        parseEvent({ ...event('crm', 'order.proposed'), key: ' DH-1 ' }, SO),
      ).key,
    ).toBe('DH-1');
    expect(
      errorOf(parseEvent({ ...event('crm', 'order.proposed'), key: '  ' }, SO)),
    ).toEqual({
      code: 'emptyField',
      message: 'key must not be empty',
      field: 'key',
    });
  });

  it('accepts an integer version of at least 1', () => {
    const result = parseEvent(
      event('crm', 'order.proposed', {}, { version: 3 }),
      SO,
    );
    expect(accepted(result).version).toBe(3);
    expect(
      accepted(parseEvent(event('crm', 'order.proposed'), SO)),
    ).not.toHaveProperty('version');
  });

  it.each([
    [
      1.5,
      'badVersion',
      'version must be a whole number of at least 1 (got 1.5)',
    ],
    [0, 'badVersion', 'version must be a whole number of at least 1 (got 0)'],
    [-1, 'badVersion', 'version must be a whole number of at least 1 (got -1)'],
    ['3', 'wrongType', 'version must be a JSON number (got "3")'],
    [null, 'wrongType', 'version must be a JSON number (got null)'],
  ])('rejects the version %j', (version, code, message) => {
    const result = parseEvent(
      event('crm', 'order.proposed', {}, { version }),
      SO,
    );
    expect(errorOf(result)).toEqual({ code, message, field: 'version' });
  });

  it('makes data {} when it is absent', () => {
    expect(dataOf(parseEvent(event('crm', 'order.proposed'), SO))).toEqual({});
  });

  it.each([
    [null, 'data must be an object (got null)'],
    [[], 'data must be an object (got an array)'],
    ['x', 'data must be an object (got "x")'],
  ])('rejects data %j', (data, message) => {
    const result = parseEvent(event('crm', 'order.proposed', data), SO);
    expect(errorOf(result)).toEqual({
      code: 'wrongType',
      message,
      field: 'data',
    });
  });

  it('drops unknown envelope fields', () => {
    const result = parseEvent(
      event('crm', 'order.proposed', {}, { note: 'x', user: { id: 1 } }),
      SO,
    );
    expect(accepted(result)).toEqual({
      id: 'e-1',
      source: 'crm',
      type: 'order.proposed',
      at: '2026-11-02T09:00:00+07:00',
      key: 'DH-0001',
      data: {},
    });
  });

  it.each([
    [null, 'null'],
    [[], 'an array'],
    [5, '5'],
    ['{"id":"x"}', '"{\\"id\\":\\"x\\"}"'],
  ])('rejects %j as not an object', (input, got) => {
    expect(parseEvent(input, SO)).toEqual({
      ok: false,
      eventId: null,
      error: {
        code: 'notObject',
        message: `the event must be a JSON object (got ${got})`,
      },
    });
  });
});

describe('required data fields', () => {
  const cases: [App, string, OrderTarget, JsonObject, string[]][] = [
    ['crm', 'customer.created', 'salesOrder', { name: 'A' }, ['name']],
    ['crm', 'customer.imported', 'salesOrder', { name: 'A' }, ['name']],
    ['crm', 'contact.created', 'salesOrder', { name: 'A' }, ['name']],
    ['crm', 'contact.imported', 'salesOrder', { name: 'A' }, ['name']],
    ['act', 'customer.created', 'salesOrder', { name: 'A' }, ['name']],
    ['act', 'customer.imported', 'salesOrder', { name: 'A' }, ['name']],
    ['crm', 'product.created', 'salesOrder', { name: 'A' }, ['name']],
    ['act', 'product.imported', 'salesOrder', { name: 'A' }, ['name']],
    [
      'crm',
      'order.created',
      'salesOrder',
      ORDER_DATA,
      [
        'revenueStatus',
        'lines',
        'lines.0.line',
        'lines.0.quantity',
        'lines.0.unitPrice',
      ],
    ],
    [
      'crm',
      'order.imported',
      'contract',
      ORDER_DATA,
      ['revenueStatus', 'lines'],
    ],
    [
      'crm',
      'order.cancellationProposed',
      'contract',
      { proposal: 'HDS-1', amount: '9000000' },
      ['proposal', 'amount'],
    ],
    [
      'act',
      'salesOrder.revenueRecorded',
      'salesOrder',
      { postingDate: '2026-11-03', amount: '19300000' },
      ['postingDate', 'amount'],
    ],
    [
      'act',
      'salesOrder.fulfilmentUpdated',
      'salesOrder',
      { lines: [{ line: '1', deliveredQuantity: '6' }] },
      ['lines.0.line', 'lines.0.deliveredQuantity'],
    ],
    [
      'act',
      'salesOrder.statusUpdated',
      'salesOrder',
      { status: 'inProgress' },
      ['status'],
    ],
    [
      'act',
      'contract.statusUpdated',
      'contract',
      { status: 'inProgress' },
      ['status'],
    ],
    [
      'act',
      'contract.revenueRecorded',
      'contract',
      { postingDate: '2026-10-03', amount: '54000000' },
      ['postingDate', 'amount'],
    ],
    [
      'act',
      'contract.revenueDateMoved',
      'contract',
      { postingDate: '2026-10-01' },
      ['postingDate'],
    ],
    [
      'act',
      'contract.paymentDeadlineUpdated',
      'contract',
      { paymentDeadline: '2026-11-15' },
      ['paymentDeadline'],
    ],
    [
      'act',
      'contract.cancellationApproved',
      'contract',
      { proposal: 'HDS-1' },
      ['proposal'],
    ],
    [
      'act',
      'contract.cancellationRejected',
      'contract',
      { proposal: 'HDS-1', reason: 'no' },
      ['proposal'],
    ],
    [
      'crm',
      'invoice.created',
      'salesOrder',
      { order: 'DH-0001', status: 'draft' },
      ['order', 'status'],
    ],
    [
      'crm',
      'invoice.imported',
      'salesOrder',
      { order: 'DH-0001', status: 'proposed' },
      ['order', 'status'],
    ],
    [
      'act',
      'invoice.issued',
      'salesOrder',
      { number: '0000123', date: '2026-11-06' },
      ['number', 'date'],
    ],
  ];

  const rows = cases.flatMap(([source, type, orderTarget, data, fields]) =>
    fields.map((field) => ({ source, type, orderTarget, data, field })),
  );

  it.each(cases)(
    'accepts a complete %s %s',
    (source, type, orderTarget, data) => {
      expect(parseEvent(event(source, type, data), { orderTarget }).ok).toBe(
        true,
      );
    },
  );

  it.each(rows)(
    'requires $field in $source $type',
    ({ source, type, orderTarget, data, field }) => {
      const result = parseEvent(event(source, type, without(data, field)), {
        orderTarget,
      });
      const path = `data.${field.replace(/\.(\d+)/g, '[$1]')}`;
      expect(errorOf(result)).toEqual({
        code: 'missingField',
        message: `${path} is required`,
        field: path,
      });
    },
  );

  it.each([
    ['crm', 'customer.updated'],
    ['crm', 'customer.merged'],
    ['act', 'customer.deleted'],
    ['act', 'customer.fetched'],
    ['crm', 'product.updated'],
    ['crm', 'quote.created'],
    ['crm', 'order.updated'],
    ['crm', 'order.rejected'],
    ['act', 'salesOrder.revenueUnrecorded'],
    ['act', 'salesOrder.fulfilmentUpdated'],
    ['crm', 'invoice.updated'],
    ['act', 'invoice.rejected'],
  ] as [App, string][])('needs nothing in %s %s', (source, type) => {
    expect(parseEvent(event(source, type, {}), SO).ok).toBe(true);
  });

  it.each([
    ['act', 'contract.edited'],
    ['act', 'contract.revenueRejected'],
    ['act', 'contract.invoicingUpdated'],
    ['act', 'contract.receiptsUpdated'],
  ] as [App, string][])('needs nothing in %s %s', (source, type) => {
    expect(parseEvent(event(source, type, {}), CT).ok).toBe(true);
  });
});

describe('field types', () => {
  it.each([
    [
      'crm',
      'customer.created',
      { name: 5 },
      'wrongType',
      'data.name must be a string (got 5)',
    ],
    [
      'crm',
      'customer.created',
      { name: 'A', personal: 'yes' },
      'wrongType',
      'data.personal must be true or false (got "yes")',
    ],
    [
      'crm',
      'order.created',
      { ...ORDER_DATA, lines: {} },
      'wrongType',
      'data.lines must be an array (got an object)',
    ],
    [
      'crm',
      'order.created',
      { ...ORDER_DATA, lines: ['x'] },
      'wrongType',
      'data.lines[0] must be an object (got "x")',
    ],
    [
      'crm',
      'order.created',
      { ...ORDER_DATA, customer: '' },
      'emptyField',
      'data.customer must not be empty',
    ],
    [
      'crm',
      'order.created',
      { ...ORDER_DATA, total: true },
      'wrongType',
      'data.total must be a number or a decimal string (got true)',
    ],
    [
      'crm',
      'order.created',
      { ...ORDER_DATA, currency: 'vnd' },
      'badCurrency',
      'data.currency must be a three-letter currency code such as VND (got "vnd")',
    ],
    [
      'crm',
      'invoice.created',
      { order: 'DH-1', status: 'draft', amount: null },
      'wrongType',
      'data.amount must be a number or a decimal string (got null)',
    ],
    [
      'act',
      'invoice.issued',
      { number: 123, date: '2026-11-06' },
      'wrongType',
      'data.number must be a string (got 123)',
    ],
    [
      'act',
      'salesOrder.fulfilmentUpdated',
      { receipts: [{ number: 'PT-1', amount: 'five' }] },
      'badNumber',
      'data.receipts[0].amount must be a decimal number of at most 40 characters, such as 12 or 3.5 (got "five")',
    ],
  ] as [App, string, JsonObject, string, string][])(
    'rejects %s %s with %j',
    (source, type, data, code, message) => {
      const field = message.split(' ')[0];
      expect(errorOf(parseEvent(event(source, type, data), SO))).toEqual({
        code,
        message,
        field,
      });
    },
  );

  it('rejects invoiced given as text in contract.edited', () => {
    expect(
      errorOf(
        parseEvent(event('act', 'contract.edited', { invoiced: 'yes' }), CT),
      ),
    ).toEqual({
      code: 'wrongType',
      message: 'data.invoiced must be true or false (got "yes")',
      field: 'data.invoiced',
    });
  });

  it('writes a line number given as a JSON number as a string', () => {
    const data = dataOf(
      parseEvent(
        event('act', 'salesOrder.fulfilmentUpdated', {
          lines: [{ line: 2, deliveredQuantity: 1 }],
        }),
        SO,
      ),
    );
    expect(data.lines).toEqual([{ line: '2', deliveredQuantity: '1' }]);
  });

  it('rejects two entries for the same line', () => {
    const result = parseEvent(
      event('act', 'salesOrder.fulfilmentUpdated', {
        lines: [
          { line: '1', deliveredQuantity: '1' },
          { line: 1, deliveredQuantity: '2' },
        ],
      }),
      SO,
    );
    expect(errorOf(result)).toEqual({
      code: 'duplicateLine',
      message: 'data.lines[1].line repeats line "1" of lines[0]',
      field: 'data.lines[1].line',
    });
  });

  it('reports the first problem in the order of the fields', () => {
    const result = parseEvent(
      event('crm', 'order.created', {
        revenueStatus: 'draft',
        lines: [
          { line: '1', quantity: '-1', unitPrice: 'x' },
          { line: '2', quantity: '1' },
        ],
        total: '1.5',
      }),
      SO,
    );
    expect(errorOf(result).field).toBe('data.lines[0].quantity');
  });

  it('carries fields it does not know, nested ones included', () => {
    const data = dataOf(
      parseEvent(
        event('crm', 'order.created', {
          ...ORDER_DATA,
          lines: [
            { line: ' 1 ', quantity: 2, unitPrice: 5, discount: { pct: 5 } },
          ],
          note: 'giao buổi sáng',
          tags: ['a', 1, null],
        }),
        SO,
      ),
    );
    expect(data).toEqual({
      ...ORDER_DATA,
      lines: [
        { line: '1', quantity: '2', unitPrice: '5', discount: { pct: 5 } },
      ],
      note: 'giao buổi sáng',
      tags: ['a', 1, null],
    });
  });

  it('trims codes inside data', () => {
    const data = dataOf(
      parseEvent(
        event('crm', 'invoice.created', {
          order: ' DH-0001\t',
          status: 'draft',
        }),
        SO,
      ),
    );
    expect(data.order).toBe('DH-0001');
  });
});

describe('numbers', () => {
  const fulfilment = (data: JsonObject) =>
    parseEvent(event('act', 'salesOrder.fulfilmentUpdated', data), SO);

  it('accepts 0.1 as a JSON number and as a string', () => {
    expect(
      dataOf(fulfilment({ lines: [{ line: '1', deliveredQuantity: 0.1 }] })),
    ).toEqual({ lines: [{ line: '1', deliveredQuantity: '0.1' }] });
    expect(
      dataOf(fulfilment({ lines: [{ line: '1', deliveredQuantity: '0.1' }] })),
    ).toEqual({ lines: [{ line: '1', deliveredQuantity: '0.1' }] });
  });

  it('rejects 0.30000000000000004 as a JSON number (17 significant digits)', () => {
    const line =
      '{"lines":[{"line":"1","deliveredQuantity":0.30000000000000004}]}';
    const result = fulfilment(JSON.parse(line) as JsonObject);
    expect(errorOf(result)).toEqual({
      code: 'tooManyDigits',
      message:
        'data.lines[0].deliveredQuantity has more than 15 significant digits as a JSON number (got 0.30000000000000004); send it as a decimal string',
      field: 'data.lines[0].deliveredQuantity',
    });
  });

  it('accepts 15 significant digits as a JSON number', () => {
    expect(dataOf(fulfilment({ receivedAmount: 123456789012345 }))).toEqual({
      receivedAmount: '123456789012345',
    });
    expect(dataOf(fulfilment({ receivedAmount: 1e21 }))).toEqual({
      receivedAmount: '1000000000000000000000',
    });
  });

  it('rejects a JSON number whose digits were rounded', () => {
    const data = JSON.parse('{"receivedAmount":12345678901234567890}');
    expect(errorOf(fulfilment(data as JsonObject))).toEqual({
      code: 'tooManyDigits',
      message:
        'data.receivedAmount has more than 15 significant digits as a JSON number (got 12345678901234567000); send it as a decimal string',
      field: 'data.receivedAmount',
    });
  });

  it('accepts a 20-digit string exactly', () => {
    expect(
      dataOf(fulfilment({ receivedAmount: '12345678901234567890' })),
    ).toEqual({ receivedAmount: '12345678901234567890' });
  });

  it('writes decimals in canonical form', () => {
    expect(
      dataOf(
        fulfilment({ lines: [{ line: '1', deliveredQuantity: '003.500' }] }),
      ),
    ).toEqual({ lines: [{ line: '1', deliveredQuantity: '3.5' }] });
  });

  it.each(['1e5', '+1', '1.', '.5', ' 1', '1,5', '0x10', '١٢', ''])(
    'rejects the decimal string %j',
    (text) => {
      expect(errorOf(fulfilment({ receivedAmount: text }))).toMatchObject({
        code: 'badNumber',
        field: 'data.receivedAmount',
      });
    },
  );

  it('rejects a decimal string longer than 40 characters', () => {
    expect(dataOf(fulfilment({ receivedAmount: '1'.repeat(40) }))).toEqual({
      receivedAmount: '1'.repeat(40),
    });
    expect(errorOf(fulfilment({ receivedAmount: '1'.repeat(41) })).code).toBe(
      'badNumber',
    );
  });

  it('allows only remainingAmount to be negative', () => {
    expect(dataOf(fulfilment({ remainingAmount: '-500000' }))).toEqual({
      remainingAmount: '-500000',
    });
    expect(errorOf(fulfilment({ receivedAmount: -1 }))).toEqual({
      code: 'negativeNumber',
      message: 'data.receivedAmount must not be negative (got -1)',
      field: 'data.receivedAmount',
    });
    expect(dataOf(fulfilment({ receivedAmount: '-0' }))).toEqual({
      receivedAmount: '0',
    });
  });

  it('rejects fractional VND amounts', () => {
    const result = parseEvent(
      event('crm', 'order.created', {
        ...ORDER_DATA,
        lines: [{ line: '1', quantity: '3', unitPrice: '1250000.5' }],
      }),
      SO,
    );
    expect(errorOf(result)).toEqual({
      code: 'fractionalAmount',
      message:
        'data.lines[0].unitPrice must be a whole number of đồng in VND (got 1250000.5)',
      field: 'data.lines[0].unitPrice',
    });
  });

  it('treats an event without currency as VND', () => {
    const result = parseEvent(
      event('crm', 'product.created', { name: 'Ghế', price: 10.5 }),
      SO,
    );
    expect(errorOf(result).code).toBe('fractionalAmount');
  });

  it('accepts whole VND amounts with a zero fraction', () => {
    expect(dataOf(fulfilment({ receivedAmount: '5000000.00' }))).toEqual({
      receivedAmount: '5000000',
    });
  });

  it('accepts fractional USD amounts', () => {
    const data = dataOf(
      parseEvent(
        event('crm', 'order.created', {
          ...ORDER_DATA,
          currency: 'USD',
          lines: [{ line: '1', quantity: '3', unitPrice: '12.50' }],
          total: 37.5,
        }),
        SO,
      ),
    );
    expect(data).toMatchObject({
      currency: 'USD',
      lines: [{ line: '1', quantity: '3', unitPrice: '12.5' }],
      total: '37.5',
    });
  });

  it('takes the currency from currencyOf when the event has none', () => {
    const calls: [string, string][] = [];
    const options: ParseEventOptions = {
      orderTarget: 'salesOrder',
      currencyOf: (key, type) => {
        calls.push([key, type]);
        return 'USD';
      },
    };
    const result = parseEvent(
      event('act', 'salesOrder.fulfilmentUpdated', { receivedAmount: '10.25' }),
      options,
    );
    expect(dataOf(result)).toEqual({ receivedAmount: '10.25' });
    expect(calls).toEqual([['DH-0001', 'salesOrder.fulfilmentUpdated']]);
  });

  it('prefers the event currency to currencyOf', () => {
    const options: ParseEventOptions = {
      orderTarget: 'salesOrder',
      currencyOf: () => 'USD',
    };
    const result = parseEvent(
      event('crm', 'order.updated', { currency: 'VND', total: '0.5' }),
      options,
    );
    expect(errorOf(result).code).toBe('fractionalAmount');
  });

  it('treats an unknown currency from currencyOf as VND', () => {
    const options: ParseEventOptions = {
      orderTarget: 'salesOrder',
      currencyOf: () => undefined,
    };
    const result = parseEvent(
      event('act', 'salesOrder.revenueRecorded', {
        postingDate: '2026-11-03',
        amount: '0.5',
      }),
      options,
    );
    expect(errorOf(result).code).toBe('fractionalAmount');
  });

  it('accepts fractional quantities in VND orders', () => {
    const data = dataOf(
      parseEvent(
        event('crm', 'order.created', {
          ...ORDER_DATA,
          lines: [{ line: '1', quantity: '2.5', unitPrice: '1000' }],
        }),
        SO,
      ),
    );
    expect(data.lines).toEqual([
      { line: '1', quantity: '2.5', unitPrice: '1000' },
    ]);
  });
});

describe('dates', () => {
  it.each([
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-1-5',
    '05/11/2026',
    '2026-11-05T00:00:00Z',
  ])('rejects %s', (date) => {
    const result = parseEvent(
      event('act', 'contract.revenueDateMoved', { postingDate: date }),
      CT,
    );
    expect(errorOf(result)).toEqual({
      code: 'badDate',
      message: `data.postingDate must be a real date written YYYY-MM-DD (got "${date}")`,
      field: 'data.postingDate',
    });
  });

  it.each(['2028-02-29', '2000-02-29', '2026-12-31'])('accepts %s', (date) => {
    const result = parseEvent(
      event('act', 'contract.revenueDateMoved', { postingDate: date }),
      CT,
    );
    expect(dataOf(result)).toEqual({ postingDate: date });
  });

  it('rejects 1900-02-29 (not a leap year)', () => {
    const result = parseEvent(
      event('act', 'contract.paymentDeadlineUpdated', {
        paymentDeadline: '1900-02-29',
      }),
      CT,
    );
    expect(errorOf(result).code).toBe('badDate');
  });

  it('checks dates inside receipts', () => {
    const result = parseEvent(
      event('act', 'contract.receiptsUpdated', {
        receipts: [{ number: 'PT-1', date: '2026-11-31', amount: '1' }],
      }),
      CT,
    );
    expect(errorOf(result).field).toBe('data.receipts[0].date');
  });
});

describe('statuses', () => {
  it.each(['recorded', 'rejected', 'Draft'])(
    'rejects revenueStatus %s in order.created',
    (revenueStatus) => {
      const result = parseEvent(
        event('crm', 'order.created', { ...ORDER_DATA, revenueStatus }),
        SO,
      );
      expect(errorOf(result)).toEqual({
        code: 'badStatus',
        message: `data.revenueStatus must be one of draft, proposed (got "${revenueStatus}")`,
        field: 'data.revenueStatus',
      });
    },
  );

  it.each(['draft', 'proposed', 'recorded', 'rejected'])(
    'accepts revenueStatus %s in order.updated',
    (revenueStatus) => {
      expect(
        dataOf(
          parseEvent(event('crm', 'order.updated', { revenueStatus }), SO),
        ),
      ).toEqual({ revenueStatus });
    },
  );

  it('rejects an unknown order status from ACT', () => {
    const result = parseEvent(
      event('act', 'salesOrder.statusUpdated', { status: 'done' }),
      SO,
    );
    expect(errorOf(result)).toEqual({
      code: 'badStatus',
      message:
        'data.status must be one of notStarted, inProgress, fullyDelivered, completed, cancelled (got "done")',
      field: 'data.status',
    });
  });

  it('checks the status of contract.edited when given', () => {
    expect(
      errorOf(
        parseEvent(event('act', 'contract.edited', { status: 'draft' }), CT),
      ).code,
    ).toBe('badStatus');
    expect(
      dataOf(
        parseEvent(
          event('act', 'contract.edited', { status: 'completed' }),
          CT,
        ),
      ),
    ).toEqual({ status: 'completed' });
  });

  it('allows only draft or proposed when an invoice is created', () => {
    expect(
      errorOf(
        parseEvent(
          event('crm', 'invoice.created', {
            order: 'DH-1',
            status: 'approved',
          }),
          SO,
        ),
      ).code,
    ).toBe('badStatus');
  });

  it.each([
    'draft',
    'proposed',
    'approved',
    'rejected',
    'issued',
    'issuanceRejected',
    'cancelled',
  ])('accepts status %s in invoice.updated', (status) => {
    expect(
      dataOf(parseEvent(event('crm', 'invoice.updated', { status }), SO)),
    ).toEqual({ status });
  });
});

describe('Unicode', () => {
  it('normalises values and keys to NFC', () => {
    const nfd = (text: string) => text.normalize('NFD');
    const input = {
      ...event('crm', 'customer.created', {
        name: nfd('Công ty Hoa Sen'),
        [nfd('ghi chú')]: nfd('Nguyễn Văn An'),
      }),
      id: nfd('sự-kiện-1'),
      key: nfd(' KH-Đông '),
    };
    expect(input.key).not.toBe(' KH-Đông ');
    expect(accepted(parseEvent(input, SO))).toEqual({
      id: 'sự-kiện-1',
      source: 'crm',
      type: 'customer.created',
      at: '2026-11-02T09:00:00+07:00',
      key: 'KH-Đông',
      data: { name: 'Công ty Hoa Sen', 'ghi chú': 'Nguyễn Văn An' },
    });
  });
});

describe('hostile input', () => {
  function nest(levels: number): unknown {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  }

  it(`accepts ${MAX_DEPTH} levels of nesting and rejects more`, () => {
    // The event is level 1 and data level 2: 62 more arrays reach level 64.
    expect(
      parseEvent(event('crm', 'order.updated', { deep: nest(62) }), SO).ok,
    ).toBe(true);
    const result = parseEvent(
      event('crm', 'order.updated', { deep: nest(63) }),
      SO,
    );
    const error = errorOf(result);
    expect(error.code).toBe('tooDeep');
    expect(error.field).toBe(`data.deep${'[0]'.repeat(62)}`);
    expect(error.message).toBe(
      `${error.field} is nested too deeply (more than 64 levels of objects and arrays)`,
    );
  });

  it('rejects a million levels of JSON nesting without overflowing the stack', () => {
    const text = `{"id":"deep","data":{"a":${'['.repeat(1e6)}${']'.repeat(1e6)}}}`;
    const result = parseEvent(JSON.parse(text) as unknown, SO);
    expect(result).toMatchObject({
      ok: false,
      eventId: 'deep',
      error: { code: 'tooDeep' },
    });
  });

  it('rejects a cyclic object as too deep', () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(
      errorOf(parseEvent(event('crm', 'order.updated', data), SO)).code,
    ).toBe('tooDeep');
  });

  it('keeps __proto__ keys as plain fields and pollutes nothing', () => {
    const text =
      '{"id":"p","source":"crm","type":"order.created","at":"2026-11-02T09:00:00Z","key":"DH-1","__proto__":{"admin":true},' +
      '"data":{"revenueStatus":"draft","__proto__":{"polluted":true},"lines":[{"line":"1","quantity":"1","unitPrice":"1","__proto__":{"x":1}}],' +
      '"constructor":{"prototype":{"polluted":true}}}}';
    const input = JSON.parse(text) as unknown;
    const event = accepted(parseEvent(input, SO));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
    expect(Object.hasOwn(event, '__proto__')).toBe(false);
    expect(Object.hasOwn(event.data, '__proto__')).toBe(true);
    expect(
      Object.getOwnPropertyDescriptor(event.data, '__proto__')?.value,
    ).toEqual({ polluted: true });
    const line = (event.data.lines as JsonObject[])[0] as JsonObject;
    expect(Object.getPrototypeOf(line)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(line, '__proto__')?.value).toEqual({
      x: 1,
    });
    expect(line.quantity).toBe('1');
    expect(JSON.parse(JSON.stringify(event.data))).toEqual(
      JSON.parse(text).data,
    );
  });

  it('does not let a __proto__ key stand in for a required field', () => {
    const input = JSON.parse(
      '{"id":"p","source":"crm","type":"customer.created","at":"2026-11-02T09:00:00Z","key":"KH-1","data":{"__proto__":{"name":"x"}}}',
    ) as unknown;
    expect(errorOf(parseEvent(input, SO))).toEqual({
      code: 'missingField',
      message: 'data.name is required',
      field: 'data.name',
    });
  });

  it('rejects values JSON cannot hold', () => {
    expect(
      errorOf(
        parseEvent(event('crm', 'order.updated', { total: Number.NaN }), SO),
      ),
    ).toEqual({
      code: 'notJson',
      message: 'data.total is not a JSON value (got NaN)',
      field: 'data.total',
    });
    expect(
      errorOf(
        parseEvent(event('crm', 'order.updated', { at: new Date(0) }), SO),
      ).code,
    ).toBe('notJson');
    expect(
      errorOf(parseEvent(event('crm', 'order.updated', { f: () => 1 }), SO))
        .code,
    ).toBe('notJson');
  });

  it('reports a property that cannot be read instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    expect(parseEvent(hostile, SO)).toEqual({
      ok: false,
      eventId: null,
      error: {
        code: 'unreadable',
        message: 'the event could not be read: no keys for you',
      },
    });
  });

  it('quotes odd keys in field paths and clips long values in messages', () => {
    const result = parseEvent(
      event('crm', 'order.updated', {
        lines: [
          { line: '1', quantity: '1', unitPrice: '1', 'a.b': [nest(70)] },
        ],
      }),
      SO,
    );
    expect(errorOf(result).field).toMatch(/^data\.lines\[0\]\["a\.b"\]\[0\]/);
    const long = parseEvent(
      event('crm', 'order.updated', { total: 'x'.repeat(10_000) }),
      SO,
    );
    expect(errorOf(long).message.length).toBeLessThan(200);
  });

  it('never throws on odd input', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      true,
      0,
      '',
      'x'.repeat(1e6),
      [],
      [1, 2],
      {},
      Object.create(null),
      { id: {} },
      { id: 'a', source: 'crm', type: 'order.created', data: { lines: null } },
      event('crm', 'order.created', { ...ORDER_DATA, lines: [null, 1, 'x'] }),
      event('crm', 'order.created', { ...ORDER_DATA, lines: new Array(3) }),
      event('crm', 'constructor'),
      event('crm', '__proto__'),
      event('crm', 'toString'),
      event('crm', 'hasOwnProperty'),
      { ...event('crm', 'order.proposed'), at: '9'.repeat(1e5) },
      new Map(),
      Symbol('x'),
      BigInt(1),
    ];
    for (const input of inputs) {
      expect(() => parseEvent(input, SO)).not.toThrow();
      expect(parseEvent(input, SO).ok).toBe(false);
    }
  });

  it('lets an error thrown by currencyOf through', () => {
    const options: ParseEventOptions = {
      orderTarget: 'salesOrder',
      currencyOf: () => {
        throw new Error('store closed');
      },
    };
    expect(() =>
      parseEvent(
        event('act', 'salesOrder.statusUpdated', { status: 'inProgress' }),
        options,
      ),
    ).toThrow('store closed');
  });
});

describe('text that is not Unicode', () => {
  it('rejects a key holding a lone surrogate, naming the field', () => {
    const result = parseEvent(
      {
        id: 'u-1',
        source: 'crm',
        type: 'product.created',
        at: '2026-11-02T09:00:00+07:00',
        key: 'SP-\ud800',
        data: { name: 'Ghế' },
      },
      { orderTarget: 'salesOrder' },
    );

    expect(result).toMatchObject({
      ok: false,
      eventId: 'u-1',
      error: { code: 'badText', field: 'key' },
    });
  });
});
