/** The accounts service's state and methods, shared by its action and data modules. */
import type { Context, Service } from "moleculer";
import type { Connection, Model } from "mongoose";
import type { AuthUser, CallMeta, Role } from "../../shared/auth";
import type { LoginResult } from "../../shared/contracts/accounts";
import type { DbVars } from "../../shared/db";
import type { AccountDoc, SessionDoc } from "./data/models";

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Vars {
  db: Connection;
  Accounts: Model<AccountDoc>;
  Sessions: Model<SessionDoc>;
  /** Verified against when the username is unknown, so timing doesn't reveal which usernames exist. */
  dummyHash: string;
}

export interface Methods {
  startSession(ctx: Ctx<unknown>, account: AccountDoc): Promise<LoginResult>;
  revokeSessions(accountId: string, reason: string, exceptSessionId?: string): Promise<number>;
  loadAccount(id: string): Promise<AccountDoc>;
  assertCanAdminister(user: AuthUser, account: AccountDoc): void;
  assertCanGrant(user: AuthUser, orgId: string, roles: Role[]): void;
  policyError(password: string, field: string, username?: string): void;
}

export type This = Service & DbVars & Vars & Methods;
