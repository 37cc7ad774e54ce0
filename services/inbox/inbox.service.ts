/**
 * The in-app inbox: stores each `notification.requested` once (idempotent on the event id)
 * and announces new items for the gateway to push live. The unread count is counted, not kept,
 * so no crash between two writes can leave it wrong.
 */
import type { ServiceSchema } from "moleculer";
import { INBOX_CREATED_EVENT, type InboxItem } from "../../shared/contracts/inbox";
import { dbMixin } from "../../shared/db";
import type { DomainEvent } from "../../shared/events";
import { itemActions } from "./actions/items";
import { inboxModel } from "./data/models";
import type { Methods, This, Vars } from "./types";

const InboxService: ServiceSchema<object, Methods, Vars, This> = {
  name: "inbox",
  mixins: [dbMixin("inbox")],

  /** Actions */
  actions: { ...itemActions },

  /** Durable channels */
  channels: {
    "notification.requested": {
      group: "inbox",
      async handler(this: This, event: DomainEvent<"notification.requested">) {
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
    unread(this: This, staffId: string): Promise<number> {
      return this.Items.countDocuments({ recipientStaffId: staffId, readAt: null });
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.Items = inboxModel(this.db);
  },
};

export default InboxService;
