/** The caller's own inbox: the latest items with the unread count, and marking one read. */
import type { Service } from "moleculer";
import type { InboxItem, InboxList } from "../../../shared/contracts/inbox";
import { NotFoundError } from "../../../shared/errors";
import type { InboxDoc } from "../data/models";
import type { Ctx, This } from "../types";

const toItem = (d: InboxDoc): InboxItem => ({
  id: d._id,
  recipientStaffId: d.recipientStaffId,
  kind: d.kind,
  title: d.title,
  body: d.body,
  link: d.link,
  createdAt: d.createdAt.toISOString(),
  readAt: d.readAt ? d.readAt.toISOString() : null,
});

export const itemActions: Service.ServiceActionsSchema<This> = {
  mine: {
    rest: "GET /",
    params: { $$strict: true, limit: "number|optional|integer|min:1|max:100|convert" },
    async handler(this: This, ctx: Ctx<{ limit?: number }>): Promise<InboxList> {
      const staffId = ctx.meta.user!.staffId;
      if (!staffId) return { items: [], unread: 0 };
      const [docs, unread] = await Promise.all([
        this.Items.find({ recipientStaffId: staffId })
          .sort({ createdAt: -1 })
          .limit(ctx.params.limit ?? 20)
          .lean<InboxDoc[]>(),
        this.unread(staffId),
      ]);
      return { items: docs.map(toItem), unread };
    },
  },

  markRead: {
    rest: "POST /:id/read",
    params: { $$strict: true, id: "string|max:64" },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ unread: number }> {
      const staffId = ctx.meta.user!.staffId;
      const item = await this.Items.findById(ctx.params.id).lean<InboxDoc>();
      // Another person's item is reported as missing, not as forbidden: ids reveal nothing.
      if (!item || item.recipientStaffId !== staffId) throw new NotFoundError("INBOX_ITEM_NOT_FOUND", "未找到该消息");
      await this.Items.updateOne({ _id: item._id, readAt: null }, { $set: { readAt: new Date() } });
      return { unread: await this.unread(item.recipientStaffId) };
    },
  },
};
