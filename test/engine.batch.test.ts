import { describe, expect, it } from 'vitest';
import { createEngine, openSqliteStore, type Store } from '../index.js';

const AT = '2026-11-02T09:00:00+07:00';

function productEvent(n: number, key: string) {
  return {
    value: {
      id: `p-${n}`,
      source: 'crm',
      type: 'product.created',
      at: AT,
      key,
      data: { name: `Sản phẩm ${n}`, unit: 'Cái', price: '1000' },
    },
    line: n,
  };
}

/** A store whose putRecord fails for one record id, as a bug would. */
function failingOn(id: string): Store {
  const store = openSqliteStore(':memory:');

  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'putRecord') {
        return (record: { id: string }) => {
          if (record.id === id) throw new Error('disk on fire');

          return target.putRecord(record as never);
        };
      }
      const value = Reflect.get(target, name, receiver) as unknown;

      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('engine.run batches', () => {
  it('reports each event once and keeps the others when one event fails inside a batch', () => {
    const engine = createEngine({ store: failingOn('product:SP-2') });
    const seen: string[] = [];

    const { results } = engine.run(
      [
        productEvent(1, 'SP-1'),
        productEvent(2, 'SP-2'),
        productEvent(3, 'SP-3'),
      ],
      { onResult: (result) => seen.push(`${result.event} ${result.outcome}`) },
    );

    expect(seen).toEqual(['p-1 applied', 'p-2 invalid', 'p-3 applied']);
    expect(results.map((r) => r.outcome)).toEqual([
      'applied',
      'invalid',
      'applied',
    ]);
    expect(results[1]!.error?.code).toBe('internalError');
    expect(engine.records().map((record) => record.id)).toEqual([
      'product:SP-1',
      'product:SP-3',
    ]);
    expect(engine.outbox.all().map((entry) => entry.eventId)).toEqual([
      'p-1',
      'p-3',
    ]);
  });

  it('keeps nothing of the failing event, so sending it again is not a duplicate', () => {
    const engine = createEngine({ store: failingOn('product:SP-2') });
    engine.run([productEvent(2, 'SP-2')]);

    expect(engine.store.hasEvent('p-2')).toBe(false);
  });
});
