import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine/engine.js';
import { replay } from '../src/replay.js';
import type { Result } from '../src/types.js';

const BAD_INPUT = fs.readFileSync(
  path.join(import.meta.dirname, '..', 'examples', 'bad-input.jsonl'),
  'utf8',
);

const AT = '2026-11-02T09:00:00+07:00';

function orderCreated(id: string, key: string) {
  return {
    id,
    source: 'crm',
    type: 'order.created',
    at: AT,
    key,
    data: {
      revenueStatus: 'draft',
      lines: [{ line: '1', quantity: '2', unitPrice: '1000' }],
    },
  };
}

function statusUpdated(id: string, key: string, status = 'inProgress') {
  return {
    id,
    source: 'act',
    type: 'salesOrder.statusUpdated',
    at: AT,
    key,
    data: { status },
  };
}

function productCreated(id: string, key: string) {
  return {
    id,
    source: 'crm',
    type: 'product.created',
    at: AT,
    key,
    data: { name: `Sản phẩm ${key}` },
  };
}

function log(...events: unknown[]): string {
  return events
    .map((event) => (typeof event === 'string' ? event : JSON.stringify(event)))
    .join('\n');
}

describe('replay', () => {
  it('counts a parked line by its last result when its order comes later (§6)', async () => {
    const engine = createEngine();

    const out = await replay(
      engine,
      log(statusUpdated('e-1', 'DH-1'), orderCreated('e-2', 'DH-1')),
    );

    expect(out.results.map((r) => [r.line, r.event, r.outcome])).toEqual([
      [1, 'e-1', 'parked'],
      [2, 'e-2', 'applied'],
      [1, 'e-1', 'applied'],
    ]);
    expect(out.summary).toEqual({
      events: 2,
      applied: 2,
      duplicate: 0,
      stale: 0,
      invalid: 0,
      conflict: 0,
      parked: 0,
    });
    expect(out.records).toEqual({
      'order:DH-1': {
        revenue: 'draft',
        delivery: 'notDelivered',
        payment: 'unpaid',
        status: 'inProgress',
      },
    });
  });

  it('keeps a line parked in the summary while its record never comes', async () => {
    const out = await replay(createEngine(), log(statusUpdated('e-1', 'DH-1')));

    expect(out.summary).toMatchObject({ events: 1, parked: 1, applied: 0 });
    expect(out.records).toEqual({});
  });

  it('adds records only for applied and conflicting results', async () => {
    const out = await replay(
      createEngine(),
      log(
        orderCreated('e-1', 'DH-1'),
        { ...statusUpdated('e-2', 'DH-1'), version: 5 },
        { ...statusUpdated('e-3', 'DH-1', 'notStarted'), version: 4 },
        orderCreated('e-1', 'DH-2'),
        statusUpdated('e-4', 'DH-3'),
        '{"id":"e-5"',
        // SO-C6 from draft is refused: a conflict that touches DH-4.
        orderCreated('e-6', 'DH-4'),
        {
          id: 'e-7',
          source: 'crm',
          type: 'order.withdrawn',
          at: AT,
          key: 'DH-4',
        },
      ),
    );

    expect(out.results.map((r) => r.outcome)).toEqual([
      'applied',
      'applied',
      'stale',
      'duplicate',
      'parked',
      'invalid',
      'applied',
      'conflict',
    ]);
    expect(Object.keys(out.records)).toEqual(['order:DH-1', 'order:DH-4']);
  });

  it('lists records in the order the log first touched them', async () => {
    const out = await replay(
      createEngine(),
      log(
        productCreated('e-1', 'SP-Z'),
        orderCreated('e-2', 'DH-1'),
        productCreated('e-3', 'SP-A'),
        productCreated('e-4', 'SP-Z'),
      ),
    );

    expect(Object.keys(out.records)).toEqual([
      'product:SP-Z',
      'order:DH-1',
      'product:SP-A',
    ]);
  });

  it('gives the same results and summary whatever the batch size', async () => {
    const text = log(
      statusUpdated('e-1', 'DH-1'),
      ...BAD_INPUT.trim().split('\n'),
      orderCreated('e-2', 'DH-1'),
    );
    const runs = [];
    for (const batchSize of [1, 2, 5, 500]) {
      runs.push(await replay(createEngine(), text, { batchSize }));
    }

    for (const run of runs.slice(1)) {
      expect(run.results).toEqual(runs[0]!.results);
      expect(run.summary).toEqual(runs[0]!.summary);
      expect(run.records).toEqual(runs[0]!.records);
    }
    expect(runs[0]!.summary).toEqual({
      events: 14,
      applied: 6,
      duplicate: 1,
      stale: 1,
      invalid: 5,
      conflict: 0,
      parked: 1,
    });
  });

  it('skips blank lines in the count but not in the line numbers', async () => {
    const progress: number[] = [];

    const out = await replay(
      createEngine(),
      `\n${JSON.stringify(productCreated('e-1', 'SP-1'))}\n\n   \n` +
        `${JSON.stringify(productCreated('e-2', 'SP-2'))}\n` +
        `${JSON.stringify(productCreated('e-3', 'SP-3'))}\n\n`,
      { batchSize: 2, onProgress: (lines) => progress.push(lines) },
    );

    expect(out.summary.events).toBe(3);
    expect(out.results.map((r) => r.line)).toEqual([2, 5, 6]);
    expect(progress).toEqual([5, 6]);
  });

  it('tells onResult each result with the records it touched', async () => {
    const seen: [Result['outcome'], readonly string[]][] = [];

    await replay(createEngine(), log(productCreated('e-1', 'SP-1'), '[1,2]'), {
      onResult: (result, records) => seen.push([result.outcome, records]),
    });

    expect(seen).toEqual([
      ['applied', ['product:SP-1']],
      ['invalid', []],
    ]);
  });

  it('returns no results with keepResults off, and the same summary', async () => {
    const kept = await replay(createEngine(), BAD_INPUT);
    const streamed = await replay(createEngine(), BAD_INPUT, {
      keepResults: false,
    });

    expect(streamed.results).toEqual([]);
    expect(streamed.summary).toEqual(kept.summary);
    expect(streamed.records).toEqual(kept.records);
  });

  it('handles a batch before reading the lines after it', async () => {
    let handled = 0;
    let handledWhenLine600WasRead = -1;
    async function* lines() {
      for (let index = 1; index <= 700; index += 1) {
        if (index === 600) handledWhenLine600WasRead = handled;
        yield (
          JSON.stringify(productCreated(`e-${index}`, `SP-${index}`)) + '\n'
        );
      }
    }

    const out = await replay(createEngine(), Readable.from(lines()), {
      onResult: () => {
        handled += 1;
      },
    });

    expect(out.summary.applied).toBe(700);
    expect(handledWhenLine600WasRead).toBe(500);
  });

  it('reports a parked event of an earlier replay it releases, without counting it', async () => {
    const engine = createEngine();
    await replay(engine, log(statusUpdated('e-1', 'DH-1')));

    const out = await replay(engine, log(orderCreated('e-2', 'DH-1')));

    expect(out.results.map((r) => [r.line, r.event, r.outcome])).toEqual([
      [1, 'e-2', 'applied'],
      [1, 'e-1', 'applied'],
    ]);
    expect(out.summary).toMatchObject({ events: 1, applied: 1, parked: 0 });
    expect(out.records['order:DH-1']?.status).toBe('inProgress');
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(replay(createEngine(), '', { batchSize: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
