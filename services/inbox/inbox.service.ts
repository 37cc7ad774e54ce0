/**
 * The in-app inbox: stores each `notification.requested`, a comment on one's log and a notice one
 * receives, once each (idempotent on the event id), and announces new items for the gateway to push live. The unread count is counted, not kept,
 * so no crash between two writes can leave it wrong.
 */
import type { ServiceSchema } from "moleculer";
import { INBOX_CREATED_EVENT, type InboxItem } from "../../shared/contracts/inbox";
import { dbMixin } from "../../shared/db";
import type { NotificationRequested } from "../../shared/contracts/worklog";
import type { DomainEvent } from "../../shared/events";
import { itemActions } from "./actions/items";
import { inboxModel } from "./data/models";
import type { Methods, This, Vars } from "./types";

/** Items per write: a notice to the whole bureau is about 1,500. */
const DELIVER_BATCH = 500;

const InboxService: ServiceSchema<object, Methods, Vars, This> = {
  name: "inbox",
  mixins: [dbMixin("inbox")],

  /** Actions */
  actions: { ...itemActions },

  /** Durable channels: an item for whom each event concerns, stored once per event and recipient. */
  channels: {
    "notification.requested": {
      group: "inbox",
      async handler(this: This, event: DomainEvent<"notification.requested">) {
        await this.deliver([{ id: event.id, ...event.data }], event.occurredAt);
      },
    },
    /** The log's author hears of a comment (a mention is notified by worklog itself). */
    "worklog.comment.added": {
      group: "inbox",
      async handler(this: This, event: DomainEvent<"worklog.comment.added">) {
        const c = event.data;
        if (c.logAuthorStaffId === c.authorStaffId || c.mentionedStaffIds.includes(c.logAuthorStaffId)) return;
        await this.deliver(
          [
            {
              id: `${event.id}:author`,
              recipientStaffId: c.logAuthorStaffId,
              kind: "worklog.comment",
              title: `${c.authorName} 评论了你的日志`,
              body: c.excerpt ?? "",
              link: `/worklog/logs/${c.logId}`,
            },
          ],
          event.occurredAt,
        );
      },
    },
    /** Every recipient of a notice finds it in the inbox (the publisher excepted). */
    "notices.notice.published": {
      group: "inbox",
      async handler(this: This, event: DomainEvent<"notices.notice.published">) {
        const n = event.data;
        const items = n.recipientStaffIds
          .filter((id) => id !== n.publisherStaffId)
          .map((recipientStaffId) => ({
            id: `${event.id}:${recipientStaffId}`,
            recipientStaffId,
            kind: "notices.notice",
            title: `新通知：${n.title}`,
            body: `${n.publisherName} 发布`,
            link: n.link,
          }));
        await this.deliver(items, event.occurredAt);
      },
    },
  },

  /** Methods */
  methods: {
    unread(this: This, staffId: string): Promise<number> {
      return this.Items.countDocuments({ recipientStaffId: staffId, readAt: null });
    },

    /**
     * Stores each item once, keyed by its id (derived from the event): a redelivered event stores
     * nothing twice. Only the newly stored ones are announced for the live push.
     */
    async deliver(this: This, items: (NotificationRequested & { id: string })[], occurredAt: string): Promise<void> {
      for (let i = 0; i < items.length; i += DELIVER_BATCH) {
        const batch = items.slice(i, i + DELIVER_BATCH);
        const docs = batch.map(({ id, ...n }) => ({ _id: id, ...n, createdAt: new Date(occurredAt), readAt: null }));
        // Plain inserts: upserts of hundreds of documents hold FerretDB (SQLite) for minutes, inserts
        // do not. A redelivered event's items are already there: their duplicate-key errors are expected.
        const stored = new Set(batch.map((_, k) => k));
        try {
          await this.Items.collection.insertMany(docs as never[], { ordered: false });
        } catch (err) {
          const errors = [(err as { writeErrors?: unknown }).writeErrors ?? []].flat() as {
            index: number;
            code: number;
          }[];
          if (!errors.length || errors.some((e) => e.code !== 11000)) throw err;
          for (const e of errors) stored.delete(e.index);
        }
        for (const k of stored) {
          const { id, ...n } = batch[k];
          const item: InboxItem = { id, ...n, createdAt: occurredAt, readAt: null };
          this.broker.emit(INBOX_CREATED_EVENT, item);
        }
      }
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.Items = inboxModel(this.db);
  },
};

export default InboxService;
