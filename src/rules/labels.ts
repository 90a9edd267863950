/** The status fields of SYNC-RULES §2, one machine region each. */
export type StatusField =
  | 'revenue'
  | 'delivery'
  | 'payment'
  | 'status'
  | 'invoice'
  | 'cancellation'
  | 'link';

/** Every status code of each field with the label AMIS screens show. */
export const STATUS_LABELS = {
  revenue: {
    draft: 'Bản nháp',
    proposed: 'Đề nghị ghi',
    recorded: 'Đã ghi doanh số',
    rejected: 'Từ chối ghi',
  },
  delivery: {
    notDelivered: 'Chưa giao hàng',
    partiallyDelivered: 'Giao một phần',
    delivered: 'Đã giao hàng',
  },
  payment: {
    unpaid: 'Chưa thanh toán',
    partiallyPaid: 'Thanh toán một phần',
    paid: 'Đã thanh toán',
  },
  status: {
    notStarted: 'Chưa thực hiện',
    inProgress: 'Đang thực hiện',
    fullyDelivered: 'Đã giao đủ hàng',
    completed: 'Đã hoàn thành',
    cancelled: 'Đã hủy bỏ',
  },
  invoice: {
    draft: 'Bản nháp',
    proposed: 'Đề nghị xuất',
    approved: 'Duyệt đề nghị',
    rejected: 'Từ chối',
    issued: 'Đã xuất',
    issuanceRejected: 'Từ chối xuất hóa đơn',
    cancelled: 'Hủy bỏ',
  },
  cancellation: {
    proposed: 'Đề nghị hủy',
    approved: 'Đồng ý hủy',
    rejected: 'Từ chối hủy',
  },
  link: {
    crmOnly: 'Chỉ có trên CRM',
    actOnly: 'Chỉ có trên ACT',
    linked: 'Đã liên kết',
  },
} as const satisfies Record<StatusField, Record<string, string>>;

export type RevenueCode = keyof typeof STATUS_LABELS.revenue;
export type DeliveryCode = keyof typeof STATUS_LABELS.delivery;
export type PaymentCode = keyof typeof STATUS_LABELS.payment;
export type OrderStatusCode = keyof typeof STATUS_LABELS.status;
export type InvoiceCode = keyof typeof STATUS_LABELS.invoice;
export type CancellationCode = keyof typeof STATUS_LABELS.cancellation;
export type LinkCode = keyof typeof STATUS_LABELS.link;

/** The Vietnamese label of a status code, or the code itself if unknown. */
export function statusLabel(field: string, code: string): string {
  const labels = (STATUS_LABELS as Record<string, Record<string, string>>)[
    field
  ];

  return labels?.[code] ?? code;
}

/** Label of a state a record has before any event created it. */
export const ABSENT_LABEL = 'Chưa có';
