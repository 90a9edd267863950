import { allGraphs, graphOf } from '../diagram/graph.js';
import { MACHINE_NAMES } from '../diagram/machines.js';
import { toMermaid } from '../diagram/mermaid.js';
import { CliError, parseCommandArgs, type CliCommand } from './command.js';

const OPTIONS = {
  format: { type: 'string' },
} as const;

const USAGE = `Usage: lienthong diagram [machine] [--format mermaid|json]

Prints the statecharts, drawn from the machines themselves: every machine, or
the one named. States carry their Vietnamese labels, transitions the event
types that take them and the rule ids (SYNC-RULES §3) that decide them.

Machines:
  ${MACHINE_NAMES.join(', ')}

Options:
  --format <f>  mermaid (default): a Mermaid stateDiagram-v2 per machine,
                each after a %% comment naming it.
                json: the graph as {name, id, title, initial, nodes, edges};
                an array of them without a machine name.
  -h, --help    Show this help.

Example:
  lienthong diagram invoice > invoice.mmd
`;

/** \`lienthong diagram\`: the statecharts as Mermaid or JSON. */
export const diagramCommand: CliCommand = {
  name: 'diagram',
  summary: 'Print the statecharts as Mermaid diagrams or JSON graphs',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('diagram', args, OPTIONS);
    if (positionals.length > 1) {
      throw new CliError(`diagram: unexpected argument '${positionals[1]}'`);
    }

    const format = values.format ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'json') {
      throw new CliError(
        `diagram: unknown --format '${format}': use mermaid or json`,
      );
    }

    const name = positionals[0];
    const graphs = name === undefined ? allGraphs() : [graphOf(name)];
    if (graphs[0] === undefined) {
      throw new CliError(
        `diagram: unknown machine '${name}': use one of ${MACHINE_NAMES.join(', ')}`,
      );
    }

    const chosen = graphs.filter((graph) => graph !== undefined);
    if (format === 'json') {
      const value = name === undefined ? chosen : chosen[0];
      io.out(`${JSON.stringify(value, null, 2)}\n`);

      return 0;
    }

    io.out(
      chosen
        .map((graph) => `%% ${graph.name}: ${graph.title}\n${toMermaid(graph)}`)
        .join('\n'),
    );

    return 0;
  },
};
