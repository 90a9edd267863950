import { RULE_IDS } from '../rules/catalogue.js';
import { allGraphs, type MachineGraph } from './graph.js';
import { toMermaid } from './mermaid.js';

function rulesOf(graph: MachineGraph): string[] {
  const found = new Set(graph.edges.flatMap((edge) => edge.rules));

  return RULE_IDS.filter((id) => found.has(id));
}

/**
 * The text of `docs/machines.md`: every statechart as a Mermaid diagram,
 * generated from the machines themselves (`npm run docs`).
 *
 * @example
 * fs.writeFileSync('docs/machines.md', machinesMarkdown());
 */
export function machinesMarkdown(): string {
  const graphs = allGraphs();
  const parts = [
    '# Statecharts',
    '',
    '<!-- Generated from machines/*.ts by `npm run docs`; do not edit. -->',
    '',
    'Every machine of lienthong, drawn from its XState definition. A state',
    'shows its Vietnamese label (SYNC-RULES §2) and its code; a transition',
    'shows the event types that take it and the rule ids (§3) that decide it',
    '(`always` marks an eventless transition, taken when the event before it',
    'changed the figures it follows). Parallel regions are concurrent',
    'composite states. Refusals are left out: an event a state does not',
    'accept, or a branch whose check fails, is a `conflict` that changes',
    'nothing (§4). An arrow into a region from outside names its real target',
    'after `→`.',
    '',
    'The same graphs print with `lienthong diagram [machine] [--format',
    'mermaid|json]`, and `lienthong replay <file> --html <out.html>` draws',
    'them beside each record’s history.',
    '',
    '| Machine | What it runs | Rules |',
    '|---|---|---|',
    ...graphs.map((graph) => {
      const anchor = graph.name.toLowerCase();
      const rules = rulesOf(graph).join(', ');

      return `| [${graph.name}](#${anchor}) | ${graph.title} | ${rules} |`;
    }),
    '',
  ];
  for (const graph of graphs) {
    parts.push(
      `## ${graph.name}`,
      '',
      `${graph.title}. XState id \`${graph.id}\`.`,
      '',
      '```mermaid',
      toMermaid(graph).trimEnd(),
      '```',
      '',
    );
  }

  return parts.join('\n');
}
