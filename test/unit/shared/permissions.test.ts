import type { AuthUser, Role } from "../../../shared/auth";
import { PERMISSIONS, allowed, holds, may, rolesOf, type Permission } from "../../../shared/permissions";

const user = (
  roles: Role[],
  orgId = "zhangbei",
  divisionId: string | null = "zb-budget",
  staffId: string | null = "s1",
): AuthUser => ({
  accountId: "a",
  sessionId: "s",
  staffId,
  name: "甲",
  orgId,
  divisionId,
  roles,
});

const U = {
  staff: user(["staff"]),
  otherStaff: user(["staff"], "zhangbei", "zb-budget", "s2"),
  head: user(["staff", "division_head"]),
  otherHead: user(["staff", "division_head"], "zhangbei", "zb-tax", "s3"),
  countyAdmin: user(["county_admin"]),
  countyHr: user(["hr_admin"]),
  countyHrLeader: user(["hr_admin", "leader"]),
  cityCountyAdmin: user(["county_admin"], "city", "city-it"),
  cityHr: user(["hr_admin"], "city", "city-hr"),
  leader: user(["leader"], "city", "city-leadership"),
  sysAdmin: user(["sys_admin"], "city", "city-it"),
};
type Who = keyof typeof U;

const ZB = { orgId: "zhangbei" };
const KB = { orgId: "kangbao" };
const DIV = { orgId: "zhangbei", divisionId: "zb-budget" };
const S1 = { ...DIV, staffId: "s1" };
const NOBODY = { ...DIV, staffId: null };
const bureau = { type: "bureau" as const, id: null };

// (who, permission, target) → allowed; every permission appears at least once allowed and once refused.
const CASES: [Who, Permission, unknown, boolean][] = [
  ["countyAdmin", "accounts.administer", ZB, true],
  ["countyHr", "accounts.administer", ZB, true],
  ["countyAdmin", "accounts.administer", KB, false],
  ["cityHr", "accounts.administer", KB, true],
  ["leader", "accounts.administer", ZB, false],
  // Accounts out of reach: holding a role the caller could not grant, elsewhere, or their own.
  ["sysAdmin", "accounts.manage", { ...KB, accountId: "b", roles: ["sys_admin"] }, true],
  ["sysAdmin", "accounts.manage", { ...KB, accountId: "a", roles: ["staff"] }, false],
  ["cityHr", "accounts.manage", { ...KB, accountId: "b", roles: ["county_admin", "hr_admin"] }, true],
  ["cityHr", "accounts.manage", { orgId: "city", accountId: "b", roles: ["staff", "leader"] }, false],
  ["cityHr", "accounts.manage", { orgId: "city", accountId: "b", roles: ["sys_admin"] }, false],
  ["countyAdmin", "accounts.manage", { ...ZB, accountId: "b", roles: ["staff", "division_head"] }, true],
  ["countyAdmin", "accounts.manage", { ...ZB, accountId: "b", roles: ["county_admin"] }, false],
  ["countyHr", "accounts.manage", { ...ZB, accountId: "b", roles: ["hr_admin"] }, false],
  ["countyAdmin", "accounts.manage", { ...KB, accountId: "b", roles: ["staff"] }, false],
  ["leader", "accounts.manage", { ...ZB, accountId: "b", roles: ["staff"] }, false],
  ["sysAdmin", "accounts.grant", { ...ZB, roles: ["leader"] }, true],
  ["cityHr", "accounts.grant", { ...ZB, roles: ["county_admin"] }, true],
  ["cityHr", "accounts.grant", { ...ZB, roles: ["leader"] }, false],
  ["countyAdmin", "accounts.grant", { ...ZB, roles: ["division_head"] }, true],
  ["countyAdmin", "accounts.grant", { ...ZB, roles: ["hr_admin"] }, false],
  ["sysAdmin", "audit.read", undefined, true],
  ["cityHr", "audit.read", undefined, false],
  ["sysAdmin", "events.replayDeadLetters", undefined, true],
  ["cityHr", "events.replayDeadLetters", undefined, false],

  ["countyHr", "staff.administer", ZB, true],
  ["leader", "staff.administer", KB, true],
  ["countyAdmin", "staff.administer", KB, false],
  ["head", "staff.administer", ZB, false],
  ["cityHr", "staff.readPrivate", KB, true],
  ["countyAdmin", "staff.readPrivate", ZB, true],
  ["countyHr", "staff.readPrivate", KB, false],
  ["head", "staff.readPrivate", ZB, false],
  ["head", "attendance.enter", DIV, true],
  ["otherHead", "attendance.enter", DIV, false],
  ["countyAdmin", "attendance.enter", DIV, true],
  ["staff", "attendance.enter", DIV, false],
  ["staff", "attendance.read", S1, true],
  ["otherStaff", "attendance.read", S1, false],
  ["head", "attendance.read", S1, true],
  ["leader", "attendance.read", NOBODY, true],
  ["staff", "attendance.read", NOBODY, false],

  ["head", "plans.editDivision", DIV, true],
  ["otherHead", "plans.editDivision", DIV, false],
  ["cityHr", "plans.editDivision", DIV, true],
  ["countyHr", "plans.editDivision", { orgId: "kangbao", divisionId: "kb-budget" }, false],
  ["staff", "plans.editDivision", DIV, false],
  ["head", "plans.import", undefined, true],
  ["staff", "plans.import", undefined, false],
  ["cityHr", "plans.approve", undefined, true],
  ["sysAdmin", "plans.approve", undefined, true],
  ["countyHr", "plans.approve", undefined, false],
  ["countyHrLeader", "plans.approve", undefined, false],
  ["leader", "plans.approve", undefined, false],
  ["cityHr", "plans.setDeadlines", undefined, true],
  ["countyHr", "plans.setDeadlines", undefined, false],
  ["countyAdmin", "plans.readMatrix", ZB, true],
  ["countyAdmin", "plans.readMatrix", KB, false],
  ["leader", "plans.readMatrix", KB, true],
  ["head", "plans.readMatrix", ZB, false],
  ["head", "plans.readOverdue", undefined, true],
  ["staff", "plans.readOverdue", undefined, false],

  ["countyHr", "worklog.setPolicy", ZB, true],
  ["countyHr", "worklog.setPolicy", KB, false],
  ["leader", "worklog.setPolicy", KB, true],
  ["staff", "worklog.writeOrgLog", { ...ZB, orgLogAuthors: ["s1"] }, true],
  ["staff", "worklog.writeOrgLog", { ...ZB, orgLogAuthors: ["s2"] }, false],
  ["countyAdmin", "worklog.writeOrgLog", { ...ZB, orgLogAuthors: [] }, true],
  ["countyAdmin", "worklog.writeOrgLog", { ...KB, orgLogAuthors: [] }, false],
  ["cityHr", "calendar.setOverrides", undefined, true],
  ["sysAdmin", "calendar.setOverrides", undefined, true],
  ["countyHr", "calendar.setOverrides", undefined, false],
  ["leader", "calendar.setOverrides", undefined, false],

  ["leader", "reminders.read", KB, true],
  ["countyAdmin", "reminders.read", ZB, true],
  ["countyAdmin", "reminders.read", KB, false],
  ["head", "reminders.read", ZB, false],
  ["countyAdmin", "reminders.configure", ZB, true],
  ["countyAdmin", "reminders.configure", KB, false],
  ["leader", "reminders.configure", ZB, false],

  ["cityHr", "assessment.rebuild", undefined, true],
  ["sysAdmin", "assessment.rebuild", undefined, true],
  ["countyHrLeader", "assessment.rebuild", undefined, true],
  ["countyHr", "assessment.rebuild", undefined, false],
  ["leader", "assessment.rebuild", undefined, false],
  ["cityHr", "assessment.editScheme", undefined, true],
  ["countyHr", "assessment.editScheme", undefined, false],
  ["sysAdmin", "assessment.editScheme", undefined, false],
  ["cityHr", "assessment.freeze", undefined, true],
  ["sysAdmin", "assessment.freeze", undefined, false],
  ["leader", "assessment.readResults", undefined, true],
  ["countyAdmin", "assessment.readResults", undefined, false],
  ["countyAdmin", "assessment.importLearning", ZB, true],
  ["countyAdmin", "assessment.importLearning", KB, false],
  ["leader", "assessment.importLearning", ZB, false],
  ["sysAdmin", "assessment.pushLearning", undefined, true],
  ["countyAdmin", "assessment.pushLearning", undefined, false],
  ["staff", "assessment.readPrivate", S1, true],
  ["otherStaff", "assessment.readPrivate", S1, false],
  ["head", "assessment.readPrivate", S1, true],
  ["countyHr", "assessment.readPrivate", { orgId: "kangbao", divisionId: "kb-budget", staffId: "s9" }, false],

  ["staff", "info.review", { ...ZB, officeOf: "zhangbei" }, true],
  ["staff", "info.review", { ...ZB, officeOf: null }, false],
  ["staff", "info.review", { ...KB, officeOf: "zhangbei" }, false],
  ["countyAdmin", "info.review", { ...ZB, officeOf: null }, true],
  ["cityCountyAdmin", "info.review", { orgId: "city", officeOf: null }, false],
  ["sysAdmin", "info.review", { ...KB, officeOf: null }, true],
  ["cityHr", "info.review", { ...ZB, officeOf: null }, false],
  ["cityHr", "info.configure", undefined, true],
  ["sysAdmin", "info.configure", undefined, true],
  ["countyHr", "info.configure", undefined, false],
  ["leader", "info.readFacts", undefined, true],
  ["countyAdmin", "info.readFacts", undefined, false],

  ["leader", "notices.publish", { scope: bureau, scopeOrgId: "city", officeOf: null }, true],
  ["staff", "notices.publish", { scope: bureau, scopeOrgId: "city", officeOf: "city" }, true],
  ["countyAdmin", "notices.publish", { scope: bureau, scopeOrgId: "city", officeOf: null }, false],
  [
    "countyAdmin",
    "notices.publish",
    { scope: { type: "org", id: "zhangbei" }, scopeOrgId: "zhangbei", officeOf: null },
    true,
  ],
  [
    "countyAdmin",
    "notices.publish",
    { scope: { type: "org", id: "kangbao" }, scopeOrgId: "kangbao", officeOf: null },
    false,
  ],
  [
    "staff",
    "notices.publish",
    { scope: { type: "org", id: "zhangbei" }, scopeOrgId: "zhangbei", officeOf: "zhangbei" },
    true,
  ],
  [
    "head",
    "notices.publish",
    { scope: { type: "org", id: "zhangbei" }, scopeOrgId: "zhangbei", officeOf: null },
    false,
  ],
  [
    "head",
    "notices.publish",
    { scope: { type: "division", id: "zb-budget" }, scopeOrgId: "zhangbei", officeOf: null },
    true,
  ],
  [
    "otherHead",
    "notices.publish",
    { scope: { type: "division", id: "zb-budget" }, scopeOrgId: "zhangbei", officeOf: null },
    false,
  ],
  ["sysAdmin", "notices.rebuildReads", undefined, true],
  ["cityHr", "notices.rebuildReads", undefined, false],
  // documents: participants see a document, leaders of the organisations involved too, anyone once published
  [
    "staff",
    "documents.read",
    { participants: new Set(["s1"]), involvedOrgIds: new Set(["city"]), published: false },
    true,
  ],
  [
    "otherStaff",
    "documents.read",
    { participants: new Set(["s1"]), involvedOrgIds: new Set(["zhangbei"]), published: false },
    false,
  ],
  [
    "leader",
    "documents.read",
    { participants: new Set(["s9"]), involvedOrgIds: new Set(["city"]), published: false },
    true,
  ],
  [
    "leader",
    "documents.read",
    { participants: new Set(["s9"]), involvedOrgIds: new Set(["kangbao"]), published: false },
    false,
  ],
  ["otherStaff", "documents.read", { participants: new Set(), involvedOrgIds: new Set(), published: true }, true],
  ["staff", "documents.office", { orgId: "zhangbei", officeOf: "zhangbei" }, true],
  ["staff", "documents.office", { orgId: "zhangbei", officeOf: null }, false],
  ["countyAdmin", "documents.configureFlows", ZB, true],
  ["countyAdmin", "documents.configureFlows", KB, false],
  ["countyHr", "documents.oversee", ZB, true],
  ["staff", "documents.oversee", ZB, false],
];

const check = may as (u: AuthUser, p: Permission, t?: unknown) => boolean;

describe("the named permissions", () => {
  test.each(CASES)("when %s asks %s of %j, then the answer is %s", (who, permission, target, expected) => {
    expect(check(U[who], permission, target)).toBe(expected);
  });

  test("when the table is read, then every permission has a case allowed and a case refused", () => {
    for (const p of Object.keys(PERMISSIONS) as Permission[]) {
      const answers = CASES.filter((c) => c[1] === p).map((c) => c[3]);
      expect([p, answers.includes(true), answers.includes(false)]).toEqual([p, true, true]);
    }
  });

  test("when an action declares rolesOf, then its auth is the permission's roles, a fresh array", () => {
    expect(rolesOf("plans.approve")).toEqual({ roles: ["hr_admin", "sys_admin"] });
    expect(rolesOf("staff.administer")).toEqual({ roles: ["hr_admin", "county_admin", "sys_admin", "leader"] });
    expect(rolesOf("audit.read").roles).not.toBe(PERMISSIONS["audit.read"].roles);
  });

  test("when a menu asks holds, then only the roles count, not the object-level check", () => {
    expect(holds(U.countyHr, "plans.approve")).toBe(true);
    expect(may(U.countyHr, "plans.approve")).toBe(false);
    expect(holds(U.staff, "staff.administer")).toBe(false);
  });

  test("when a trusted system call asks, then it is allowed; an anonymous call is not", () => {
    expect(allowed({ system: true }, "assessment.freeze")).toBe(true);
    expect(allowed({}, "plans.editDivision", DIV)).toBe(false);
    expect(allowed({ user: U.head }, "plans.editDivision", DIV)).toBe(true);
  });
});
