/** Who may publish notices: the shared `notices.publish` permission, for some scope the user could pick. */
import { CITY_ORG_ID, type AuthUser } from "@shared/auth";
import { may, type NoticeTarget } from "@shared/permissions";
import type { Lookup } from "./hooks";
import { officeOf } from "./info";

/** May publish a notice to some scope (then sees what was sent and its read receipts). */
export function mayPublish(user: AuthUser, lookup: Pick<Lookup, "division">): boolean {
  const office = officeOf(user, lookup);
  const scopes: NoticeTarget[] = [
    { scope: { type: "bureau", id: null }, scopeOrgId: CITY_ORG_ID, officeOf: office },
    { scope: { type: "org", id: user.orgId }, scopeOrgId: user.orgId, officeOf: office },
    ...(user.divisionId
      ? [{ scope: { type: "division" as const, id: user.divisionId }, scopeOrgId: user.orgId, officeOf: office }]
      : []),
  ];
  return scopes.some((t) => may(user, "notices.publish", t));
}
