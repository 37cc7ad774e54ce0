import type { ActionSchema } from "moleculer";
import { canAdministerOrg, type AuthUser, type Role } from "../../../shared/auth";
import { checkAuth } from "../../../shared/middlewares/authz";
import { may } from "../../../shared/permissions";

const seesPersonalFields = (u: AuthUser, orgId: string): boolean => may(u, "staff.readPrivate", { orgId });

const user = (roles: Role[], orgId = "city", divisionId: string | null = "d1"): AuthUser => ({
  accountId: "a",
  sessionId: "s",
  staffId: "s1",
  name: "甲",
  orgId,
  divisionId,
  roles,
});

describe("the authz rules declared on actions", () => {
  const act = (auth?: ActionSchema["auth"]): ActionSchema => ({ name: "x.y", auth });

  test("when an action has no rule, then any signed-in member passes and anonymous gets 401", () => {
    expect(() => checkAuth(act(), { user: user(["staff"]) })).not.toThrow();
    expect(() => checkAuth(act(), {})).toThrow(expect.objectContaining({ code: 401 }));
  });

  test("when an action names roles, then other roles get 403", () => {
    expect(() => checkAuth(act({ roles: ["sys_admin"] }), { user: user(["staff", "hr_admin"]) })).toThrow(
      expect.objectContaining({ code: 403 }),
    );
    expect(() => checkAuth(act({ roles: ["sys_admin"] }), { user: user(["sys_admin"]) })).not.toThrow();
  });

  test("when an action is internal, then only system calls pass, never a user request", () => {
    expect(() => checkAuth(act("internal"), { user: user(["sys_admin"]) })).toThrow(
      expect.objectContaining({ code: 403 }),
    );
    expect(() => checkAuth(act("internal"), {})).toThrow(expect.objectContaining({ code: 401 }));
    expect(() => checkAuth(act("internal"), { system: true })).not.toThrow();
  });

  test("when an action is public, then anonymous callers pass", () => {
    expect(() => checkAuth(act("public"), {})).not.toThrow();
  });
});

describe("organisation scope", () => {
  test("when a county admin acts, then only their own county is in scope", () => {
    const u = user(["county_admin"], "zhangbei");
    expect(canAdministerOrg(u, "zhangbei")).toBe(true);
    expect(canAdministerOrg(u, "kangbao")).toBe(false);
    expect(seesPersonalFields(u, "kangbao")).toBe(false);
  });

  test("when city HR or a leader acts, then every organisation is in scope", () => {
    expect(canAdministerOrg(user(["hr_admin"], "city"), "kangbao")).toBe(true);
    expect(seesPersonalFields(user(["leader"], "city"), "kangbao")).toBe(true);
  });

  test("when county HR acts, then another county is out of scope; plain staff see no personal fields", () => {
    expect(canAdministerOrg(user(["hr_admin"], "zhangbei"), "kangbao")).toBe(false);
    expect(seesPersonalFields(user(["staff", "division_head"], "city"), "city")).toBe(false);
  });
});
