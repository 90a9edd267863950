import {
  noPositionals,
  openEngine,
  parseCommandArgs,
  requireDb,
  type CliCommand,
} from './command.js';
import { layout, tableWidth, type ColumnSpec } from './format.js';

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const USAGE = `Usage: lienthong conflicts --db <path> [options]

Lists the conflicts a store keeps for people to resolve: events a rule
refused, which changed nothing and sent nothing.

Options:
  --db <path>   The SQLite store a replay kept (required).
  --json        One JSON entry per line: {"seq","eventId","recordId","line"?,
                "rules","error","event","at"}.
  -h, --help    Show this help.
`;

const COLUMNS: readonly ColumnSpec[] = [
  { header: 'Event', max: 14 },
  { header: 'Line', align: 'right' },
  { header: 'Record', max: 24 },
  { header: 'Rules', max: 16 },
  { header: 'Code', max: 24 },
  { header: 'Message' },
];

/** `lienthong conflicts`: what the rules refused and why. */
export const conflictsCommand: CliCommand = {
  name: 'conflicts',
  summary: 'List the conflicts kept for people to resolve',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      'conflicts',
      args,
      OPTIONS,
    );
    noPositionals('conflicts', positionals);

    const db = requireDb('conflicts', values.db);
    const engine = openEngine({ db, mustExist: true });

    try {
      const conflicts = engine.conflicts();
      if (values.json) {
        for (const entry of conflicts) io.out(JSON.stringify(entry) + '\n');

        return 0;
      }
      if (conflicts.length === 0) {
        io.out('No conflicts.\n');

        return 0;
      }

      const rows = conflicts.map((entry) => [
        entry.eventId,
        entry.line === undefined ? '' : String(entry.line),
        entry.recordId,
        entry.rules.join(', '),
        entry.error.code,
        entry.error.message,
      ]);
      const table = layout(COLUMNS, rows, tableWidth(io.outColumns));
      io.out(
        [table.header(), ...rows.map((row) => table.row(row))].join('\n') +
          '\n',
      );

      return 0;
    } finally {
      engine.close();
    }
  },
};
