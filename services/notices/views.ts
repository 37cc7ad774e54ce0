/** Notices as kept → their API views, with read counts and the caller's own receipt. */
import type { NoticeView } from "../../shared/contracts/notices";
import type { Actor } from "../../shared/office";
import type { ReaderDoc } from "./data/models";
import type { CachedNotice, This } from "./types";

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export const viewMethods = {
  async noticeViews(
    this: This,
    notices: CachedNotice[],
    actor: Actor,
    reader: ReaderDoc | null,
  ): Promise<NoticeView[]> {
    const counts = await Promise.all(notices.map((n) => this.readCount(n._id)));
    return notices.map((n, i) => ({
      id: n._id,
      title: n.title,
      body: n.body,
      scope: n.scope,
      scopeLabel: n.scopeLabel,
      publisherStaffId: n.publisherStaffId,
      publisherName: n.publisherName,
      publisherOrgId: n.publisherOrgId,
      publishedAt: iso(n.publishedAt)!,
      recipientCount: n.recipients.length,
      readCount: counts[i],
      recipient: !!actor.staffId && n.recipientSet.has(actor.staffId),
      readAt: iso(reader?.reads?.[n._id]),
    }));
  },
};
