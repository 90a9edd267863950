import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  atomicStates,
  exchange,
  pathsOf,
  replayAll,
  statesOf,
  traversals,
  type GraphPath,
  type Replay,
  type Traversal,
} from './model/harness.js';
import { createEngine } from '../index.js';
import { AT } from './model/cases.js';
import { createOracle } from './model/oracle.js';
import { SPEC_RULE_IDS, ruleIdsOf } from './model/rules.js';

const SPEC = new URL('../../shared/spec/SYNC-RULES.md', import.meta.url);

/** States no event can reach, by design, with the rule that says so. */
const UNREACHABLE: Record<string, Record<string, string>> = {
  salesOrderCancellationMachine: {
    approved: 'SO-C7: with Sales Orders a proposal stays proposed on CRM',
    rejected: 'SO-C7: with Sales Orders a proposal stays proposed on CRM',
  },
};

const TRAVERSALS = traversals();
const paths = new Map<Traversal, GraphPath[]>();
const replays = new Map<Traversal, Replay[]>();

function pathsFor(t: Traversal): GraphPath[] {
  let found = paths.get(t);
  if (!found) {
    found = pathsOf(t);
    paths.set(t, found);
  }

  return found;
}

function replaysFor(t: Traversal): Replay[] {
  let done = replays.get(t);
  if (!done) {
    done = replayAll(t, pathsFor(t));
    replays.set(t, done);
  }

  return done;
}

function specRuleIds(): string[] {
  try {
    return ruleIdsOf(fs.readFileSync(SPEC, 'utf8'));
  } catch {
    return [...SPEC_RULE_IDS];
  }
}

const MACHINES = [...new Set(TRAVERSALS.map((t) => t.machine))];

describe('graph paths', () => {
  it.each(MACHINES)('%s reaches every state on some generated path', (name) => {
    const ours = TRAVERSALS.filter((t) => t.machine === name);
    const exempt = UNREACHABLE[name] ?? {};
    const reached = new Set<string>();
    for (const t of ours) {
      for (const path of pathsFor(t)) {
        for (const state of [path.initial, ...path.states]) {
          for (const s of statesOf(state)) reached.add(s);
        }
      }
    }

    const all = atomicStates(ours[0]!.logic);
    const unreached = all.filter((s) => !reached.has(s) && !exempt[s]);
    const exemptButReached = Object.keys(exempt).filter((s) => reached.has(s));

    expect(unreached, `unreached states of ${name}`).toEqual([]);
    expect(exemptButReached, `states of ${name} held unreachable`).toEqual([]);
  });
});

describe('graph paths replayed through the engine', () => {
  it.each(TRAVERSALS.map((t) => [t.name, t] as const))(
    '%s: every step agrees with the oracle',
    (_name, t) => {
      const done = replaysFor(t);
      const failures = done.flatMap((r) => r.failures);
      const skipped = done.filter((r) => r.skipped);

      expect(done.length).toBeGreaterThan(0);
      expect(failures.slice(0, 15), `${failures.length} failures`).toEqual([]);
      expect(
        skipped.length,
        `skipped paths: ${skipped
          .map((r) => r.skipped)
          .slice(0, 5)
          .join('\n')}`,
      ).toBeLessThan(done.length / 2);
    },
  );

  it('keeps its fallback copy of the spec rule ids in step with the spec', () => {
    const spec = fs.existsSync(SPEC) ? fs.readFileSync(SPEC, 'utf8') : null;
    if (spec === null) return;

    expect(ruleIdsOf(spec)).toEqual(SPEC_RULE_IDS);
  });

  it('decides every rule id of the spec on some generated path', () => {
    const decided = new Set(
      TRAVERSALS.flatMap((t) => replaysFor(t).flatMap((r) => r.rules)),
    );

    const undecided = specRuleIds().filter((id) => !decided.has(id));

    expect(undecided, 'rule ids decided on no path').toEqual([]);
  });
});

describe('known disagreements, reported and not fixed yet', () => {
  it('CT-A4 sends nothing when it moves the date to the one CRM shows after CT-A8', () => {
    const engine = createEngine({ orderTarget: 'contract' });
    const oracle = createOracle({ orderTarget: 'contract' });
    const problems: string[] = [];
    let sent = 0;
    const send = (
      source: 'crm' | 'act',
      type: string,
      data: Record<string, unknown>,
    ) => {
      const event = {
        id: `k-${(sent += 1)}`,
        source,
        type,
        at: AT,
        key: 'DH-1',
        data,
      };
      problems.push(...exchange(engine, oracle, event, [], true).problems);
    };

    send('crm', 'order.created', {
      revenueStatus: 'proposed',
      lines: [{ line: 1, quantity: 1, unitPrice: 20000 }],
    });
    send('crm', 'order.recorded', {});
    send('act', 'contract.revenueDateMoved', { postingDate: '2026-10-01' });
    send('crm', 'order.cancellationProposed', {
      proposal: 'P-1',
      amount: 5000,
    });
    send('act', 'contract.cancellationApproved', { proposal: 'P-1' });
    send('act', 'contract.revenueDateMoved', { postingDate: '2026-10-01' });
    engine.close();

    expect(problems).toEqual([]);
  });
});
