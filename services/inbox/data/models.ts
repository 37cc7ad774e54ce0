import { Schema, type Connection, type Model } from "mongoose";

export interface InboxDoc {
  _id: string;
  recipientStaffId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  createdAt: Date;
  readAt: Date | null;
}

const inboxSchema = new Schema<InboxDoc>(
  {
    _id: { type: String },
    recipientStaffId: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, default: "" },
    link: { type: String, default: "" },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
  },
  { versionKey: false },
);
inboxSchema.index({ recipientStaffId: 1, createdAt: -1 });
inboxSchema.index({ recipientStaffId: 1, readAt: 1 });

export const inboxModel = (db: Connection): Model<InboxDoc> => db.model<InboxDoc>("InboxItem", inboxSchema, "items");
