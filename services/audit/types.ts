/** The audit service's state, shared by its modules. */
import type { Context, Service } from "moleculer";
import type { Connection, Model } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import type { DbVars } from "../../shared/db";
import type { AuditDoc } from "./data/models";

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Vars {
  db: Connection;
  Entries: Model<AuditDoc>;
}

export type This = Service & DbVars & Vars;
