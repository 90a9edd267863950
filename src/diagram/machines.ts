import type { AnyStateMachine } from 'xstate';
import {
  contractCancellationMachine,
  salesOrderCancellationMachine,
} from '../../machines/cancellation.js';
import { invoiceMachine } from '../../machines/invoice.js';
import {
  customerMachine,
  productMachine,
  quoteMachine,
} from '../../machines/link.js';
import { contractMachine, salesOrderMachine } from '../../machines/order.js';
import type { StatusField } from '../rules/labels.js';
import type { RecordKind } from '../store/store.js';
import type { OrderTarget } from '../types.js';

/** The name of each statechart that can be drawn. */
export type MachineName =
  | 'salesOrder'
  | 'contract'
  | 'invoice'
  | 'salesOrderCancellation'
  | 'contractCancellation'
  | 'customer'
  | 'product'
  | 'quote';

/** A statechart with what its flat states are codes of. */
export interface MachineEntry {
  name: MachineName;
  machine: AnyStateMachine;
  /** The status field of top-level states; regions name their own. */
  field?: StatusField;
  /** One line saying what the machine is about. */
  title: string;
}

/**
 * Every statechart of the project, in the order the docs list them.
 *
 * @example
 * MACHINES.map((entry) => entry.name); // ['salesOrder', 'contract', …]
 */
export const MACHINES: readonly MachineEntry[] = [
  {
    name: 'salesOrder',
    machine: salesOrderMachine,
    title: 'CRM order kept by ACT as a Sales Order (SO-*)',
  },
  {
    name: 'contract',
    machine: contractMachine,
    title: 'CRM order kept by ACT as a Contract (CT-*)',
  },
  {
    name: 'invoice',
    machine: invoiceMachine,
    field: 'invoice',
    title: 'Invoice-issuance request (INV-*)',
  },
  {
    name: 'salesOrderCancellation',
    machine: salesOrderCancellationMachine,
    field: 'cancellation',
    title: 'Revenue cancellation on a Sales Order connection (SO-C7)',
  },
  {
    name: 'contractCancellation',
    machine: contractCancellationMachine,
    field: 'cancellation',
    title: 'Revenue cancellation on a Contract connection (CT-C7, CT-A8)',
  },
  {
    name: 'customer',
    machine: customerMachine,
    field: 'link',
    title: 'Customer or contact link (CUS-*)',
  },
  {
    name: 'product',
    machine: productMachine,
    field: 'link',
    title: 'Product link (PRD-*)',
  },
  {
    name: 'quote',
    machine: quoteMachine,
    field: 'link',
    title: 'Quote link (QUO-*)',
  },
];

/** Every machine name, for argument checks and help text. */
export const MACHINE_NAMES: readonly MachineName[] = MACHINES.map(
  (entry) => entry.name,
);

/** The entry of a machine name, or undefined for an unknown name. */
export function machineEntry(name: string): MachineEntry | undefined {
  return MACHINES.find((entry) => entry.name === name);
}

/**
 * The machine that runs records of one kind on a connection.
 *
 * @example
 * machineNameOf('order', 'contract'); // 'contract'
 */
export function machineNameOf(
  kind: RecordKind,
  orderTarget: OrderTarget,
): MachineName {
  switch (kind) {
    case 'order':
      return orderTarget;
    case 'cancellation':
      return `${orderTarget}Cancellation`;
    case 'contact':
      return 'customer';
    default:
      return kind;
  }
}
