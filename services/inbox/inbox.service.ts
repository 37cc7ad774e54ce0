/**
 * The in-app inbox: stores each `notification.requested` once (idempotent on the event id)
 * and announces new items for the gateway to push live. The unread count is counted, not kept,
 * so no crash between two writes can leave it wrong.
 */
import type { Context, ServiceSchema } from "moleculer";
import type { Connection, Model } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import { INBOX_CREATED_EVENT, type InboxItem, type InboxList } from "../../shared/contracts/inbox";
import { dbMixin } from "../../shared/db";
import { NotFoundError } from "../../shared/errors";
import type { DomainEvent } from "../../shared/events";
import { inboxModel, type InboxDoc } from "./inbox.model";

interface Vars {
  db: Connection;
  Items: Model<InboxDoc>;
}

interface Methods {
  unread(staffId: string): Promise<number>;
}

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

const InboxService: ServiceSchema<object, Methods, Vars> = {
  name: "inbox",
  mixins: [dbMixin("inbox")],

  /** Actions */
  actions: {
    mine: {
      rest: "GET /",
      params: { $$strict: true, limit: "number|optional|integer|min:1|max:100|convert" },
      async handler(ctx: Context<{ limit?: number }, CallMeta>): Promise<InboxList> {
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
      async handler(ctx: Context<{ id: string }, CallMeta>): Promise<{ unread: number }> {
        const staffId = ctx.meta.user!.staffId;
        const item = await this.Items.findById(ctx.params.id).lean<InboxDoc>();
        // Another person's item is reported as missing, not as forbidden: ids reveal nothing.
        if (!item || item.recipientStaffId !== staffId) throw new NotFoundError("INBOX_ITEM_NOT_FOUND", "未找到该消息");
        await this.Items.updateOne({ _id: item._id, readAt: null }, { $set: { readAt: new Date() } });
        return { unread: await this.unread(item.recipientStaffId) };
      },
    },
  },

  /** Durable channels */
  channels: {
    "notification.requested": {
      group: "inbox",
      async handler(event: DomainEvent<"notification.requested">) {
        const n = event.data;
        // Insert-if-absent on the event id: a redelivered event stores nothing twice.
        const res = await this.Items.updateOne(
          { _id: event.id },
          { $setOnInsert: { ...n, createdAt: new Date(event.occurredAt), readAt: null } },
          { upsert: true },
        );
        if (res.upsertedCount) {
          const item: InboxItem = { id: event.id, ...n, createdAt: event.occurredAt, readAt: null };
          this.broker.emit(INBOX_CREATED_EVENT, item);
        }
      },
    },
  },

  /** Methods */
  methods: {
    unread(staffId: string): Promise<number> {
      return this.Items.countDocuments({ recipientStaffId: staffId, readAt: null });
    },
  },

  created() {
    this.Items = inboxModel(this.db);
  },
};

export default InboxService;
