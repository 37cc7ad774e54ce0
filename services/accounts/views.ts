/** A stored account as the API shows it, and as the signed-in user a session carries. */
import type { AuthUser } from "../../shared/auth";
import { config } from "../../shared/config";
import type { AccountView } from "../../shared/contracts/accounts";
import type { AccountDoc } from "./data/models";

export const toView = (a: AccountDoc, now = new Date()): AccountView => ({
  id: a._id,
  username: a.username,
  staffId: a.staffId,
  name: a.name,
  orgId: a.orgId,
  divisionId: a.divisionId,
  roles: a.roles,
  disabled: a.disabled,
  locked: !!a.lockedUntil && a.lockedUntil > now,
  mustChangePassword: a.mustChangePassword,
});

/** A one-time or reset password, or one older than the maximum age: it must be changed before anything else. */
export function mustChange(a: AccountDoc, now = Date.now()): boolean {
  const maxAge = config().passwordMaxAgeDays;
  return a.mustChangePassword || (maxAge > 0 && now - new Date(a.passwordChangedAt).getTime() > maxAge * 86_400_000);
}

export const authUser = (a: AccountDoc, sessionId: string): AuthUser => ({
  accountId: a._id,
  sessionId,
  staffId: a.staffId,
  name: a.name,
  orgId: a.orgId,
  divisionId: a.divisionId,
  roles: a.roles,
  ...(mustChange(a) ? { mustChangePassword: true } : {}),
});
