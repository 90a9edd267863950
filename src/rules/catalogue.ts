import type { App } from '../types.js';

/** One rule of SYNC-RULES §3: who acts, on what, and what the other app gets. */
export interface Rule {
  id: string;
  app: App;
  /** The action in English, as §3 names it. */
  action: string;
  /** The action as the AMIS screens (and the source table) name it. */
  actionVi: string;
  /** What the other app gets, in one line. */
  effect: string;
}

const rules: Rule[] = [
  // Customers and contacts.
  r('CUS-C1', 'crm', 'add', 'Thêm mới', 'None; ACT pulls it with Fetch.'),
  r('CUS-C2', 'crm', 'edit', 'Sửa', 'Update ACT when linked.'),
  r('CUS-C3', 'crm', 'delete', 'Xóa', 'None.'),
  r('CUS-C4', 'crm', 'merge', 'Gộp', 'None.'),
  r('CUS-C5', 'crm', 'import', 'Nhập khẩu', 'None; ACT pulls with Fetch.'),
  r('CUS-A1', 'act', 'add', 'Thêm mới', 'Create on CRM; linked.'),
  r('CUS-A2', 'act', 'edit', 'Sửa', 'Update CRM; never the owner.'),
  r('CUS-A3', 'act', 'delete', 'Xóa', 'None.'),
  r('CUS-A4', 'act', 'merge', 'Gộp', 'None.'),
  r('CUS-A5', 'act', 'import', 'Nhập khẩu', 'As CUS-A1.'),
  r('CUS-A6', 'act', 'fetch', 'Lấy về', 'No command; linked.'),
  // Products.
  r(
    'PRD-C1',
    'crm',
    'add, edit, import',
    'Thêm mới, Sửa, Nhập khẩu',
    'Create or update on ACT; linked.',
  ),
  r('PRD-C2', 'crm', 'delete, merge', 'Xóa, gộp', 'None.'),
  r(
    'PRD-A1',
    'act',
    'add, edit, import',
    'Thêm mới, Sửa, Nhập khẩu',
    'Create or update on CRM; linked.',
  ),
  r('PRD-A2', 'act', 'delete, merge', 'Xóa, gộp', 'None.'),
  // Quotes.
  r('QUO-C1', 'crm', 'add, edit', 'Thêm mới, Sửa', 'Upsert the quote on ACT.'),
  r('QUO-C2', 'crm', 'delete, import', 'Xóa, Nhập khẩu', 'None.'),
  // Orders kept as ACT Sales Orders.
  r(
    'SO-C1',
    'crm',
    'add, edit',
    'Thêm mới, Sửa',
    'Upsert the Sales Order when the order is proposed.',
  ),
  r('SO-C2', 'crm', 'delete', 'Xóa', 'None; the Sales Order stays.'),
  r('SO-C3', 'crm', 'import', 'Nhập khẩu', 'None, even when proposed.'),
  r('SO-C4', 'crm', 'propose', 'Đề nghị ghi', 'Upsert the Sales Order.'),
  r(
    'SO-C5',
    'crm',
    'record / reject',
    'Ghi doanh số / Từ chối ghi',
    'Record: tell ACT it is recorded. Reject: none.',
  ),
  r(
    'SO-C6',
    'crm',
    'withdraw proposal',
    'Thu hồi đề nghị ghi DS',
    'None; not deleted on ACT.',
  ),
  r(
    'SO-C7',
    'crm',
    'propose revenue cancellation',
    'Đề nghị hủy doanh số',
    'None; it stays on CRM.',
  ),
  r(
    'SO-A1',
    'act',
    'record / unrecord revenue',
    'Ghi doanh số / Bỏ ghi doanh số',
    'Update the revenue status and table on CRM.',
  ),
  r(
    'SO-A2',
    'act',
    'update delivered quantity, invoiced value, receipts',
    'Cập nhật số lượng giao, giá trị đã xuất hóa đơn, thực thu',
    'Update CRM; recompute delivery and payment.',
  ),
  r(
    'SO-A3',
    'act',
    'update status',
    'Cập nhật tình trạng',
    'CRM order status ← ACT.',
  ),
  // Orders kept as ACT Contracts.
  r(
    'CT-C1',
    'crm',
    'add, edit',
    'Thêm mới, Sửa',
    'Upsert the Contract when the order is proposed.',
  ),
  r('CT-C2', 'crm', 'delete', 'Xóa', 'None.'),
  r('CT-C3', 'crm', 'import', 'Nhập khẩu', 'None, even when proposed.'),
  r('CT-C4', 'crm', 'propose', 'Đề nghị ghi', 'Upsert the Contract.'),
  r(
    'CT-C5',
    'crm',
    'record / reject',
    'Ghi doanh số / Từ chối ghi',
    'Record: none. Reject: set ACT revenue status rejected.',
  ),
  r(
    'CT-C6',
    'crm',
    'withdraw proposal',
    'Thu hồi đề nghị ghi DS',
    'Delete the Contract on ACT.',
  ),
  r(
    'CT-C7',
    'crm',
    'propose revenue cancellation',
    'Đề nghị hủy doanh số',
    'Send the cancellation proposal to ACT.',
  ),
  r(
    'CT-A1',
    'act',
    'edit',
    'Sửa',
    'Update status, deadlines, invoiced, payment date only.',
  ),
  r(
    'CT-A2',
    'act',
    'update status',
    'Cập nhật tình trạng',
    'CRM order status ← ACT.',
  ),
  r(
    'CT-A3',
    'act',
    'record / reject / unrecord revenue',
    'Ghi doanh số / Từ chối ghi / Bỏ ghi doanh số',
    'Update the revenue status and table on CRM.',
  ),
  r(
    'CT-A4',
    'act',
    'move the revenue date',
    'Chuyển ngày ghi doanh số',
    'CRM posting date ← the new date.',
  ),
  r(
    'CT-A5',
    'act',
    'update invoiced flag, date and value',
    'Cập nhật đã xuất hóa đơn, ngày hóa đơn, giá trị đã xuất hóa đơn',
    'The same CRM fields.',
  ),
  r(
    'CT-A6',
    'act',
    'update payment deadline',
    'Cập nhật hạn thanh toán',
    'CRM payment deadline.',
  ),
  r(
    'CT-A7',
    'act',
    'update receipts / payment status',
    'Cập nhật thực thu, tình trạng thanh toán',
    'CRM received, remaining, receipts; recompute payment.',
  ),
  r(
    'CT-A8',
    'act',
    'approve / reject revenue cancellation',
    'Đồng ý / Từ chối hủy doanh số',
    'Update the cancellation on CRM.',
  ),
  // Invoices.
  r(
    'INV-C1',
    'crm',
    'add, edit',
    'Thêm mới, Sửa',
    'Upsert the issuance request when proposed.',
  ),
  r('INV-C2', 'crm', 'delete, import', 'Xóa, Nhập khẩu', 'None.'),
  r(
    'INV-C3',
    'crm',
    'propose issuance',
    'Đề nghị xuất',
    'Create the issuance request on ACT.',
  ),
  r(
    'INV-C4',
    'crm',
    'withdraw proposal',
    'Thu hồi đề nghị xuất',
    'Delete the request on ACT.',
  ),
  r('INV-A1', 'act', 'approve request', 'Duyệt đề nghị', 'Update CRM.'),
  r(
    'INV-A2',
    'act',
    'reject request',
    'Từ chối đề nghị',
    'Update CRM; the reason joins the description.',
  ),
  r(
    'INV-A3',
    'act',
    'issue invoice',
    'Xuất hóa đơn',
    'Set number and date on CRM.',
  ),
  r('INV-A4', 'act', 'refuse issuance', 'Từ chối xuất hóa đơn', 'Update CRM.'),
  r(
    'INV-A5',
    'act',
    'cancel invoice',
    'Hủy hóa đơn',
    'Update CRM; the reason joins the description.',
  ),
];

function r(
  id: string,
  app: App,
  action: string,
  actionVi: string,
  effect: string,
): Rule {
  return { id, app, action, actionVi, effect };
}

/** Every rule of SYNC-RULES §3, by id. */
export const RULES: ReadonlyMap<string, Rule> = new Map(
  rules.map((rule) => [rule.id, rule]),
);

/** Every rule id, in the order §3 lists them. */
export const RULE_IDS: readonly string[] = rules.map((rule) => rule.id);
