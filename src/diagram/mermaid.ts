import { placeEdge, type DiagramNode, type MachineGraph } from './graph.js';

/**
 * Mermaid ids for every node: the state's own name when no other state of
 * the machine shares it, else its path with underscores.
 */
function mermaidIds(graph: MachineGraph): Map<string, string> {
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    counts.set(node.key, (counts.get(node.key) ?? 0) + 1);
  }

  return new Map(
    graph.nodes.map((node) => [
      node.id,
      counts.get(node.key) === 1 ? node.key : node.id.replaceAll('.', '_'),
    ]),
  );
}

/** Keeps text inside a Mermaid label: no line breaks, no statement marks. */
function labelText(text: string): string {
  return text
    .replace(/[\r\n;]+/g, ' ')
    .replaceAll('"', "'")
    .replaceAll('<', '‹')
    .replaceAll('>', '›');
}

/**
 * Writes a machine graph as a Mermaid `stateDiagram-v2`: states labelled
 * with their Vietnamese names, parallel regions as concurrent composite
 * states, each transition labelled with its events and rules.
 *
 * @example
 * toMermaid(graphOf('quote')!);
 * // stateDiagram-v2\n  [*] --> absent\n  absent : Chưa có (absent) …
 */
export function toMermaid(graph: MachineGraph): string {
  const ids = mermaidIds(graph);
  const children = new Map<string | null, DiagramNode[]>();
  for (const node of graph.nodes) {
    const list = children.get(node.parent) ?? [];
    list.push(node);
    children.set(node.parent, list);
  }

  // One arrow per pair of shown states, one label line per edge, so that a
  // state with many self-transitions stays narrow.
  const arrows = new Map<
    string,
    { container: string | null; lines: string[] }
  >();
  for (const edge of graph.edges) {
    const placed = placeEdge(edge);
    const key = `${ids.get(placed.from)} --> ${ids.get(placed.to)}`;
    const arrow = arrows.get(key) ?? { container: placed.container, lines: [] };
    arrow.lines.push(labelText(placed.label));
    arrows.set(key, arrow);
  }
  const edgesIn = new Map<string | null, string[]>();
  for (const [key, arrow] of arrows) {
    const list = edgesIn.get(arrow.container) ?? [];
    list.push(`${key} : ${arrow.lines.join('<br/>')}`);
    edgesIn.set(arrow.container, list);
  }

  const lines = ['stateDiagram-v2'];
  const write = (container: DiagramNode | null, indent: string) => {
    const kids = children.get(container?.id ?? null) ?? [];
    const initial = container === null ? graph.initial : undefined;
    for (const [index, node] of kids.entries()) {
      if (container?.type === 'parallel' && index > 0) {
        lines.push(`${indent}--`);
      }

      const id = ids.get(node.id)!;
      if (node.initial || node.id === initial) {
        lines.push(`${indent}[*] --> ${id}`);
      }
      if (node.type === 'compound' || node.type === 'parallel') {
        lines.push(`${indent}state ${id} {`);
        write(node, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${id} : ${labelText(node.label)}`);
      }
    }
    for (const line of edgesIn.get(container?.id ?? null) ?? []) {
      lines.push(`${indent}${line}`);
    }
  };
  write(null, '  ');

  return `${lines.join('\n')}\n`;
}
