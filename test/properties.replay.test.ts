import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineInput } from '../index.js';
import type { OrderTarget, Result } from '../src/types.js';
import type { WireEvent } from './model/oracle.js';
import { configureSeed } from './model/seed.js';
import { Chooser, walk } from './model/walk.js';

const seed = configureSeed(20);
const NOW = '2026-11-30T00:00:00Z';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lienthong-properties-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const target = fc.constantFrom<OrderTarget>('salesOrder', 'contract');
const seeds = fc.array(fc.nat(), { minLength: 1, maxLength: 50 });

function inputs(log: readonly WireEvent[], from = 0): EngineInput[] {
  return log.map((value, i) => ({ value, line: from + i + 1 }));
}

/** Everything an engine keeps that a replay must reproduce. */
function state(engine: Engine) {
  return {
    records: engine.records(),
    outbox: engine.outbox.all().map((e) => [e.eventId, e.command]),
    conflicts: engine.conflicts().map((c) => [c.eventId, c.rules, c.error]),
    parked: engine.parked().map((p) => [p.recordId, p.event.id]),
  };
}

function replay(log: readonly WireEvent[], orderTarget: OrderTarget) {
  const engine = createEngine({ orderTarget, now: () => NOW });
  try {
    return { results: engine.run(inputs(log)).results, ...state(engine) };
  } finally {
    engine.close();
  }
}

let files = 0;

describe(`replaying a log (seed ${seed})`, () => {
  it('gives the same results and records into two fresh stores', () => {
    fc.assert(
      fc.property(target, seeds, (orderTarget, numbers) => {
        const log = walk(new Chooser(numbers), {
          target: orderTarget,
          length: 40,
        });

        const first = replay(log, orderTarget);
        const second = replay(log, orderTarget);

        expect(second).toEqual(first);
        expect(first.results.length).toBeGreaterThanOrEqual(log.length);
      }),
    );
  });

  it('gives the same results and records in two parts with the store reopened', () => {
    fc.assert(
      fc.property(target, seeds, fc.nat(), (orderTarget, numbers, cut) => {
        const log = walk(new Chooser(numbers), {
          target: orderTarget,
          length: 40,
        });
        const split = cut % (log.length + 1);
        const whole = replay(log, orderTarget);
        files += 1;
        const file = path.join(dir, `store-${files}.db`);

        const before = createEngine({
          orderTarget,
          store: file,
          now: () => NOW,
        });
        const head = before.run(inputs(log.slice(0, split))).results;
        before.close();
        const after = createEngine({
          orderTarget,
          store: file,
          now: () => NOW,
        });
        const tail = after.run(inputs(log.slice(split), split)).results;
        const reopened = { results: [...head, ...tail], ...state(after) };
        after.close();

        expect(reopened).toEqual(whole);
      }),
    );
  });
});

describe(`an event delivered twice (seed ${seed})`, () => {
  it('is a duplicate the second time, sends nothing and changes nothing', () => {
    fc.assert(
      fc.property(
        target,
        seeds,
        fc.nat(),
        fc.nat(),
        (orderTarget, numbers, pick, gap) => {
          const log = walk(new Chooser(numbers), {
            target: orderTarget,
            length: 30,
          });
          const i = pick % log.length;
          const j = i + 1 + (gap % (log.length - i));
          const twice = [...log.slice(0, j), log[i]!, ...log.slice(j)];

          const once = replay(log, orderTarget);
          const again = replay(twice, orderTarget);
          const second = again.results.filter((r) => r.line === j + 1);
          const strip = (results: Result[]) =>
            results.map(({ line: _line, ...rest }) => rest);

          expect(second).toEqual([
            {
              line: j + 1,
              event: log[i]!.id,
              outcome: 'duplicate',
              rules: [],
              commands: [],
              notices: [],
            },
          ]);
          expect(strip(again.results.filter((r) => r.line !== j + 1))).toEqual(
            strip(once.results),
          );
          expect({ ...again, results: [] }).toEqual({ ...once, results: [] });
        },
      ),
    );
  });

  it('is a duplicate when sent again at once through handle', () => {
    fc.assert(
      fc.property(target, seeds, (orderTarget, numbers) => {
        const log = walk(new Chooser(numbers), {
          target: orderTarget,
          length: 20,
        });
        const engine = createEngine({ orderTarget, now: () => NOW });
        try {
          for (const event of log) {
            const first = engine.handle(event);
            const second = engine.handle(event);

            expect(first.outcome).not.toBe('duplicate');
            expect(second).toMatchObject({
              event: event.id,
              outcome: 'duplicate',
              commands: [],
            });
          }
        } finally {
          engine.close();
        }
      }),
    );
  });
});
