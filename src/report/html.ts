import { createHash } from 'node:crypto';
import { graphOf, type MachineGraph } from '../diagram/graph.js';
import { RULES } from '../rules/catalogue.js';
import { ABSENT_LABEL, statusLabel } from '../rules/labels.js';
import { OUTCOMES, type Command, type Outcome } from '../types.js';
import type { ReportData, ReportEntry, ReportRecord } from './collect.js';
import { empty, escapeHtml as e, tag } from './escape.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page.js';
import { ARROW_DEFS, machineSvg } from './svg.js';

/** How {@link renderReport} draws the page. */
export interface RenderOptions {
  /**
   * The replay's counts (§6), each line once by its last outcome. Default:
   * the results counted, a parked line handled again counting twice.
   */
  summary?: { events: number } & Record<Outcome, number>;
  /** Records beyond this many start folded. Default 20. */
  openUpTo?: number;
}

/**
 * Lower case without diacritics, so that `da ghi` finds `Đã ghi`: the same
 * folding the page's filter applies to what people type.
 *
 * @example
 * searchText('Đã ghi doanh số'); // 'da ghi doanh so'
 */
export function searchText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

const div = (className: string, content: string) =>
  tag('div', { class: className }, content);
const span = (className: string, content: string) =>
  tag('span', { class: className }, content);

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function statusText(field: string, code: string | null): string {
  if (code === null) return ABSENT_LABEL;

  return `${statusLabel(field, code)} (${code})`;
}

/** A JSON value in a few characters, for a table cell. */
function brief(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);

    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  }
  if (Array.isArray(value)) return `[${value.length}]`;

  return '{…}';
}

function anchor(recordId: string): string {
  return `r-${recordId}`;
}

function link(recordId: string): string {
  return tag('a', { href: `#${anchor(recordId)}` }, e(recordId));
}

/** Escaped text that may break after each dot (long event types). */
function breakable(text: string): string {
  return text
    .split('.')
    .map((part) => e(part))
    .join('.<wbr>');
}

function commandCell(command: Command): string {
  const fields = Object.entries(command.data);
  const shown = fields
    .slice(0, 4)
    .map(([name, value]) => `${name}=${brief(value)}`);
  if (fields.length > 4) shown.push(`+${fields.length - 4}`);
  const target = e(command.target.toUpperCase());
  const head = `→ ${target} ${tag('b', {}, breakable(command.type))}`;
  const data = shown.length > 0 ? div('cmd-data', e(shown.join(', '))) : '';

  return tag(
    'div',
    { class: 'cmd', title: JSON.stringify(command.data, null, 2) },
    head + data,
  );
}

function rulesCell(rules: readonly string[]): string {
  return rules
    .map((id) => {
      const rule = RULES.get(id);
      const title = rule ? `${rule.action}: ${rule.effect}` : id;
      const name = rule ? ` ${e(rule.actionVi)}` : '';

      return div('rule', tag('span', { class: 'rid', title }, e(id)) + name);
    })
    .join('');
}

function notesCell(entry: ReportEntry, recordId: string | null): string {
  const own = entry.records.find((record) => record.id === recordId);
  const parts = (own?.changes ?? []).map((change) =>
    div(
      'chg',
      `${span('fld', e(change.field))} ` +
        `${e(statusText(change.field, change.before))} → ` +
        tag('b', {}, e(statusText(change.field, change.after))),
    ),
  );
  const others = entry.records.filter((record) => record.id !== recordId);
  if (others.length > 0) {
    parts.push(
      div('also', `also ${others.map((other) => link(other.id)).join(', ')}`),
    );
  }
  for (const notice of entry.notices) {
    const amount = notice.amount !== undefined ? ` (${e(notice.amount)})` : '';
    parts.push(
      div(
        'note',
        `⚠ ${tag('b', {}, e(notice.code))}: ${e(notice.message)}${amount}`,
      ),
    );
  }
  if (entry.error) {
    const { code, message, field } = entry.error;
    const at = field ? ` (at ${tag('code', {}, e(field))})` : '';
    parts.push(div('err', `✖ ${tag('b', {}, e(code))}: ${e(message)}${at}`));
  }

  return parts.join('');
}

function entryRow(entry: ReportEntry, recordId: string | null): string {
  const id = entry.event ?? '—';
  const cells = [
    tag('td', { class: 'num' }, String(entry.line ?? '')),
    tag('td', { class: id.length > 16 ? 'ev long' : 'ev' }, e(id)),
    tag('td', { class: 'app' }, e(entry.source?.toUpperCase() ?? '')),
    tag('td', { class: 'ty' }, breakable(entry.type ?? '')),
    tag('td', {}, span('out', e(entry.outcome))),
    tag('td', {}, rulesCell(entry.rules)),
    tag(
      'td',
      {},
      entry.commands.map(commandCell).join('') || span('none', '—'),
    ),
    tag('td', {}, notesCell(entry, recordId)),
  ];

  return tag('tr', { class: `o-${entry.outcome}` }, cells.join(''));
}

const HEAD = tag(
  'thead',
  {},
  tag(
    'tr',
    {},
    [
      'Line',
      'Event',
      'App',
      'Type',
      'Outcome',
      'Rules',
      'Command',
      'Status changes, notices, errors',
    ]
      .map((name) => tag('th', {}, name))
      .join(''),
  ),
);

function timeline(entries: ReportEntry[], recordId: string | null): string {
  const rows = entries.map((entry) => entryRow(entry, recordId)).join('');

  return div('timeline', tag('table', {}, HEAD + tag('tbody', {}, rows)));
}

/** What the filter box matches a record against, folded. */
function searchOf(record: ReportRecord, entries: ReportEntry[]): string {
  return searchText(
    [
      record.id,
      record.kind,
      ...Object.entries(record.statuses).flatMap(([field, code]) => [
        code,
        record.labels[field] ?? '',
      ]),
      ...entries.flatMap((entry) => [
        entry.event ?? '',
        entry.type ?? '',
        entry.outcome,
        ...entry.rules,
        entry.error?.code ?? '',
      ]),
    ].join(' '),
  );
}

function recordSection(
  record: ReportRecord,
  data: ReportData,
  open: boolean,
): string {
  const entries = record.entries.map((index) => data.entries[index]!);
  const problems = OUTCOMES.filter(
    (outcome) =>
      outcome !== 'applied' &&
      entries.some((entry) => entry.outcome === outcome),
  );
  const chips =
    Object.entries(record.statuses)
      .map(([field, code]) =>
        tag(
          'span',
          { class: 'chip', title: `${field}: ${code}` },
          `${span('fld', e(field))} ` +
            e(record.labels[field] ?? statusLabel(field, code)),
        ),
      )
      .join('') || span('chip', e(ABSENT_LABEL));
  const parent = record.parent
    ? ` ${span('parent', `of ${link(record.parent)}`)}`
    : '';
  const summary = tag(
    'summary',
    {},
    span('name', e(record.id)) +
      parent +
      span('chips', chips) +
      span('count', plural(entries.length, 'event')) +
      problems.map((outcome) => span(`flag o-${outcome}`, e(outcome))).join(''),
  );
  const body = div(
    'body',
    timeline(entries, record.id) +
      tag('figure', {
        class: 'diagram',
        'aria-label': `${record.machine} statechart`,
      }),
  );

  return tag(
    'details',
    {
      class: 'rec',
      id: anchor(record.id),
      'data-machine': record.machine,
      'data-states': record.states.join(' '),
      'data-visited': record.visited.join(' '),
      'data-search': searchOf(record, entries),
      open,
    },
    // A folded record keeps its body in an inert template until unfolded,
    // so that a page of thousands of records loads and filters quickly.
    summary + (open ? body : tag('template', { class: 'later' }, body)),
  );
}

function countsOf(data: ReportData, options: RenderOptions) {
  if (options.summary) return options.summary;

  const counts = { events: data.entries.length } as {
    events: number;
  } & Record<Outcome, number>;
  for (const outcome of OUTCOMES) counts[outcome] = 0;
  for (const entry of data.entries) counts[entry.outcome] += 1;

  return counts;
}

function header(data: ReportData, options: RenderOptions): string {
  const counts = countsOf(data, options);
  const total = data.records.length;
  const countList = OUTCOMES.map((outcome) =>
    tag(
      'li',
      { class: `o-${outcome}` },
      `${span('out', e(outcome))} ${counts[outcome]}`,
    ),
  ).join('');
  const meta =
    `Order target ${tag('b', {}, e(data.orderTarget))} · ` +
    `${plural(counts.events, 'event')} · ${plural(total, 'record')}`;
  const tools = [
    empty('input', {
      id: 'filter',
      type: 'search',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder:
        'Filter records: code, status, rule, event, outcome ' +
        '(DH-0001, đã ghi, SO-C4, conflict)',
      'aria-label': 'Filter records',
    }),
    tag(
      'span',
      { id: 'shown', 'aria-live': 'polite' },
      `${total} / ${total} records`,
    ),
    tag('button', { type: 'button', id: 'open-all' }, 'Unfold shown'),
    tag('button', { type: 'button', id: 'close-all' }, 'Fold all'),
  ];

  return tag(
    'header',
    {},
    tag('h1', {}, `lienthong replay ${span('file', e(data.title))}`) +
      tag('p', { class: 'meta' }, meta) +
      tag('ul', { class: 'counts' }, countList) +
      div('tools', tools.join('\n')),
  );
}

/**
 * Renders a replay as one self-contained HTML page: per record, its
 * timeline of events beside its statechart with the current states lit,
 * foldable, with a filter box. Inline CSS and script only; a
 * Content-Security-Policy forbids loading anything and runs only the page's
 * own script, and every text from the events is escaped.
 *
 * @example
 * const data = recorder.build(engine, 'log.jsonl');
 * fs.writeFileSync('report.html', renderReport(data));
 */
export function renderReport(
  data: ReportData,
  options: RenderOptions = {},
): string {
  const open = data.records.length <= (options.openUpTo ?? 20);
  const machines = [...new Set(data.records.map((record) => record.machine))]
    .map((name) => graphOf(name))
    .filter((graph): graph is MachineGraph => graph !== undefined);
  const templates = machines
    .map((graph) =>
      tag('template', { id: `m-${graph.name}` }, machineSvg(graph)),
    )
    .join('');
  const records =
    data.records
      .map((record) => recordSection(record, data, open))
      .join('\n') || tag('p', { class: 'empty' }, 'No event touched a record.');
  const unattached = data.unattached.map((index) => data.entries[index]!);
  const other =
    unattached.length === 0
      ? ''
      : tag(
          'section',
          { class: 'other' },
          tag('h2', {}, 'Events that touched no record') +
            timeline(unattached, null),
        );
  const hash = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
  const policy = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${hash}'`,
    'img-src data:',
  ].join('; ');

  return [
    '<!DOCTYPE html>',
    '<html lang="vi">',
    '<head>',
    '<meta charset="utf-8">',
    empty('meta', { 'http-equiv': 'Content-Security-Policy', content: policy }),
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    tag('title', {}, `lienthong replay: ${e(data.title)}`),
    tag('style', {}, PAGE_STYLE),
    '</head>',
    '<body>',
    header(data, options),
    tag('main', {}, tag('section', { id: 'records' }, records) + other),
    ARROW_DEFS,
    templates,
    tag('script', {}, PAGE_SCRIPT),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
