/** The inbox service's state and methods, shared by its modules. */
import type { Context, Service } from "moleculer";
import type { Connection, Model } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import type { NotificationRequested } from "../../shared/contracts/worklog";
import type { DbVars } from "../../shared/db";
import type { InboxDoc } from "./data/models";

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Vars {
  db: Connection;
  Items: Model<InboxDoc>;
}

export interface Methods {
  unread(staffId: string): Promise<number>;
  deliver(items: (NotificationRequested & { id: string })[], occurredAt: string): Promise<void>;
}

export type This = Service & DbVars & Vars & Methods;
