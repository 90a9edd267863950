import fs from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { machinesMarkdown } from '../src/diagram/docs.js';
import {
  allGraphs,
  graphOf,
  type DiagramEdge,
  type MachineGraph,
} from '../src/diagram/graph.js';
import { MACHINE_NAMES } from '../src/diagram/machines.js';
import { toMermaid } from '../src/diagram/mermaid.js';
import { RULE_IDS } from '../src/rules/catalogue.js';
import { main } from '../src/cli/main.js';
import { ROOT } from './support/cli.js';

const DOCS = `${ROOT}docs/machines.md`;
const SPEC = new URL('../../shared/spec/SYNC-RULES.md', import.meta.url);

/** Runs the command line in this process, as `bin/lienthong.js` would. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdin: Readable.from([]),
    errIsTTY: false,
  });

  return { code, stdout, stderr };
}

/** The rule ids of SYNC-RULES §3, read from the spec's tables. */
function specRuleIds(): string[] {
  if (!fs.existsSync(SPEC)) return [...RULE_IDS];

  const text = fs.readFileSync(SPEC, 'utf8');
  const ids = [
    ...text.matchAll(/^\| ((?:CUS|PRD|QUO|SO|CT|INV)-[CA]\d+) \|/gm),
  ];

  return ids.map((match) => match[1]!);
}

function graph(name: string): MachineGraph {
  const found = graphOf(name);
  if (!found) throw new Error(`no machine ${name}`);

  return found;
}

/** `from → to` by state key, for the edges a rule decides. */
function moves(name: string, rule: string, event?: string): string[] {
  const key = (id: string) => id.split('.').at(-1)!;
  const decided = (edge: DiagramEdge) =>
    edge.rules.includes(rule) &&
    (event === undefined || edge.events.includes(event));

  return [
    ...new Set(
      graph(name)
        .edges.filter(decided)
        .map((edge) => `${key(edge.from)} → ${key(edge.to)}`),
    ),
  ].sort();
}

describe('docs/machines.md', () => {
  it('matches the machines (run `npm run docs` when this fails)', () => {
    const written = fs.existsSync(DOCS) ? fs.readFileSync(DOCS, 'utf8') : '';

    expect(written).toBe(machinesMarkdown());
  });

  it('holds one Mermaid diagram per machine', () => {
    const text = machinesMarkdown();

    for (const name of MACHINE_NAMES) {
      expect(text).toContain(`## ${name}\n`);
    }
    expect(text.match(/```mermaid\nstateDiagram-v2\n/g)).toHaveLength(
      MACHINE_NAMES.length,
    );
  });
});

describe('machineGraph', () => {
  it('names every §3 rule on at least one transition', () => {
    const ids = specRuleIds();
    const drawn = new Set(
      allGraphs().flatMap((g) => g.edges.flatMap((edge) => edge.rules)),
    );

    expect(ids.length).toBeGreaterThan(45);
    expect(ids.filter((id) => !drawn.has(id))).toEqual([]);
  });

  it('names only rules §3 defines', () => {
    const ids = new Set(specRuleIds());
    const drawn = allGraphs().flatMap((g) =>
      g.edges.flatMap((edge) => edge.rules),
    );

    expect(drawn.filter((id) => !ids.has(id))).toEqual([]);
  });

  it('labels every status state with its §2 Vietnamese label and code', () => {
    const unlabelled = allGraphs().flatMap((g) =>
      g.nodes
        .filter((node) => node.type === 'atomic')
        .filter((node) => !/ \([A-Za-z]+\)$/.test(node.label))
        .map((node) => `${g.name}:${node.id}`),
    );

    expect(unlabelled).toEqual([]);
    expect(graph('salesOrder').nodes.map((node) => node.label)).toEqual(
      expect.arrayContaining([
        'Chưa có (absent)',
        'Đề nghị ghi (proposed)',
        'Đã ghi doanh số (recorded)',
        'Thanh toán một phần (partiallyPaid)',
        'Đã hoàn thành (completed)',
      ]),
    );
    expect(graph('invoice').nodes.map((node) => node.label)).toContain(
      'Từ chối xuất hóa đơn (issuanceRejected)',
    );
  });

  it('draws SO-C4 from draft and rejected to proposed', () => {
    expect(moves('salesOrder', 'SO-C4', 'order.proposed')).toEqual([
      'draft → proposed',
      'rejected → proposed',
    ]);
  });

  it('draws SO-C5 record from proposed and reject from proposed or recorded', () => {
    expect(moves('salesOrder', 'SO-C5', 'order.recorded')).toEqual([
      'proposed → recorded',
    ]);
    expect(moves('salesOrder', 'SO-C5', 'order.rejected')).toEqual([
      'proposed → rejected',
      'recorded → rejected',
    ]);
  });

  it('draws SO-C6 only from proposed back to draft', () => {
    expect(moves('salesOrder', 'SO-C6')).toEqual(['proposed → draft']);
  });

  it('draws SO-A1 record from proposed or a CRM-recorded order, unrecord to proposed', () => {
    expect(moves('salesOrder', 'SO-A1', 'salesOrder.revenueRecorded')).toEqual([
      'proposed → recorded',
      'recorded → recorded',
    ]);
    expect(
      moves('salesOrder', 'SO-A1', 'salesOrder.revenueUnrecorded'),
    ).toEqual(['recorded → proposed']);
  });

  it('draws CT-A3 record, reject and unrecord from their §3 states', () => {
    expect(moves('contract', 'CT-A3', 'contract.revenueRejected')).toEqual([
      'proposed → rejected',
      'recorded → rejected',
    ]);
    expect(moves('contract', 'CT-A3', 'contract.revenueUnrecorded')).toEqual([
      'recorded → proposed',
    ]);
    expect(moves('contract', 'CT-A4')).toEqual(['recorded → recorded']);
  });

  it('draws the invoice rules from their §3 From states', () => {
    expect(moves('invoice', 'INV-C3', 'invoice.proposed')).toEqual([
      'draft → proposed',
      'issuanceRejected → proposed',
      'rejected → proposed',
    ]);
    expect(moves('invoice', 'INV-C4')).toEqual(['proposed → draft']);
    expect(moves('invoice', 'INV-A1')).toEqual(['proposed → approved']);
    expect(moves('invoice', 'INV-A2')).toEqual(['proposed → rejected']);
    expect(moves('invoice', 'INV-A3')).toEqual([
      'approved → issued',
      'proposed → issued',
    ]);
    expect(moves('invoice', 'INV-A4')).toEqual([
      'approved → issuanceRejected',
      'proposed → issuanceRejected',
    ]);
    expect(moves('invoice', 'INV-A5')).toEqual(['issued → cancelled']);
  });

  it('draws CT-A8 out of proposed only on a Contract connection', () => {
    expect(moves('contractCancellation', 'CT-A8')).toEqual([
      'proposed → approved',
      'proposed → rejected',
    ]);
    expect(moves('salesOrderCancellation', 'SO-C7')).toEqual([
      'absent → proposed',
    ]);
    expect(
      graph('salesOrderCancellation').edges.filter((edge) =>
        edge.from.endsWith('proposed'),
      ),
    ).toEqual([]);
  });

  it('draws no CUS-A1 out of crmOnly (a duplicate code is a conflict)', () => {
    expect(moves('customer', 'CUS-A1', 'customer.created')).toEqual([
      'absent → linked',
      'actOnly → linked',
      'linked → linked',
    ]);
    expect(moves('customer', 'CUS-A6')).toEqual([
      'absent → linked',
      'actOnly → linked',
      'crmOnly → linked',
      'linked → linked',
    ]);
  });

  it('gives a contract order no delivery region (§2)', () => {
    const regions = (name: string) =>
      graph(name)
        .nodes.filter((node) => node.parent === 'active')
        .map((node) => node.key);

    expect(regions('salesOrder')).toEqual([
      'revenue',
      'status',
      'delivery',
      'payment',
    ]);
    expect(regions('contract')).toEqual(['revenue', 'status', 'payment']);
  });
});

describe('toMermaid', () => {
  it('writes parallel regions as concurrent composite states', () => {
    const text = toMermaid(graph('salesOrder'));
    const active = text.slice(text.indexOf('  state active {'));

    expect(text.startsWith('stateDiagram-v2\n  [*] --> absent\n')).toBe(true);
    expect(active).toMatch(
      /state revenue \{[^]*\n {4}--\n {4}state status \{[^]*\n {4}--\n {4}state delivery \{[^]*\n {4}--\n {4}state payment \{/,
    );
    expect(text).toContain('      [*] --> draft\n');
  });

  it('labels states with their Vietnamese names and codes', () => {
    const text = toMermaid(graph('salesOrder'));

    expect(text).toContain('proposed : Đề nghị ghi (proposed)\n');
    expect(text).toContain('recorded : Đã ghi doanh số (recorded)\n');
  });

  it('labels transitions with event types and rules (SO-C4)', () => {
    const text = toMermaid(graph('salesOrder'));

    expect(text).toMatch(
      /draft --> proposed : [^\n]*order\.proposed \[SO-C4\]/,
    );
    expect(text).toContain(
      'absent --> active : order.created [SO-C1] → active.revenue.proposed',
    );
  });

  it('puts every edge label of the graph in the diagram', () => {
    for (const g of allGraphs()) {
      const text = toMermaid(g);

      for (const edge of g.edges) {
        expect(text).toContain(edge.label);
      }
    }
  });
});

describe('lienthong diagram', () => {
  it('prints every machine as Mermaid by default', async () => {
    const printed = await run(['diagram']);

    expect(printed.code).toBe(0);
    expect(printed.stdout.match(/^stateDiagram-v2$/gm)).toHaveLength(
      MACHINE_NAMES.length,
    );
    expect(printed.stdout).toContain('%% invoice: ');
  });

  it('prints one machine as a JSON graph with the Mermaid labels', async () => {
    const json = await run(['diagram', 'invoice', '--format', 'json']);
    const printed = JSON.parse(json.stdout) as MachineGraph;

    expect(json.code).toBe(0);
    expect(printed.name).toBe('invoice');
    expect(printed.nodes.map((node) => node.label)).toContain(
      'Đã xuất (issued)',
    );
    expect(printed.edges).toContainEqual(
      expect.objectContaining({
        from: 'issued',
        to: 'cancelled',
        events: ['invoice.cancelled'],
        rules: ['INV-A5'],
        label: 'invoice.cancelled [INV-A5]',
      }),
    );
  });

  it('refuses an unknown machine or format with exit code 2', async () => {
    const machine = await run(['diagram', 'order']);
    const format = await run(['diagram', 'quote', '--format', 'svg']);

    expect(machine.code).toBe(2);
    expect(machine.stderr).toContain("unknown machine 'order'");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("unknown --format 'svg'");
  });
});
