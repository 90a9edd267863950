import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index.js';
import type { OrderTarget, Result } from '../src/types.js';
import { configureSeed } from './model/seed.js';
import { Chooser, walk } from './model/walk.js';

const seed = configureSeed(150);
const OUTCOMES = [
  'applied',
  'duplicate',
  'stale',
  'invalid',
  'conflict',
  'parked',
];

/** A result as §6 shapes it, from an engine that kept its footing. */
function expectSane(result: Result | undefined) {
  expect(result).toBeDefined();
  expect(OUTCOMES).toContain(result!.outcome);
  expect(result!.error?.code, result!.error?.message).not.toBe('internalError');
  expect(Array.isArray(result!.rules)).toBe(true);
  expect(Array.isArray(result!.commands)).toBe(true);
  expect(Array.isArray(result!.notices)).toBe(true);
}

/** Nested arrays or objects, deeper than anyone should send. */
const deep = fc.integer({ min: 60, max: 3000 }).chain((depth) =>
  fc.boolean().map((arrays) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { x: value };

    return value;
  }),
);

const huge = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    Number('12345678901234567890'),
    0.1 + 0.2,
    5e-324,
    -0,
    `1${'0'.repeat(60)}`,
    '1e5',
    '0x10',
    ' 12 ',
    '١٢٣',
  ),
  fc.double(),
);

/** Text in decomposed form (NFD): the same words, other code points. */
const nfd = fc
  .constantFrom('Nguyễn Văn An', 'Công ty Ánh Dương', 'ĐH-Ổ', 'KH-Ứ')
  .map((s) => s.normalize('NFD'));

const hostile = fc.constantFrom<unknown>(
  Object.create(null),
  {
    get id() {
      throw new Error('getter');
    },
  },
  new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('proxy');
      },
    },
  ),
  [undefined],
  { id: 'x', source: 'crm', type: 'order.created', data: { toJSON: () => 1 } },
  { id: 'x', source: 'crm', type: 'order.created', at: new Date(), key: 'K' },
  JSON.parse('{"__proto__": {"id": "p"}, "constructor": 1}'),
  '',
  '\uFEFF{"id":"bom"}',
  '{"id": "x", "source": "crm",',
);

const any = fc.oneof(
  fc.jsonValue(),
  fc.anything({
    maxDepth: 4,
    withNullPrototype: true,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withDate: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  deep,
  huge,
  nfd,
  hostile,
);

const target = fc.constantFrom<OrderTarget>('salesOrder', 'contract');

/** A valid event with one thing changed for the worse. */
function mutated(events: fc.Arbitrary<Record<string, unknown>>) {
  const field = fc.constantFrom(
    'id',
    'source',
    'type',
    'at',
    'key',
    'version',
    'data',
  );
  const dataField = fc.constantFrom(
    'lines',
    'amount',
    'receivedAmount',
    'remainingAmount',
    'revenueStatus',
    'status',
    'proposal',
    'name',
    'total',
    'currency',
    'postingDate',
  );

  return fc.oneof(
    fc.tuple(events, field).map(([e, f]) => {
      const { [f]: _gone, ...rest } = e;

      return rest;
    }),
    fc.tuple(events, field, any).map(([e, f, v]) => ({ ...e, [f]: v })),
    fc.tuple(events, dataField, any).map(([e, f, v]) => ({
      ...e,
      data: { ...(e.data as object), [f]: v },
    })),
    fc.tuple(events, huge).map(([e, v]) => ({
      ...e,
      data: {
        ...(e.data as object),
        lines: [{ line: 1, quantity: v, unitPrice: v, deliveredQuantity: v }],
      },
    })),
    fc.tuple(events, nfd).map(([e, text]) => ({
      ...e,
      key: text,
      data: { ...(e.data as object), name: text, proposal: text },
    })),
    fc.tuple(events, fc.string()).map(([e, type]) => ({ ...e, type })),
    fc
      .tuple(
        events,
        fc.constantFrom(
          'order.teleported',
          'contract.edited',
          'salesOrder.statusUpdated',
          'customer.fetched',
        ),
      )
      .map(([e, type]) => ({ ...e, type })),
    fc
      .tuple(events, fc.constantFrom(0, -1, 1.5, '3', 2 ** 60, null))
      .map(([e, version]) => ({ ...e, version })),
  );
}

function handleAll(engine: Engine, inputs: readonly unknown[]) {
  for (const input of inputs) {
    const before = engine.records();
    let result: Result | undefined;

    expect(() => (result = engine.handle(input))).not.toThrow();
    expectSane(result);
    if (result!.outcome === 'invalid') expect(engine.records()).toEqual(before);
  }
}

describe(`arbitrary input (seed ${seed})`, () => {
  it('never makes handle throw: any JSON or JS value gets one of the six outcomes', () => {
    fc.assert(
      fc.property(
        target,
        fc.array(any, { maxLength: 5 }),
        (orderTarget, inputs) => {
          const engine = createEngine({ orderTarget });
          try {
            handleAll(engine, inputs);
            handleAll(
              engine,
              inputs.map((v) => {
                try {
                  return JSON.stringify(v) ?? String(v);
                } catch {
                  return 'not json';
                }
              }),
            );
          } finally {
            engine.close();
          }
        },
      ),
    );
  });

  it('never makes handle throw: valid logs with mutated events mixed in', () => {
    const logs = fc
      .tuple(target, fc.array(fc.nat(), { minLength: 1, maxLength: 20 }))
      .map(([orderTarget, numbers]) => ({
        orderTarget,
        log: walk(new Chooser(numbers), { target: orderTarget, length: 15 }),
      }));

    fc.assert(
      fc.property(
        logs.chain(({ orderTarget, log }) =>
          fc
            .array(
              mutated(
                fc.constantFrom(
                  ...(log as unknown as Record<string, unknown>[]),
                ),
              ),
              {
                minLength: 1,
                maxLength: 10,
              },
            )
            .chain((bad) =>
              fc
                .shuffledSubarray([...log, ...bad], {
                  minLength: log.length + bad.length,
                })
                .map((inputs) => ({ orderTarget, inputs })),
            ),
        ),
        ({ orderTarget, inputs }) => {
          const engine = createEngine({ orderTarget });
          try {
            handleAll(engine, inputs);
          } finally {
            engine.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
