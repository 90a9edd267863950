import type { Command, Result } from '../types.js';

/** The row width the CLI aims at when stdout is not a terminal. */
export const DEFAULT_WIDTH = 120;

/** Separates the status labels of one record. */
export const LABEL_SEPARATOR = ' · ';

/** The width to lay tables out in: the terminal's, within bounds, or 120. */
export function tableWidth(columns: number | undefined): number {
  if (columns === undefined || columns <= 0) return DEFAULT_WIDTH;

  return Math.min(Math.max(columns, 80), 160);
}

/**
 * How many columns a text takes, counted in code points of its NFC form
 * (Vietnamese letters are one precomposed code point each).
 *
 * @example
 * textWidth('Đề nghị ghi'); // 11
 */
export function textWidth(text: string): number {
  return [...text.normalize('NFC')].length;
}

/**
 * Cuts a text to at most `width` columns, ending it with `…` when cut; line
 * breaks become spaces so that a cell stays on its row.
 *
 * @example
 * truncate('Chưa thanh toán', 8); // 'Chưa th…'
 */
export function truncate(text: string, width: number): string {
  const points = [...text.normalize('NFC').replace(/\s*[\r\n]+\s*/g, ' ')];
  if (points.length <= width) return points.join('');
  if (width <= 0) return '';

  return points.slice(0, width - 1).join('') + '…';
}

/** Pads (and cuts) a text to exactly `width` columns. */
export function pad(
  text: string,
  width: number,
  align: 'left' | 'right' = 'left',
): string {
  const cut = truncate(text, width);
  const fill = ' '.repeat(Math.max(0, width - textWidth(cut)));

  return align === 'right' ? fill + cut : cut + fill;
}

/** One column of a {@link Table}. */
export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

/** A fixed layout that formats rows one at a time, so tables can stream. */
export interface Table {
  columns: Column[];
  /** Where the last column starts: continuation lines are indented so. */
  lastStart: number;
  header(): string;
  row(cells: readonly string[]): string;
}

/** The gap between two columns. */
const GAP = '  ';

/**
 * Lays out columns: each gets the width of its widest cell (within its
 * bounds) and the last one takes what is left of `total`.
 *
 * @example
 * const table = layout(['Seq', 'Key'], rows, 120);
 */
export function layout(
  specs: readonly ColumnSpec[],
  rows: readonly (readonly string[])[],
  total: number,
): Table {
  const columns: Column[] = specs.map((spec, index) => {
    const widest = Math.max(
      textWidth(spec.header),
      spec.min ?? 0,
      ...rows.map((row) => textWidth(row[index] ?? '')),
    );

    return {
      header: spec.header,
      width: Math.min(widest, spec.max ?? Infinity),
      ...(spec.align ? { align: spec.align } : {}),
    };
  });
  const last = columns[columns.length - 1];
  const lastStart = columns
    .slice(0, -1)
    .reduce((sum, column) => sum + column.width + GAP.length, 0);
  if (last) last.width = Math.max(total - lastStart, 12);

  const format = (cells: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = cells[index] ?? '';
        if (index === columns.length - 1 && column.align !== 'right') {
          // The last cell is cut but not padded: no trailing blanks.
          return truncate(cell, column.width);
        }

        return pad(cell, column.width, column.align);
      })
      .join(GAP)
      .trimEnd();

  return {
    columns,
    lastStart,
    header: () => format(columns.map((column) => column.header)),
    row: format,
  };
}

/** How a column of {@link layout} is sized. */
export interface ColumnSpec {
  header: string;
  min?: number;
  max?: number;
  align?: 'left' | 'right';
}

/**
 * A command in short, as people read it.
 *
 * @example
 * commandShort(command); // '→ ACT salesOrder.upsert'
 */
export function commandShort(command: Command | undefined): string {
  if (!command) return '—';

  return `→ ${command.target.toUpperCase()} ${command.type}`;
}

/** Why an event changed nothing, in a few words, for a table cell. */
export function reasonText(result: Result): string {
  if (result.outcome === 'duplicate') {
    return 'already handled: nothing done';
  }
  if (result.outcome === 'stale') {
    return 'version not newer than the last applied: nothing done';
  }
  if (!result.error) return '';

  return `${result.error.code}: ${result.error.message}`;
}

/** Column widths shared by the blocks of {@link statusBlock}. */
export interface BlockWidths {
  title: number;
  field: number;
  indent?: string;
}

/**
 * Status fields as aligned `field  code (label)` lines beside a title.
 *
 * @example
 * statusBlock('order:DH-0001', statuses, labels, { title: 18, field: 8 });
 */
export function statusBlock(
  title: string,
  statuses: Record<string, string>,
  labels: Record<string, string>,
  widths: BlockWidths,
): string[] {
  const indent = widths.indent ?? '';
  const fields = Object.keys(statuses);
  if (fields.length === 0) return [`${indent}${title}`];

  const head = pad(title, Math.max(widths.title, textWidth(title)));
  const blank = ' '.repeat(textWidth(head));

  return fields.map((field, index) => {
    const code = statuses[field]!;
    const label = labels[field] ?? code;
    const text = `${pad(field, widths.field)}  ${code} (${label})`;

    return `${indent}${index === 0 ? head : blank}  ${text}`;
  });
}

/** The width of the widest status field name among records. */
export function fieldWidth(records: readonly Record<string, string>[]): number {
  return Math.max(
    0,
    ...records.flatMap((statuses) =>
      Object.keys(statuses).map((field) => field.length),
    ),
  );
}

/** A compact JSON text of a value, for one table cell. */
export function jsonShort(value: unknown): string {
  return JSON.stringify(value) ?? '';
}

/** A piece of {@link wrap} with its own joint to the piece before it. */
export interface Piece {
  text: string;
  /** Put before the text when it shares a line with the piece before. */
  before: string;
}

/** The pieces of {@link wrap} on one line, as text. */
export function joinPieces(
  pieces: readonly (string | Piece)[],
  separator: string,
): string {
  return pieces
    .map((piece, index) => {
      const { text, before } =
        typeof piece === 'string' ? { text: piece, before: separator } : piece;

      return index === 0 ? text : before + text;
    })
    .join('');
}

/**
 * Fills lines of at most `width` columns with pieces joined by `separator`
 * (or a piece's own `before`), breaking only between pieces and ending a
 * broken line with the joint's mark (`·`, `;`); a piece too long for a line
 * is cut with `…`; at most `maxLines` lines, the last marked `…` when more is
 * left.
 *
 * @example
 * wrap(['Đề nghị ghi', 'Chưa giao hàng'], ' · ', 16); // two lines
 */
export function wrap(
  pieces: readonly (string | Piece)[],
  separator: string,
  width: number,
  maxLines = Infinity,
): string[] {
  const lines: string[] = [];
  let current = '';
  for (const piece of pieces) {
    const { text, before } =
      typeof piece === 'string' ? { text: piece, before: separator } : piece;
    if (current === '') {
      current = text;
      continue;
    }

    const joined = current + before + text;
    if (textWidth(joined) <= width) {
      current = joined;
      continue;
    }

    lines.push(current + before.trimEnd());
    current = text;
  }
  if (current !== '' || lines.length === 0) lines.push(current);

  const kept = lines.slice(0, maxLines).map((line) => truncate(line, width));
  if (lines.length > maxLines) {
    const last = kept.length - 1;
    kept[last] = truncate(kept[last]! + ' …', width);
  }

  return kept;
}
