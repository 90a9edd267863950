import {
  createActor,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';

/** One pure transition: the next snapshot and the actions it would run. */
export type Stepper = (
  snapshot: AnyMachineSnapshot,
  event: EventObject,
) => [AnyMachineSnapshot, { type: string; params?: unknown }[]];

/**
 * Makes a pure transition function for one machine that gives what xstate's
 * `transition()` gives, without its per-call cost.
 *
 * `transition()` builds a throw-away actor on every call, and that actor
 * computes the machine's initial snapshot again (a third of the engine's time
 * on the order machine). Here one inert actor scope per machine is built once
 * and reused: the actor is never started, no action is executed (they are
 * collected), and the machines spawn no children, so no state is shared
 * between calls.
 *
 * @example
 * const step = createStepper(invoiceMachine);
 * const [next, actions] = step(snapshot, event);
 */
export function createStepper(machine: AnyStateMachine): Stepper {
  const self = createActor(machine);
  let collected: { type: string; params?: unknown }[] = [];
  const scope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      collected.push(action);
    },
  } as unknown as AnyActorScope;

  return (snapshot, event) => {
    collected = [];
    const next = machine.transition(snapshot, event, scope);

    return [next, collected];
  };
}
