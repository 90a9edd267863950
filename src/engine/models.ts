import type { AnyStateMachine } from 'xstate';
import {
  contractCancellationMachine,
  salesOrderCancellationMachine,
} from '../../machines/cancellation.js';
import {
  crmInvoiceView,
  invoiceMachine,
  type InvoiceContext,
} from '../../machines/invoice.js';
import {
  customerMachine,
  productMachine,
  quoteMachine,
} from '../../machines/link.js';
import {
  contractMachine,
  crmOrderView,
  salesOrderMachine,
  type OrderContext,
} from '../../machines/order.js';
import type { InvoiceCode, RevenueCode } from '../rules/labels.js';
import type { RecordKind } from '../store/store.js';
import type { App, JsonObject, OrderTarget, SyncEvent } from '../types.js';

/** A machine snapshot as the engine reads it. */
export interface SnapshotLike {
  value: unknown;
  context: unknown;
}

/** How the engine treats one kind of record. */
export interface RecordModel {
  kind: RecordKind;
  machine: AnyStateMachine;
  /** The code of each status field (§2 names); empty before creation. */
  statuses(snapshot: SnapshotLike): Record<string, string>;
  /** What the source app shows after an applied event of its own (§4). */
  reported(app: App, event: SyncEvent, after: SnapshotLike): JsonObject;
}

/** The state name of a flat machine, or null while the record is absent. */
function flatState(snapshot: SnapshotLike): string | null {
  return typeof snapshot.value === 'string' && snapshot.value !== 'absent'
    ? snapshot.value
    : null;
}

/** The active region states of an order, or null while it is absent. */
export function orderRegions(
  snapshot: SnapshotLike,
): Record<string, string> | null {
  const value = snapshot.value as { active?: Record<string, string> };

  return typeof value === 'object' && value.active ? value.active : null;
}

function orderModel(target: OrderTarget): RecordModel {
  return {
    kind: 'order',
    machine: target === 'contract' ? contractMachine : salesOrderMachine,
    statuses: (snapshot) => {
      const regions = orderRegions(snapshot);
      if (!regions) return {};

      const out: Record<string, string> = { revenue: regions.revenue! };
      if (regions.delivery) out.delivery = regions.delivery;
      out.payment = regions.payment!;
      out.status = regions.status!;

      return out;
    },
    reported: (app, event, after) => {
      const context = after.context as OrderContext;
      const revenue = (orderRegions(after)?.revenue ?? 'draft') as RevenueCode;
      if (app === 'crm') return crmOrderView(context, revenue, target);

      const reported: JsonObject = {};
      for (const field of ['deliveryDeadline', 'paymentDeadline'] as const) {
        const value = event.data[field];
        if (value !== undefined) reported[field] = value;
      }
      if (/revenue/.test(event.type)) reported.revenueStatus = revenue;

      return reported;
    },
  };
}

function flatModel(
  kind: RecordKind,
  field: string,
  machine: AnyStateMachine,
  reported: RecordModel['reported'] = (_app, event) => event.data,
): RecordModel {
  return {
    kind,
    machine,
    statuses: (snapshot) => {
      const state = flatState(snapshot);

      return state === null ? {} : { [field]: state };
    },
    reported,
  };
}

/** The model of every record kind for one connection's order target. */
export function recordModels(
  target: OrderTarget,
): Record<RecordKind, RecordModel> {
  const link = (kind: RecordKind, machine: AnyStateMachine) =>
    flatModel(kind, 'link', machine);

  return {
    order: orderModel(target),
    invoice: flatModel(
      'invoice',
      'invoice',
      invoiceMachine,
      (app, event, after) =>
        app === 'crm'
          ? crmInvoiceView(
              after.context as InvoiceContext,
              flatState(after) as InvoiceCode,
            )
          : event.data,
    ),
    cancellation: flatModel(
      'cancellation',
      'cancellation',
      target === 'contract'
        ? contractCancellationMachine
        : salesOrderCancellationMachine,
    ),
    customer: link('customer', customerMachine),
    contact: link('contact', customerMachine),
    product: link('product', productMachine),
    quote: link('quote', quoteMachine),
  };
}
