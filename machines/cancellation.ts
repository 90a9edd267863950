import { assign, setup } from 'xstate';
import type { OrderTarget } from '../src/types.js';
import {
  applied,
  conflict,
  text,
  type MachineEvent,
  type SyncEmitted,
} from './sync.js';

/** A revenue-cancellation proposal (Đề nghị hủy doanh số). */
export interface CancellationContext {
  order: string | null;
  amount: string;
  date: string | null;
  reason: string | null;
}

/** Every event type the cancellation machine handles. */
export type CancellationEventType =
  | 'order.cancellationProposed'
  | 'contract.cancellationApproved'
  | 'contract.cancellationRejected';

type CancellationEvent = MachineEvent<CancellationEventType>;

/** A proposal nobody has made yet. */
export function emptyCancellationContext(): CancellationContext {
  return { order: null, amount: '0', date: null, reason: null };
}

// A decision on another order's proposal would put its row on the wrong
// revenue table.
const otherOrder = conflict(
  'CT-A8',
  'otherOrder',
  (event) =>
    `Proposal ${String(event.data.proposal)} was not made for order ${event.key}.`,
  'key',
);

/**
 * Builds the cancellation statechart for one ACT target. With Sales Orders a
 * proposal stays on CRM, `proposed` (SO-C7); with Contracts ACT decides it
 * (CT-C7, CT-A8). The amount check lives on the order, which holds the
 * revenue table.
 *
 * @example
 * const machine = createCancellationMachine('contract');
 */
export function createCancellationMachine(target: OrderTarget) {
  const proposeRule = target === 'contract' ? 'CT-C7' : 'SO-C7';

  return setup({
    types: {
      context: {} as CancellationContext,
      events: {} as CancellationEvent,
      emitted: {} as SyncEmitted,
    },
    guards: {
      ofThisOrder: ({ context, event }) => context.order === event.key,
    },
  }).createMachine({
    id: `${target}Cancellation`,
    context: emptyCancellationContext,
    initial: 'absent',
    states: {
      absent: {
        on: {
          'order.cancellationProposed': {
            target: 'proposed',
            actions: [
              assign(({ event }) => ({
                order: event.key,
                amount: text(event.data, 'amount') ?? '0',
                date: text(event.data, 'date') ?? null,
                reason: text(event.data, 'reason') ?? null,
              })),
              applied(proposeRule),
            ],
          },
        },
      },
      proposed: {
        on:
          target === 'contract'
            ? {
                'contract.cancellationApproved': [
                  {
                    guard: 'ofThisOrder',
                    target: 'approved',
                    actions: applied('CT-A8'),
                  },
                  { actions: otherOrder },
                ],
                'contract.cancellationRejected': [
                  {
                    guard: 'ofThisOrder',
                    target: 'rejected',
                    actions: applied('CT-A8'),
                  },
                  { actions: otherOrder },
                ],
              }
            : {},
      },
      approved: {},
      rejected: {},
    },
  });
}

/** Cancellation proposals on a Sales Order connection. */
export const salesOrderCancellationMachine =
  createCancellationMachine('salesOrder');

/** Cancellation proposals on a Contract connection. */
export const contractCancellationMachine =
  createCancellationMachine('contract');
