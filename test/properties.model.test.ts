import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index.js';
import type { OrderTarget } from '../src/types.js';
import { exchange } from './model/harness.js';
import { createOracle, type Oracle } from './model/oracle.js';
import { configureSeed } from './model/seed.js';
import { Chooser, FAMILIES, createWalker, type Family } from './model/walk.js';

const seed = configureSeed(25);
const TARGETS: OrderTarget[] = ['salesOrder', 'contract'];

/** Sends a walk through the engine and the oracle; the problems found. */
function check(target: OrderTarget, seeds: number[], length: number) {
  const engine = createEngine({ orderTarget: target });
  const oracle = createOracle({ orderTarget: target });
  const walker = createWalker(target, oracle);
  const choose = new Chooser(seeds);
  const problems: string[] = [];
  const sent: string[] = [];
  try {
    for (let i = 0; i < length; i++) {
      const event = {
        id: `w-${i}`,
        ...walker.next(choose, choose.pick(FAMILIES), i),
      };
      sent.push(`${event.source} ${event.type} ${event.key}`);
      const found = exchange(engine, oracle, event, []).problems;
      if (found.length > 0) {
        problems.push(`${found.join('; ')} after [${sent.join(' → ')}]`);
        break;
      }
    }
  } finally {
    engine.close();
  }

  return problems;
}

describe(`state-aware walks (seed ${seed})`, () => {
  it.each(TARGETS)(
    'every event of a walk over %s orders, invoices and links agrees with the oracle',
    (target) => {
      fc.assert(
        fc.property(
          fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
          (seeds) => {
            expect(check(target, seeds, 60)).toEqual([]);
          },
        ),
      );
    },
  );
});

type Model = { oracle: Oracle; target: OrderTarget; sent: string[] };
type Real = { engine: Engine };

/** One event of a family, picked for the model's state when it runs. */
class Send implements fc.Command<Model, Real> {
  constructor(
    readonly family: Family,
    readonly seeds: number[],
  ) {}

  check(): boolean {
    return true;
  }

  run(model: Model, real: Real): void {
    const i = model.sent.length;
    const walker = createWalker(model.target, model.oracle);
    const event = {
      id: `c-${i}`,
      ...walker.next(new Chooser(this.seeds), this.family, i),
    };
    model.sent.push(`${event.source} ${event.type} ${event.key}`);
    const { problems } = exchange(real.engine, model.oracle, event, []);

    expect(problems, model.sent.join(' → ')).toEqual([]);
  }

  toString(): string {
    return `${this.family}(${this.seeds.join(',')})`;
  }
}

describe(`fc.commands order model (seed ${seed})`, () => {
  it.each(TARGETS)(
    'commands on %s orders and their invoices keep engine and oracle in step',
    (target) => {
      const send = (family: Family) =>
        fc
          .array(fc.nat(), { minLength: 1, maxLength: 6 })
          .map((seeds) => new Send(family, seeds));
      const commands = fc.commands(
        [send('order'), send('order'), send('order'), send('invoice')],
        { size: 'max', maxCommands: 40 },
      );

      fc.assert(
        fc.property(commands, (cmds) => {
          const engine = createEngine({ orderTarget: target });
          try {
            fc.modelRun(
              () => ({
                model: {
                  oracle: createOracle({ orderTarget: target }),
                  target,
                  sent: [],
                },
                real: { engine },
              }),
              cmds,
            );
          } finally {
            engine.close();
          }
        }),
        { numRuns: 15 },
      );
    },
  );
});
