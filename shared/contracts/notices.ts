/**
 * The `notices` service: notices to a scope with read receipts (通知公告). REST: every action below
 * is under /api/notices (see each action's `rest` in the service). Information reports and publicity
 * are the `info` service's (shared/contracts/info.ts).
 *
 * Who may publish: to the whole bureau, the city office and city-wide roles; to an organisation, its
 * office (the members of its office division, its county administrator, system administrators) and
 * administrators; to a division, also its head. Recipients are the scope's active staff when published.
 *
 * `publish` takes an optional `commandId` (client-chosen, ≤ 64 chars): re-sent with the same id, it
 * lands on the same notice, returns it and re-sends its event with the original id.
 *
 * Actions (`notices.<name>`, REST under /api/notices):
 * - `publish` POST /items · `mine` GET /mine · `sent` GET /sent · `get` GET /items/:id ·
 *   `read` POST /items/:id/read · `receipts` GET /items/:id/receipts · `reads.rebuild` (system admin)
 *
 * Errors: 422 VALIDATION_ERROR with `fields`, 403 (SCOPE_FORBIDDEN, NOT_RECIPIENT, NOT_MANAGER),
 * 404 NOTICE_NOT_FOUND (also for notices the caller may not see).
 */

export interface ListResult<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

// ---------- notices (通知公告) ----------

/** Who receives a notice: the whole bureau (all 21 organisations), one organisation, or one division. */
export const NOTICE_SCOPES = ["bureau", "org", "division"] as const;
export type NoticeScopeType = (typeof NOTICE_SCOPES)[number];

export interface NoticeScope {
  type: NoticeScopeType;
  /** orgId or divisionId; null for the whole bureau. */
  id: string | null;
}

export interface NoticePublishParams {
  title: string;
  body: string;
  scope: NoticeScope;
  commandId?: string;
}

export interface NoticeView {
  id: string;
  title: string;
  body: string;
  scope: NoticeScope;
  /** e.g. 全局, 张北县财政局, 市局·预算处 */
  scopeLabel: string;
  publisherStaffId: string | null;
  publisherName: string;
  publisherOrgId: string;
  publishedAt: string;
  recipientCount: number;
  readCount: number;
  /** Whether the caller is a recipient, and has read it. */
  recipient: boolean;
  readAt: string | null;
}

/** `mine`: notices the caller received, newest first, and how many of all of them are unread. */
export interface NoticeListParams {
  unreadOnly?: boolean;
  page?: number;
  limit?: number;
}

export interface NoticeList extends ListResult<NoticeView> {
  unread: number;
}

/** `sent`: notices whose scope the caller manages (publishers, offices, administrators). */
export interface NoticeSentParams {
  orgId?: string;
  page?: number;
  limit?: number;
}

export interface ReceiptPerson {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
  readAt: string | null;
}

/** `receipts`: who has read the notice and who hasn't (publisher, its organisation's office and admins). */
export interface NoticeReceipts {
  noticeId: string;
  recipientCount: number;
  readCount: number;
  read: ReceiptPerson[];
  unread: ReceiptPerson[];
}

/** Durable event `notices.notice.published`: a notice went out to these recipients. */
export interface NoticePublished {
  noticeId: string;
  title: string;
  scope: NoticeScope;
  publisherStaffId: string | null;
  publisherName: string;
  publishedAt: string;
  recipientStaffIds: string[];
  /** A web-client path, see NOTICE_LINKS. */
  link: string;
}

/** Web-client paths of notices (in `notices.notice.published`). */
export const NOTICE_LINKS = {
  notice: (id: string): string => `/notices/${id}`,
};

export interface NoticesSeedResult {
  seeded: boolean;
  notices?: number;
  reads?: number;
  ms?: number;
}
