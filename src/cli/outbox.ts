import type { OutboxEntry } from '../store/store.js';
import {
  CliError,
  noPositionals,
  openEngine,
  parseCommandArgs,
  requireDb,
  type CliCommand,
} from './command.js';
import { jsonShort, layout, tableWidth, type ColumnSpec } from './format.js';

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  deliver: { type: 'string' },
} as const;

const USAGE = `Usage: lienthong outbox --db <path> [options]

Lists the commands waiting to be sent to CRM or ACT, in queue order.

Options:
  --db <path>            The SQLite store a replay kept (required).
  --all                  Include commands already delivered.
  --deliver <seq,seq,…>  Mark these commands delivered, and say how many of
                         them were still pending.
  --json                 One JSON entry per line:
                         {"seq","eventId","command","createdAt","deliveredAt"?};
                         with --deliver, one line {"delivered":n,"given":m}.
  -h, --help             Show this help.
`;

/** `lienthong outbox`: the commands for the other app, and their delivery. */
export const outboxCommand: CliCommand = {
  name: 'outbox',
  summary: 'List pending commands, or mark them delivered',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('outbox', args, OPTIONS);
    noPositionals('outbox', positionals);

    const db = requireDb('outbox', values.db);
    const seqs =
      values.deliver === undefined ? undefined : seqsOf(values.deliver);
    if (seqs && values.all) {
      throw new CliError('outbox: --deliver and --all do not go together');
    }
    const engine = openEngine({ db, mustExist: true });

    try {
      if (seqs) {
        const delivered = engine.outbox.markDelivered(seqs);
        io.out(
          values.json
            ? JSON.stringify({ delivered, given: seqs.length }) + '\n'
            : `Marked ${delivered} ${delivered === 1 ? 'command' : 'commands'} delivered ` +
                `(${delivered} of ${seqs.length} given were pending).\n`,
        );

        return 0;
      }

      const entries = values.all
        ? engine.outbox.all()
        : engine.outbox.pending();
      if (values.json) {
        for (const entry of entries) io.out(JSON.stringify(entry) + '\n');

        return 0;
      }
      if (entries.length === 0) {
        io.out(
          values.all ? 'The outbox is empty.\n' : 'No pending commands.\n',
        );

        return 0;
      }

      io.out(
        table(entries, values.all === true, tableWidth(io.outColumns)) + '\n',
      );

      return 0;
    } finally {
      engine.close();
    }
  },
};

/** Reads `--deliver 3,4,7` into sequence numbers. */
function seqsOf(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  const bad = parts.find(
    (part) => !/^[0-9]+$/.test(part) || !(Number(part) >= 1),
  );
  if (bad !== undefined) {
    throw new CliError(
      `outbox: --deliver takes sequence numbers like 3,4,7; '${bad}' is not one`,
    );
  }

  return [...new Set(parts.map(Number))];
}

function table(entries: OutboxEntry[], all: boolean, width: number): string {
  const specs: ColumnSpec[] = [
    { header: 'Seq', align: 'right' },
    { header: 'Event', max: 14 },
    { header: 'Rule' },
    { header: 'Target' },
    { header: 'Type', max: 30 },
    { header: 'Key', max: 14 },
    ...(all ? [{ header: 'Delivered', max: 24 }] : []),
    { header: 'Data' },
  ];
  const rows = entries.map((entry) => [
    String(entry.seq),
    entry.eventId,
    entry.command.rule,
    entry.command.target.toUpperCase(),
    entry.command.type,
    entry.command.key,
    ...(all ? [entry.deliveredAt ?? '—'] : []),
    jsonShort(entry.command.data),
  ]);
  const layoutOf = layout(specs, rows, width);

  return [layoutOf.header(), ...rows.map((row) => layoutOf.row(row))].join(
    '\n',
  );
}
