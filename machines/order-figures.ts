import {
  addDecimals,
  compareDecimals,
  isZero,
  mulDecimals,
  subDecimals,
  sumDecimals,
} from '../src/events/decimal.js';
import type { DeliveryCode, PaymentCode } from '../src/rules/labels.js';
import type { Notice } from '../src/types.js';

/** One line of an order; quantities and prices are decimal strings. */
export interface OrderLine {
  line: string;
  product: string | null;
  quantity: string;
  unitPrice: string;
  deliveredQuantity: string;
}

/** The figures delivery and payment are derived from (SYNC-RULES §2). */
export interface OrderFigures {
  lines: readonly OrderLine[];
  /** The latest total a CRM add, edit or import gave, if any. */
  total: string | null;
  receivedAmount: string;
  /** The remaining amount ACT last gave, if it gave one. */
  remainingAmount: string | null;
}

/** The order total: the latest given one, else Σ quantity × unit price. */
export function orderTotal(figures: OrderFigures): string {
  if (figures.total !== null) return figures.total;

  return sumDecimals(
    figures.lines.map((line) => mulDecimals(line.quantity, line.unitPrice)),
  );
}

/** Σ ordered and Σ delivered over the order's lines. */
export function deliveryTotals(lines: readonly OrderLine[]) {
  return {
    ordered: sumDecimals(lines.map((line) => line.quantity)),
    delivered: sumDecimals(lines.map((line) => line.deliveredQuantity)),
  };
}

/** The delivery status of §2: totals compared, the first match decides. */
export function deriveDelivery(lines: readonly OrderLine[]): DeliveryCode {
  const { ordered, delivered } = deliveryTotals(lines);
  if (isZero(delivered)) return 'notDelivered';
  if (compareDecimals(delivered, ordered) >= 0) return 'delivered';

  return 'partiallyDelivered';
}

/** What remains to be paid: ACT's figure, else total − received. */
export function remainingOf(figures: OrderFigures): string {
  if (figures.remainingAmount !== null) return figures.remainingAmount;

  return subDecimals(orderTotal(figures), figures.receivedAmount);
}

/** The payment status of §2: the first matching line decides. */
export function derivePayment(figures: OrderFigures): PaymentCode {
  if (compareDecimals(remainingOf(figures), '0') <= 0) return 'paid';
  if (isZero(figures.receivedAmount)) return 'unpaid';

  return 'partiallyPaid';
}

/**
 * Notices for goods delivered beyond the order, in total and per line; a
 * line's notice points at the fulfilment event's entry for it, if any.
 */
export function deliveryNotices(
  lines: readonly OrderLine[],
  reported: readonly string[] = [],
): Notice[] {
  const notices: Notice[] = [];
  const { ordered, delivered } = deliveryTotals(lines);
  if (compareDecimals(delivered, ordered) > 0) {
    const amount = subDecimals(delivered, ordered);
    notices.push({
      code: 'overDelivered',
      message: `Delivered ${delivered} against ${ordered} ordered: ${amount} more than the order.`,
      amount,
    });
  }

  for (const line of lines) {
    if (compareDecimals(line.deliveredQuantity, line.quantity) <= 0) continue;

    const amount = subDecimals(line.deliveredQuantity, line.quantity);
    const index = reported.indexOf(line.line);
    notices.push({
      code: 'lineOverDelivered',
      message:
        `Line ${line.line}: delivered ${line.deliveredQuantity} of ` +
        `${line.quantity} ordered.`,
      ...(index >= 0
        ? { field: `data.lines[${index}].deliveredQuantity` }
        : {}),
      amount,
    });
  }

  return notices;
}

/** A notice when the remaining amount is negative (an overpayment). */
export function paymentNotices(figures: OrderFigures): Notice[] {
  const remaining = remainingOf(figures);
  if (compareDecimals(remaining, '0') >= 0) return [];

  const amount = subDecimals('0', remaining);

  return [
    {
      code: 'overpaid',
      message: `Received ${figures.receivedAmount}: ${amount} more than the order total.`,
      amount,
    },
  ];
}

/** Σ of revenue rows: the net revenue the amount check compares against. */
export function netRevenue(rows: readonly { amount: string }[]): string {
  return sumDecimals(rows.map((row) => row.amount));
}

export { addDecimals, compareDecimals };
