import { orderRegions } from '../engine/models.js';
import { createEngine, type RecordView } from '../engine/engine.js';
import type { RecordKind, Store } from '../store/store.js';
import type { OrderTarget } from '../types.js';
import {
  CliError,
  noPositionals,
  openStore,
  orderTargetOf,
  parseCommandArgs,
  requireDb,
  type CliCommand,
} from './command.js';
import { fieldWidth, statusBlock } from './format.js';

const OPTIONS = {
  db: { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const USAGE = `Usage: lienthong state --db <path> [options]

Lists every record of a store with the code and label of each status field;
an order lists its invoices and revenue cancellations under it.

Options:
  --db <path>     The SQLite store a replay kept (required).
  --target <t>    salesOrder or contract; by default read from the store's
                  orders (salesOrder when it has none).
  --json          One JSON record per line:
                  {"id","kind","key","parent"?,"statuses","labels"}.
  -h, --help      Show this help.
`;

/** Kinds listed after the orders, in this order. */
const OTHER_KINDS: readonly RecordKind[] = [
  'customer',
  'contact',
  'product',
  'quote',
];

/** `lienthong state`: what a store holds, record by record. */
export const stateCommand: CliCommand = {
  name: 'state',
  summary: 'List the records of a store with their statuses',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('state', args, OPTIONS);
    noPositionals('state', positionals);

    const db = requireDb('state', values.db);
    const wanted =
      values.target === undefined ? undefined : orderTargetOf(values.target);
    const store = openStore(db, true);
    const found =
      (store.getMeta('orderTarget') as OrderTarget | undefined) ??
      storedTarget(store);
    const orderTarget = wanted ?? found ?? 'salesOrder';
    if (found !== undefined && orderTarget !== found) {
      store.close();

      throw new CliError(
        `state: the orders in ${db} are kept as ${found}, not ${orderTarget}`,
      );
    }
    const engine = createEngine({ store, orderTarget });

    try {
      const ordered = inDisplayOrder(engine.records());
      if (values.json) {
        for (const { view } of ordered)
          io.out(JSON.stringify(jsonOf(view)) + '\n');

        return 0;
      }
      if (ordered.length === 0) {
        io.out('The store holds no records.\n');

        return 0;
      }

      const title = Math.max(
        ...ordered.map(({ view, depth }) => view.id.length + depth * 2),
      );
      const field = fieldWidth(ordered.map(({ view }) => view.statuses));
      const lines: string[] = [];
      for (const { view, depth } of ordered) {
        if (depth === 0 && view.kind === 'order' && lines.length > 0) {
          lines.push('');
        }
        const indent = '  '.repeat(depth);
        lines.push(
          ...statusBlock(view.id, view.statuses, view.labels, {
            title: title - indent.length,
            field,
            indent,
          }),
        );
      }
      io.out(lines.join('\n') + '\n');

      return 0;
    } finally {
      engine.close();
    }
  },
};

/** Orders, each followed by its invoices and cancellations, then the rest. */
function inDisplayOrder(records: RecordView[]) {
  const ids = new Set(records.map((record) => record.id));
  const children = new Map<string, RecordView[]>();
  for (const record of records) {
    if (!record.parent || !ids.has(record.parent)) continue;

    const list = children.get(record.parent) ?? [];
    list.push(record);
    children.set(record.parent, list);
  }
  const byKind = (kind: RecordKind) =>
    records.filter(
      (record) =>
        record.kind === kind && !(record.parent && ids.has(record.parent)),
    );

  const out: { view: RecordView; depth: number }[] = [];
  for (const order of byKind('order')) {
    out.push({ view: order, depth: 0 });
    const under = children.get(order.id) ?? [];
    for (const kind of ['invoice', 'cancellation'] as const) {
      for (const child of under.filter((record) => record.kind === kind)) {
        out.push({ view: child, depth: 1 });
      }
    }
  }
  // Invoices or cancellations whose order the store never saw stand alone.
  for (const kind of ['invoice', 'cancellation', ...OTHER_KINDS] as const) {
    for (const view of byKind(kind)) out.push({ view, depth: 0 });
  }

  return out;
}

function jsonOf(view: RecordView) {
  return {
    id: view.id,
    kind: view.kind,
    key: view.key,
    ...(view.parent ? { parent: view.parent } : {}),
    statuses: view.statuses,
    labels: view.labels,
  };
}

/**
 * The order target a store was filled with, read from the shape of an order:
 * only Sales Orders have a delivery status (§2); undefined when it has no
 * order.
 */
function storedTarget(store: Store): OrderTarget | undefined {
  for (const record of store.listRecords({ kind: 'order' })) {
    const regions = orderRegions({
      value: record.snapshot.value,
      context: record.snapshot.context,
    });
    if (regions) return 'delivery' in regions ? 'salesOrder' : 'contract';
  }

  return undefined;
}
