import type {
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
} from 'xstate';
import {
  ABSENT_LABEL,
  STATUS_LABELS,
  type StatusField,
} from '../rules/labels.js';
import { MACHINES, type MachineEntry, type MachineName } from './machines.js';

/** A state of a machine, labelled as AMIS screens name it. */
export interface DiagramNode {
  /** The state's path joined with dots, e.g. `active.revenue.proposed`. */
  id: string;
  /** The state's own name, e.g. `proposed`. */
  key: string;
  /** The id of the state holding this one, or null at the top. */
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Whether this state is its parent's initial state. */
  initial: boolean;
  /** The status field (§2) this state is a code of, if any. */
  field?: StatusField;
  /** `Đề nghị ghi (proposed)` for a status code; the key otherwise. */
  label: string;
}

/** Transitions between two states decided by the same rules. */
export interface DiagramEdge {
  from: string;
  /** Equal to `from` for a transition that changes no state. */
  to: string;
  /** Event types; empty for an eventless (`always`) transition. */
  events: string[];
  /** The rule ids that decide these transitions (§3). */
  rules: string[];
  /** Names of the guards that pick these transitions, if any. */
  guards: string[];
  /** `order.proposed [SO-C4]`, or `always [SO-A3]` when eventless. */
  label: string;
}

/** A machine as nodes and edges, ready to draw. */
export interface MachineGraph {
  name: MachineName;
  /** The XState machine id. */
  id: string;
  title: string;
  /** The id of the top-level initial state. */
  initial: string;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

type ActionLike = unknown;

interface EmittedApplied {
  type: 'sync.applied';
  rules: string[];
}

function isApplied(value: unknown): value is EmittedApplied {
  const event = value as Partial<EmittedApplied> | null;

  return (
    typeof event === 'object' &&
    event !== null &&
    event.type === 'sync.applied' &&
    Array.isArray(event.rules)
  );
}

/**
 * The static event an action emits, following named actions to their
 * implementation. An emit built from a function is not knowable without
 * running it, so it yields undefined.
 */
function emittedBy(machine: AnyStateMachine, action: ActionLike): unknown {
  const implementations = machine.implementations.actions as Record<
    string,
    unknown
  >;
  let resolved = action;
  if (typeof action === 'string') resolved = implementations[action];
  else if (typeof action === 'object' && action !== null) {
    const type = (action as { type?: unknown }).type;
    if (typeof type === 'string') resolved = implementations[type];
  }

  // Built-in actions are functions carrying their type and arguments.
  if (typeof resolved !== 'function') return undefined;

  const emit = resolved as unknown as { type?: unknown; event?: unknown };
  if (emit.type !== 'xstate.emit') return undefined;

  return typeof emit.event === 'function' ? undefined : emit.event;
}

/**
 * The rule ids that decide a transition: those of its `sync.applied` emits,
 * then those of its `meta.rules` (eventless transitions). A transition with
 * none is a refusal branch (it emits a conflict and changes nothing).
 *
 * @example
 * rulesOfTransition(machine, transition); // ['SO-C1', 'SO-C4']
 */
export function rulesOfTransition(
  machine: AnyStateMachine,
  transition: AnyTransitionDefinition,
): string[] {
  const rules: string[] = [];
  const add = (rule: unknown) => {
    if (typeof rule === 'string' && !rules.includes(rule)) rules.push(rule);
  };

  for (const action of transition.actions) {
    const emitted = emittedBy(machine, action);
    if (isApplied(emitted)) emitted.rules.forEach(add);
  }
  const meta = transition.meta as { rules?: unknown } | undefined;
  if (Array.isArray(meta?.rules)) meta.rules.forEach(add);

  return rules;
}

function guardName(transition: AnyTransitionDefinition): string | undefined {
  const guard = transition.guard as unknown;
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';

  const typed = guard as { type?: unknown; params?: unknown };
  const name = typeof typed.type === 'string' ? typed.type : 'guard';
  const params = typed.params as Record<string, unknown> | undefined;
  if (!params || typeof params !== 'object') return name;

  const values = Object.values(params).filter(
    (value) => typeof value === 'string',
  );

  return values.length > 0 ? `${name}(${values.join(', ')})` : name;
}

const STATUS_FIELDS = new Set<string>(Object.keys(STATUS_LABELS));

function isStatusField(name: string | undefined): name is StatusField {
  return name !== undefined && STATUS_FIELDS.has(name);
}

function nodeOf(node: AnyStateNode, entry: MachineEntry): DiagramNode {
  const parent = node.parent;
  const isTop = parent === undefined || parent.parent === undefined;
  const parentId = isTop ? null : parent.path.join('.');
  const initial =
    parent?.type === 'compound' &&
    parent.initial.target.some((target: AnyStateNode) => target === node);

  let field: StatusField | undefined;
  if (node.type === 'atomic' && node.key !== 'absent') {
    field = isStatusField(parent?.key) ? parent.key : entry.field;
  }

  let label = node.key;
  if (node.key === 'absent' && isTop) label = `${ABSENT_LABEL} (absent)`;
  else if (field) {
    const names = STATUS_LABELS[field] as Record<string, string>;
    const name = names[node.key];
    if (name !== undefined) label = `${name} (${node.key})`;
  }

  return {
    id: node.path.join('.'),
    key: node.key,
    parent: parentId,
    type: node.type,
    initial,
    ...(field ? { field } : {}),
    label,
  };
}

function edgeLabel(events: readonly string[], rules: readonly string[]) {
  const trigger = events.length > 0 ? events.join(', ') : 'always';

  return `${trigger} [${rules.join(', ')}]`;
}

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states) as AnyStateNode[];
}

/**
 * Turns one machine into nodes and edges. Transitions that share their
 * source, target and rules become one edge listing every event type;
 * refusal branches (no rule emitted, §4 conflict) are left out, since they
 * change nothing.
 *
 * @example
 * const graph = machineGraph(machineEntry('invoice')!);
 * graph.edges[0].label; // 'invoice.created [INV-C1]'
 */
export function machineGraph(entry: MachineEntry): MachineGraph {
  const machine = entry.machine;
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const byKey = new Map<string, DiagramEdge>();

  const addEdge = (
    from: string,
    to: string,
    event: string | null,
    rules: string[],
    guard: string | undefined,
  ) => {
    const key = `${from}|${to}|${rules.join(',')}|${event === null}`;
    let edge = byKey.get(key);
    if (!edge) {
      edge = { from, to, events: [], rules, guards: [], label: '' };
      byKey.set(key, edge);
      edges.push(edge);
    }
    if (event !== null && !edge.events.includes(event)) edge.events.push(event);
    if (guard !== undefined && !edge.guards.includes(guard)) {
      edge.guards.push(guard);
    }
    edge.label = edgeLabel(edge.events, edge.rules);
  };

  const visit = (node: AnyStateNode) => {
    nodes.push(nodeOf(node, entry));
    const from = node.path.join('.');
    const transitions: [string | null, AnyTransitionDefinition][] = [];
    for (const [event, list] of node.transitions) {
      for (const transition of list) transitions.push([event, transition]);
    }
    for (const transition of node.always ?? []) {
      transitions.push([null, transition]);
    }

    for (const [event, transition] of transitions) {
      const rules = rulesOfTransition(machine, transition);
      if (rules.length === 0) continue;

      const targets = transition.target ?? [node];
      for (const target of targets) {
        addEdge(
          from,
          target.path.join('.'),
          event,
          rules,
          guardName(transition),
        );
      }
    }
    for (const child of childrenOf(node)) visit(child);
  };

  for (const child of childrenOf(machine.root)) visit(child);
  const initial = machine.root.initial.target[0]?.path.join('.') ?? '';

  return {
    name: entry.name,
    id: machine.id,
    title: entry.title,
    initial,
    nodes,
    edges,
  };
}

function ancestors(id: string): string[] {
  const parts = id.split('.');

  return parts.map((_, index) => parts.slice(0, index + 1).join('.'));
}

/** Where an edge is drawn, with both ends as children of one container. */
export interface PlacedEdge {
  /** The deepest state holding both ends, or null for the top level. */
  container: string | null;
  from: string;
  to: string;
  /** The edge's label, naming the real target when it was moved up. */
  label: string;
}

/**
 * Places an edge in the deepest state holding both its ends and moves each
 * end up to that state's children: a drawing cannot point into a composite
 * state from outside it. A moved target keeps its real name in the label.
 *
 * @example
 * placeEdge(edge); // { container: null, from: 'absent', to: 'active', … }
 */
export function placeEdge(edge: DiagramEdge): PlacedEdge {
  const from = ancestors(edge.from);
  const to = ancestors(edge.to);
  let depth = 0;
  while (
    depth < from.length - 1 &&
    depth < to.length - 1 &&
    from[depth] === to[depth]
  ) {
    depth += 1;
  }

  const shownTo = to[depth]!;

  return {
    container: depth === 0 ? null : from[depth - 1]!,
    from: from[depth]!,
    to: shownTo,
    label: shownTo === edge.to ? edge.label : `${edge.label} → ${edge.to}`,
  };
}

const graphs = new Map<MachineName, MachineGraph>();

/**
 * The graph of every machine, built once.
 *
 * @example
 * allGraphs().find((graph) => graph.name === 'quote');
 */
export function allGraphs(): MachineGraph[] {
  return MACHINES.map((entry) => {
    let graph = graphs.get(entry.name);
    if (!graph) {
      graph = machineGraph(entry);
      graphs.set(entry.name, graph);
    }

    return graph;
  });
}

/** The graph of one machine by name, or undefined for an unknown name. */
export function graphOf(name: string): MachineGraph | undefined {
  return allGraphs().find((graph) => graph.name === name);
}
