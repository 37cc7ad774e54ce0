/** The in-app inbox: notifications for one person, shown by the bell in the web client. */

export interface InboxItem {
  /** The id of the durable event that asked for it, so a redelivery stores it once. */
  id: string;
  recipientStaffId: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  readAt: string | null;
}

export interface InboxList {
  items: InboxItem[];
  unread: number;
}

/** Emitted (fire-and-forget, to one gateway replica) after an item is stored; the gateway pushes it to the browser. */
export const INBOX_CREATED_EVENT = "inbox.created";
