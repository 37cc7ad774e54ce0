/**
 * Named permissions, written once: the roles that hold each one and, where the check is about an
 * object (an organisation, a division, a person, a notice scope), the predicate over the caller and
 * that object. Services declare `auth: rolesOf("plans.approve")` (so the authz middleware and the
 * gateway keep checking `{ roles }`) and make their object-level checks with `may`; the web client
 * uses the same `may`/`holds` to show or hide what a user may not do.
 *
 * Trusted system calls (`meta.system`) are let through by the services before they ask `may`, as before.
 */
import type { NoticeScope } from "./contracts/notices";
import {
  CITY_ORG_ID,
  ROLES,
  canAdministerOrg,
  hasRole,
  isCityWide,
  type AuthRule,
  type AuthUser,
  type CallMeta,
  type Role,
} from "./auth";

/** Roles that administer people and an organisation's data; which organisation follows from canAdministerOrg. */
export const ADMIN_ROLES = ["hr_admin", "county_admin", "sys_admin", "leader"] as const satisfies readonly Role[];

export interface OrgTarget {
  orgId: string;
}
export interface DivisionTarget {
  orgId: string;
  divisionId: string;
}
/** A person's record, in their division; `staffId` null when the record is nobody's in particular. */
export interface PersonTarget extends DivisionTarget {
  staffId: string | null;
}
/** An organisation's items, and the organisation whose office division (办公室) the caller belongs to. */
export interface OfficeTarget extends OrgTarget {
  officeOf: string | null;
}
export interface NoticeTarget {
  scope: NoticeScope;
  /** The organisation of the scope (of the division, for a division scope). */
  scopeOrgId: string;
  officeOf: string | null;
}
/** A document (公文): who took part, the organisations involved, and whether it was published to all. */
export interface DocumentTarget {
  participants: ReadonlySet<string>;
  involvedOrgIds: ReadonlySet<string>;
  published: boolean;
}
/** An account, as an administrator would act on it: whose it is, where, and the roles it holds. */
export interface AccountTarget extends OrgTarget {
  accountId: string;
  roles: readonly Role[];
}
/** Roles to grant to an account of an organisation. */
export interface GrantTarget extends OrgTarget {
  roles: readonly Role[];
}
export interface OrgLogTarget extends OrgTarget {
  /** The staff the organisation's policy names as authors of its weekly log. */
  orgLogAuthors: readonly string[];
}

interface Spec<T> {
  roles: readonly Role[];
  check?: (user: AuthUser, target: T) => boolean;
}
const perm = <T = void>(roles: readonly Role[], check?: (user: AuthUser, target: T) => boolean): Spec<T> => ({
  roles,
  check,
});

// ---------- the rules the permissions share ----------

/** City HR (人教处) or a system administrator. */
const cityHr = (u: AuthUser): boolean => hasRole(u, "sys_admin") || (u.orgId === CITY_ORG_ID && hasRole(u, "hr_admin"));
const administers = (u: AuthUser, t: OrgTarget): boolean => canAdministerOrg(u, t.orgId);
/** The division's head, or an administrator of its organisation (or a city-wide role). */
const headOrAdmin = (u: AuthUser, t: DivisionTarget): boolean =>
  canAdministerOrg(u, t.orgId) || (hasRole(u, "division_head") && u.divisionId === t.divisionId);
/** The person themself, their division's head, or an administrator of their organisation. */
const selfHeadOrAdmin = (u: AuthUser, t: PersonTarget): boolean =>
  (t.staffId !== null && u.staffId === t.staffId) || headOrAdmin(u, t);
/** "The office" of an organisation: its office members, its county administrator, system admins. */
const officeOf = (u: AuthUser, t: OfficeTarget): boolean => {
  if (hasRole(u, "sys_admin")) return true;
  if (t.officeOf === t.orgId) return true;
  return u.orgId === t.orgId && t.orgId !== CITY_ORG_ID && hasRole(u, "county_admin");
};

/** What city HR may grant: everything but the bureau-wide roles (局领导, 系统管理员). */
const CITY_HR_GRANTS: readonly Role[] = ["staff", "division_head", "hr_admin", "county_admin"];
/** What an organisation's own administrators (county admin, county HR) may grant. */
const ORG_ADMIN_GRANTS: readonly Role[] = ["staff", "division_head"];

/**
 * The roles a user may grant. An account holding any other role is out of their reach: they may not
 * reset, unlock, disable or re-role it, so no one can take over an account more powerful than the
 * roles they could hand out.
 */
export function grantableRoles(u: AuthUser): readonly Role[] {
  if (hasRole(u, "sys_admin")) return ROLES;
  if (cityHr(u)) return CITY_HR_GRANTS;
  if (hasRole(u, "hr_admin", "county_admin")) return ORG_ADMIN_GRANTS;
  return [];
}
const grants = (u: AuthUser, t: GrantTarget): boolean =>
  administers(u, t) && t.roles.every((r) => grantableRoles(u).includes(r));

// ---------- the table ----------

export const PERMISSIONS = {
  // accounts
  /** List the accounts of organisations the caller administers. */
  "accounts.administer": perm<OrgTarget>(["sys_admin", "hr_admin", "county_admin"], administers),
  /**
   * Reset, unlock, disable or re-role an account: someone else's, in an organisation the caller
   * administers, holding only roles the caller may grant (their own account is changed through the
   * password change, never here).
   */
  "accounts.manage": perm<AccountTarget>(
    ["sys_admin", "hr_admin", "county_admin"],
    (u, t) => t.accountId !== u.accountId && grants(u, t),
  ),
  /** Give an account of an organisation these roles (on creation, or as a role change). */
  "accounts.grant": perm<GrantTarget>(["sys_admin", "hr_admin", "county_admin"], grants),
  // audit
  "audit.read": perm(["sys_admin"]),
  /** See the durable events that failed their consumers (dead letters) and replay them. */
  "events.replayDeadLetters": perm(["sys_admin"]),
  // personnel
  /** Create and change staff and posts, import and export them, import attendance. */
  "staff.administer": perm<OrgTarget>(ADMIN_ROLES, administers),
  /** See personal fields (phone, birth date) of staff in an organisation. */
  "staff.readPrivate": perm<OrgTarget>(ADMIN_ROLES, administers),
  "attendance.enter": perm<DivisionTarget>(["division_head", ...ADMIN_ROLES], headOrAdmin),
  /** See a person's attendance: themself, or whoever may enter their division's. */
  "attendance.read": perm<PersonTarget>(ROLES, selfHeadOrAdmin),
  // plans
  /** Create and change a division's tasks, arrangement and completion. */
  "plans.editDivision": perm<DivisionTarget>(["division_head", ...ADMIN_ROLES], headOrAdmin),
  "plans.import": perm(["division_head", "hr_admin", "county_admin", "sys_admin", "leader"]),
  "plans.approve": perm(["hr_admin", "sys_admin"], cityHr),
  "plans.setDeadlines": perm(["hr_admin", "sys_admin"], cityHr),
  /** The completion matrix of an organisation. */
  "plans.readMatrix": perm<OrgTarget>(["hr_admin", "leader", "county_admin", "sys_admin"], administers),
  "plans.readOverdue": perm(["hr_admin", "county_admin", "sys_admin", "leader", "division_head"]),
  // worklog
  "worklog.setPolicy": perm<OrgTarget>(ADMIN_ROLES, administers),
  /** Write the organisation's weekly log: its administrators and the authors its policy names. */
  "worklog.writeOrgLog": perm<OrgLogTarget>(
    ROLES,
    (u, t) => canAdministerOrg(u, t.orgId) || (!!u.staffId && t.orgLogAuthors.includes(u.staffId)),
  ),
  /** Mark a day working or not (工作日调整). */
  "calendar.setOverrides": perm(["sys_admin", "hr_admin"], cityHr),
  // reminders
  /** Reminder settings, the SMS log and the daily summary of an organisation. */
  "reminders.read": perm<OrgTarget>(ADMIN_ROLES, administers),
  "reminders.configure": perm<OrgTarget>(["hr_admin", "county_admin", "sys_admin"], administers),
  // assessment
  "assessment.rebuild": perm(["hr_admin", "sys_admin"], isCityWide),
  "assessment.editScheme": perm(["hr_admin"], isCityWide),
  "assessment.freeze": perm(["hr_admin"], isCityWide),
  /** Frozen snapshots (every person's results, unredacted) and what a re-run would change: city-wide roles only. */
  "assessment.readResults": perm(["hr_admin", "leader", "sys_admin"], isCityWide),
  "assessment.importLearning": perm<OrgTarget>(["hr_admin", "county_admin", "sys_admin"], administers),
  "assessment.pushLearning": perm(["hr_admin", "sys_admin"]),
  /** A person's unredacted results. */
  "assessment.readPrivate": perm<PersonTarget>(ROLES, selfHeadOrAdmin),
  // info
  /** Review an organisation's reports and publicity (as its office). */
  "info.review": perm<OfficeTarget>(ROLES, officeOf),
  "info.configure": perm(["hr_admin", "sys_admin"], isCityWide),
  "info.readFacts": perm(["hr_admin", "leader", "sys_admin"]),
  // notices
  /**
   * Publish to a scope: the whole bureau is the city's (city office, city-wide roles); an
   * organisation is its office's and administrators'; a division is also its own head's.
   */
  "notices.publish": perm<NoticeTarget>(ROLES, (u, { scope, scopeOrgId, officeOf: office }) => {
    if (scope.type === "bureau") return isCityWide(u) || officeOf(u, { orgId: CITY_ORG_ID, officeOf: office });
    if (canAdministerOrg(u, scopeOrgId) || officeOf(u, { orgId: scopeOrgId, officeOf: office })) return true;
    return scope.type === "division" && hasRole(u, "division_head") && u.divisionId === scope.id;
  }),
  "notices.rebuildReads": perm(["sys_admin"]),
  // documents
  /** See a document: its participants, the leaders of the organisations involved, anyone once it is published (公开). */
  "documents.read": perm<DocumentTarget>(
    ROLES,
    (u, t) =>
      t.published ||
      (!!u.staffId && t.participants.has(u.staffId)) ||
      (hasRole(u, "leader") && t.involvedOrgIds.has(u.orgId)),
  ),
  /** Issue (编号, 分发), register incoming documents (收文登记) and archive: the organisation's office. */
  "documents.office": perm<OfficeTarget>(ROLES, officeOf),
  /** Edit an organisation's flows. */
  "documents.configureFlows": perm<OrgTarget>(["sys_admin", "hr_admin", "county_admin"], administers),
  /** On-time handling per division and county (效能监督). */
  "documents.oversee": perm<OrgTarget>(ADMIN_ROLES, administers),
} satisfies Record<string, Spec<never>>;

export type Permission = keyof typeof PERMISSIONS;
export type TargetOf<P extends Permission> = (typeof PERMISSIONS)[P] extends Spec<infer T> ? T : never;
type TargetArgs<P extends Permission> = [TargetOf<P>] extends [void] ? [] : [target: TargetOf<P>];

/** The roles that hold the permission (somewhere): for menus, and as an action's `auth`. */
export const holds = (user: AuthUser, permission: Permission): boolean =>
  hasRole(user, ...PERMISSIONS[permission].roles);

/** May the user do this (to this target)? Holds one of its roles and passes its object-level check. */
export function may<P extends Permission>(user: AuthUser, permission: P, ...[target]: TargetArgs<P>): boolean {
  const spec = PERMISSIONS[permission] as Spec<TargetOf<P> | undefined>;
  return holds(user, permission) && (!spec.check || spec.check(user, target));
}

/** An action's `auth` rule: the roles that hold the permission. */
export const rolesOf = (permission: Permission): Extract<AuthRule, { roles: Role[] }> => ({
  roles: [...PERMISSIONS[permission].roles],
});

/** The organisation whose office division the user belongs to (their division, as the org refs know it). */
export const officeOrgOf = (user: AuthUser, division: { kind: string; orgId: string } | undefined): string | null =>
  division?.kind === "office" && division.orgId === user.orgId ? user.orgId : null;

/** `may` for an action's caller: a trusted system call is allowed everything, an anonymous one nothing. */
export function allowed<P extends Permission>(meta: CallMeta, permission: P, ...target: TargetArgs<P>): boolean {
  return !!meta.system || (!!meta.user && may(meta.user, permission, ...target));
}
