import {
  placeEdge,
  type DiagramEdge,
  type DiagramNode,
  type MachineGraph,
} from '../diagram/graph.js';
import { empty, escapeHtml, tag } from './escape.js';

/**
 * The arrowhead every diagram refers to; a page includes it once, so that
 * diagrams cloned many times share one definition.
 */
export const ARROW_DEFS =
  '<svg width="0" height="0" aria-hidden="true" style="position:absolute">' +
  '<defs><marker id="lt-arrow" viewBox="0 0 10 10" refX="9" refY="5" ' +
  'markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
  '<path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs></svg>';

const ARROW = 'url(#lt-arrow)';
const FONT = 12;
const SMALL = 10.5;
const LINE = 14;
const PAD = 10;
const GAP = 34;
const HEADER = 22;
const ARC_GAP = 12;
const LABEL_LINE = 12;

/** A rough width of text in the page's sans-serif font. */
function textWidth(text: string, size = FONT): number {
  return Math.ceil(text.length * size * 0.58);
}

/** Splits a list into lines of at most `max` characters. */
function wrapList(items: readonly string[], max: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const item of items) {
    const next = current === '' ? item : `${current}, ${item}`;
    if (current !== '' && next.length > max) {
      lines.push(current);
      current = item;
    } else {
      current = next;
    }
  }
  if (current !== '') lines.push(current);

  return lines;
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function text(className: string, x: number, y: number, content: string) {
  return tag(
    'text',
    { class: className, x: fmt(x), y: fmt(y) },
    escapeHtml(content),
  );
}

function rect(x: number, y: number, w: number, h: number, rx: number) {
  return empty('rect', {
    x: fmt(x),
    y: fmt(y),
    width: fmt(w),
    height: fmt(h),
    rx,
  });
}

function title(lines: readonly string[]): string {
  return tag('title', {}, escapeHtml(lines.join('\n')));
}

/** A laid-out piece: its size, and how to draw it at a position. */
interface Box {
  w: number;
  h: number;
  draw(x: number, y: number): string;
}

/** Where a box was drawn. */
interface Place {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Edges between two children of one container, merged. */
interface Link {
  from: number;
  to: number;
  rules: string[];
  titles: string[];
  eventless: boolean;
}

/** Vietnamese name and code of a node, split for two lines. */
function nameLines(node: DiagramNode): [string, string | undefined] {
  const suffix = ` (${node.key})`;
  if (node.label !== node.key && node.label.endsWith(suffix)) {
    return [node.label.slice(0, -suffix.length), node.key];
  }

  return [node.label, undefined];
}

function loopTitles(node: DiagramNode, loops: readonly DiagramEdge[]) {
  return title([node.label, ...loops.map((edge) => `↻ ${edge.label}`)]);
}

function stateBox(node: DiagramNode, loops: DiagramEdge[]): Box {
  const [name, code] = nameLines(node);
  const loopLines = wrapList(
    unique(loops.flatMap((edge) => edge.rules)),
    22,
  ).map((line, index) => (index === 0 ? `↻ ${line}` : line));
  const lines = code ? [name, code] : [name];
  const w = Math.max(
    104,
    textWidth(name, FONT) + 2 * PAD,
    // Codes are set in monospace, a little wider per character.
    (code ?? '').length * 7 + 2 * PAD,
    ...loopLines.map((line) => textWidth(line, SMALL) + 2 * PAD),
  );
  const h = PAD + lines.length * LINE + loopLines.length * LABEL_LINE + 6;

  return {
    w,
    h,
    draw(x, y) {
      const cx = x + w / 2;
      const base = y + PAD + 9;
      const parts = [
        loopTitles(node, loops),
        rect(x, y, w, h, 8),
        text('nm', cx, base, name),
      ];
      if (code) parts.push(text('cd', cx, base + LINE, code));
      const loopTop = base + lines.length * LINE - 2;
      loopLines.forEach((line, index) => {
        parts.push(text('lp', cx, loopTop + index * LABEL_LINE, line));
      });

      return tag('g', { class: 'st', 'data-state': node.id }, parts.join(''));
    },
  };
}

/** Whether every child reaches every other by eventless edges alike. */
function isFollowAll(count: number, links: readonly Link[]): boolean {
  if (count < 3 || links.length !== count * (count - 1)) return false;

  const rules = links[0]!.rules.join(',');

  return links.every(
    (link) => link.eventless && link.rules.join(',') === rules,
  );
}

interface Arc {
  link: Link;
  x1: number;
  x2: number;
  lines: string[];
  /** Distance of the arc's apex from the row's edge. */
  reach: number;
}

/** Stacks arcs so that an arc clears every label it spans. */
function stackArcs(arcs: Arc[]): number {
  const placed: { a: number; b: number; top: number }[] = [];
  let most = 0;
  const span = (arc: Arc) => Math.abs(arc.x2 - arc.x1);
  const sorted = [...arcs].sort((p, q) => span(p) - span(q) || p.x1 - q.x1);
  for (const arc of sorted) {
    const mid = (arc.x1 + arc.x2) / 2;
    const widest = Math.max(...arc.lines.map((line) => textWidth(line, SMALL)));
    const a = Math.min(arc.x1, arc.x2, mid - widest / 2);
    const b = Math.max(arc.x1, arc.x2, mid + widest / 2);
    const below = placed
      .filter((other) => other.a < b && a < other.b)
      .reduce((top, other) => Math.max(top, other.top), 0);
    arc.reach = below + ARC_GAP + 10;
    const top = arc.reach + arc.lines.length * LABEL_LINE;
    placed.push({ a, b, top });
    most = Math.max(most, top);
  }

  return most;
}

function arcPath(from: [number, number], to: [number, number], apex: number) {
  // A cubic with both control points at one height peaks at 3/4 of it.
  const control = (apex - 0.125 * (from[1] + to[1])) / 0.75;
  const point = (x: number, y: number) => `${fmt(x)},${fmt(y)}`;

  return (
    `M${point(...from)} C${point(from[0], control)} ` +
    `${point(to[0], control)} ${point(...to)}`
  );
}

function drawArc(
  arc: Arc,
  from: Place,
  to: Place,
  edgeY: number,
  above: boolean,
  ids: { from: string; to: string },
): string {
  const shift = above ? 8 : -8;
  const x1 = from.x + from.w / 2 + shift;
  const x2 = to.x + to.w / 2 - shift;
  const y1 = above ? from.y : from.y + from.h;
  const y2 = above ? to.y : to.y + to.h;
  const apex = above ? edgeY - arc.reach : edgeY + arc.reach;
  const mid = (x1 + x2) / 2;
  const first = above
    ? apex - 4 - (arc.lines.length - 1) * LABEL_LINE
    : apex + LABEL_LINE;
  const path = empty('path', {
    class: arc.link.eventless ? 'ev' : undefined,
    d: arcPath([x1, y1], [x2, y2], apex),
    'marker-end': ARROW,
  });
  const labels = arc.lines.map((line, index) =>
    text('rl', mid, first + index * LABEL_LINE, line),
  );

  return tag(
    'g',
    { class: 'tr', 'data-from': ids.from, 'data-to': ids.to },
    title(arc.link.titles) + path + labels.join(''),
  );
}

function initialMark(box: Place): string {
  const y = box.y + 12;

  return tag(
    'g',
    { class: 'init' },
    empty('circle', { cx: fmt(box.x - 16), cy: fmt(y), r: 4 }) +
      empty('path', {
        d: `M${fmt(box.x - 12)},${fmt(y)} L${fmt(box.x - 1)},${fmt(y)}`,
        'marker-end': ARROW,
      }),
  );
}

interface Tree {
  graph: MachineGraph;
  children: Map<string | null, DiagramNode[]>;
  /** Placed edges by container id (`null` for the top level). */
  edges: Map<
    string | null,
    { edge: DiagramEdge; from: string; to: string; label: string }[]
  >;
}

/** Self-transitions by state, and the other edges merged by pair. */
function linksOf(tree: Tree, container: DiagramNode | null) {
  const kids = tree.children.get(container?.id ?? null) ?? [];
  const index = new Map(kids.map((kid, i) => [kid.id, i]));
  const loops = new Map<string, DiagramEdge[]>();
  const byPair = new Map<string, Link>();
  for (const placed of tree.edges.get(container?.id ?? null) ?? []) {
    const { edge, from, to, label } = placed;
    if (from === to) {
      loops.set(from, [...(loops.get(from) ?? []), edge]);
      continue;
    }

    const key = `${from}|${to}`;
    const link = byPair.get(key) ?? {
      from: index.get(from)!,
      to: index.get(to)!,
      rules: [],
      titles: [],
      eventless: true,
    };
    link.rules = unique([...link.rules, ...edge.rules]);
    link.titles.push(label);
    link.eventless &&= edge.events.length === 0;
    byPair.set(key, link);
  }

  return { kids, index, loops, links: [...byPair.values()] };
}

/**
 * A container's children in a row, its transitions as arcs: forward ones
 * above, backward ones below. A region where every state follows every
 * other by one rule (a status that mirrors ACT's figures) gets a caption
 * instead of a thicket of arcs.
 */
function rowBox(tree: Tree, container: DiagramNode | null): Box {
  const { kids, index, loops, links } = linksOf(tree, container);
  const followAll = isFollowAll(kids.length, links);
  const initialId =
    container === null
      ? tree.graph.initial
      : kids.find((kid) => kid.initial)?.id;
  const order = orderChildren(kids, links, initialId);
  const boxes = order.map((kid) =>
    childBox(tree, kid, loops.get(kid.id) ?? []),
  );
  const slot = new Map(order.map((kid, i) => [index.get(kid.id)!, i]));

  const xs: number[] = [];
  let x = PAD + 14;
  for (const box of boxes) {
    xs.push(x);
    x += box.w + GAP;
  }
  const centre = (i: number) => xs[i]! + boxes[i]!.w / 2;

  const up: Arc[] = [];
  const down: Arc[] = [];
  for (const link of followAll ? [] : links) {
    const a = slot.get(link.from)!;
    const b = slot.get(link.to)!;
    (a < b ? up : down).push({
      link: { ...link, from: a, to: b },
      x1: centre(a),
      x2: centre(b),
      lines: wrapList(link.rules, 24),
      reach: 0,
    });
  }
  const top = up.length > 0 ? stackArcs(up) + 4 : 6;
  const bottom = down.length > 0 ? stackArcs(down) + 4 : 6;
  const tallest = Math.max(0, ...boxes.map((box) => box.h));

  const own = container ? (loops.get(container.id) ?? []) : [];
  const heading = [
    container?.label ?? '',
    ...(followAll ? [`⇄ any state: ${links[0]!.rules.join(', ')}`] : []),
    ...(own.length > 0
      ? [`↻ ${unique(own.flatMap((edge) => edge.rules)).join(', ')}`]
      : []),
  ].join('   ');
  const headerHeight = container ? HEADER : 0;
  const w = Math.max(x - GAP + PAD, textWidth(heading, SMALL) + 2 * PAD);
  const h = headerHeight + top + tallest + bottom + PAD / 2;

  return {
    w,
    h,
    draw(ox, oy) {
      const rowTop = oy + headerHeight + top;
      const at = boxes.map((box, i) => ({
        x: ox + xs[i]!,
        y: rowTop,
        w: box.w,
        h: box.h,
      }));
      const parts = boxes.map((box, i) => box.draw(at[i]!.x, at[i]!.y));
      const first = order.findIndex((kid) => kid.id === initialId);
      if (first !== -1) parts.push(initialMark(at[first]!));

      for (const [arcs, edgeY, above] of [
        [up, rowTop, true],
        [down, rowTop + tallest, false],
      ] as const) {
        for (const arc of arcs) {
          const ids = {
            from: order[arc.link.from]!.id,
            to: order[arc.link.to]!.id,
          };
          parts.push(
            drawArc(
              arc,
              at[arc.link.from]!,
              at[arc.link.to]!,
              edgeY,
              above,
              ids,
            ),
          );
        }
      }
      if (!container) return parts.join('');

      const frame = tag(
        'g',
        { class: 'box', 'data-state': container.id },
        loopTitles(container, own) +
          rect(ox, oy, w, h, 10) +
          text('hd', ox + PAD, oy + 15, heading),
      );

      return frame + parts.join('');
    },
  };
}

/** Parallel regions, one row each, stacked. */
function parallelBox(tree: Tree, node: DiagramNode, loops: DiagramEdge[]): Box {
  const regions = (tree.children.get(node.id) ?? []).map((region) =>
    rowBox(tree, region),
  );
  const loopRules = unique(loops.flatMap((edge) => edge.rules));
  const heading =
    loopRules.length > 0
      ? `${node.label}   ↻ ${loopRules.join(', ')}`
      : node.label;
  const inner = Math.max(0, ...regions.map((region) => region.w));
  const w = Math.max(inner, textWidth(heading, SMALL)) + 2 * PAD;
  const h = HEADER + regions.reduce((sum, region) => sum + region.h + PAD, 0);

  return {
    w,
    h,
    draw(x, y) {
      let inside = '';
      let top = y + HEADER;
      for (const region of regions) {
        inside += region.draw(x + PAD, top);
        top += region.h + PAD;
      }
      const frame = tag(
        'g',
        { class: 'box par', 'data-state': node.id },
        loopTitles(node, loops) +
          rect(x, y, w, h, 12) +
          text('hd', x + PAD, y + 15, heading),
      );

      return frame + inside;
    },
  };
}

function childBox(tree: Tree, node: DiagramNode, loops: DiagramEdge[]): Box {
  if (node.type === 'parallel') return parallelBox(tree, node, loops);
  if (node.type === 'compound') return rowBox(tree, node);

  return stateBox(node, loops);
}

/** Initial state first, then along the edges, then the rest in order. */
function orderChildren(
  kids: readonly DiagramNode[],
  links: readonly Link[],
  initialId: string | undefined,
): DiagramNode[] {
  const start = kids.findIndex((kid) => kid.id === initialId);
  const seen = new Set<number>();
  const queue = start === -1 ? [] : [start];
  const order: number[] = [];
  while (queue.length > 0) {
    const i = queue.shift()!;
    if (seen.has(i)) continue;

    seen.add(i);
    order.push(i);
    const next = links
      .filter((link) => link.from === i && !seen.has(link.to))
      .map((link) => link.to)
      .sort((a, b) => a - b);
    queue.push(...next);
  }
  kids.forEach((_, i) => {
    if (!seen.has(i)) order.push(i);
  });

  return order.map((i) => kids[i]!);
}

/**
 * Draws a machine graph as inline SVG: each container's states in a row in
 * the order the initial state reaches them, transitions as arcs labelled
 * with their rules (forward above, backward below), self-transitions as a
 * `↻` line inside their state, parallel regions stacked. Every state is a
 * `g.st` or `g.box` with `data-state`, for the page to highlight.
 *
 * @example
 * const svg = machineSvg(graphOf('invoice')!);
 */
export function machineSvg(graph: MachineGraph): string {
  const children = new Map<string | null, DiagramNode[]>();
  for (const node of graph.nodes) {
    children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  }
  const edges: Tree['edges'] = new Map();
  for (const edge of graph.edges) {
    const placed = placeEdge(edge);
    const list = edges.get(placed.container) ?? [];
    list.push({ edge, from: placed.from, to: placed.to, label: placed.label });
    edges.set(placed.container, list);
  }

  const root = rowBox({ graph, children, edges }, null);
  const w = Math.ceil(root.w + 2);
  const h = Math.ceil(root.h + 2);

  return tag(
    'svg',
    {
      class: 'machine',
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${w} ${h}`,
      width: w,
      height: h,
      role: 'img',
      'aria-label': `${graph.name}: ${graph.title}`,
    },
    root.draw(1, 1),
  );
}
