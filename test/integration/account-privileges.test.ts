/**
 * Who may do what to whose account (README, "Who may do what"), one test per row, through the
 * gateway with the real accounts, personnel and audit services over NATS, Redis and FerretDB.
 * An account holding a role the caller could not grant is out of their reach.
 */
import type { ServiceBroker } from "moleculer";
import type { AddressInfo } from "node:net";
import { schemas, startNode, SYSTEM, useTestNamespace } from "../support/broker";
import { client } from "../support/http";

useTestNamespace();
process.env.LOGIN_RATE_LIMIT = "1000";

const PASSWORD = "Mingbai@2026";
const NEW = "Reset#2026abc";
const nodes: ServiceBroker[] = [];
let http: ReturnType<typeof client>;
let bus: ServiceBroker;
const sysUser = {
  accountId: "x",
  sessionId: "x",
  staffId: null,
  name: "测试管理员",
  orgId: "city",
  divisionId: null,
  roles: ["sys_admin"],
};
const asSys = { meta: { user: sysUser } };

interface Acc {
  id: string;
  username: string;
  orgId: string;
  roles: string[];
}
/** Plain staff accounts of an organisation, not division heads, not demo role logins. */
let plain: Record<string, Acc[]>;
const byUsername = async (username: string): Promise<Acc> => {
  const r = (await bus.call("accounts.list", { q: username }, asSys)) as { items: Acc[] };
  return r.items.find((a) => a.username === username)!;
};
const token = async (username: string, password = PASSWORD): Promise<string> => {
  const r = await http.post("/api/accounts/login", { username, password });
  if (r.status !== 200) throw new Error(`${username}: ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
};
const reset = (t: string, a: Acc) => http.post(`/api/accounts/${a.id}/password`, { newPassword: NEW }, t);
const disable = (t: string, a: Acc) => http.put(`/api/accounts/${a.id}/disabled`, { disabled: true }, t);
const setRoles = (t: string, a: Acc, roles: string[]) => http.put(`/api/accounts/${a.id}/roles`, { roles }, t);
const rolesNow = async (a: Acc) => (await byUsername(a.username)).roles;
/** A refused attempt leaves the account as it was: its password still opens it, it is enabled. */
const untouched = async (a: Acc) =>
  expect((await http.post("/api/accounts/login", { username: a.username, password: PASSWORD })).status).toBe(200);
let zbSecondAdmin: Acc;
let zbHr: Acc;

beforeAll(async () => {
  for (const name of ["personnel", "accounts", "audit"] as const)
    nodes.push(await startNode(name, await schemas(name)));
  nodes.push(await startNode("gateway", await schemas("gateway")));
  bus = nodes[0];
  const { seedDemo } = await import("../../services/seed");
  await seedDemo(bus, false, () => undefined, ["personnel", "accounts"]);
  const gw = nodes[nodes.length - 1].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  http = client(`http://127.0.0.1:${gw.server.address().port}`);
  const all = (await bus.call("accounts.list", { limit: 200, orgId: "zhangbei" }, asSys)) as { items: Acc[] };
  const kb = (await bus.call("accounts.list", { limit: 200, orgId: "kangbao" }, asSys)) as { items: Acc[] };
  const isPlain = (a: Acc) => a.roles.length === 1 && a.roles[0] === "staff" && a.username.startsWith("s-");
  plain = { zhangbei: all.items.filter(isPlain), kangbao: kb.items.filter(isPlain) };
  // A second county administrator and a county HR administrator in 张北县, made by the system admin.
  [zbSecondAdmin, zbHr] = plain.zhangbei.splice(0, 2);
  await bus.call("accounts.setRoles", { id: zbSecondAdmin.id, roles: ["staff", "county_admin"] }, asSys);
  await bus.call("accounts.setRoles", { id: zbHr.id, roles: ["staff", "hr_admin"] }, asSys);
  zbSecondAdmin.roles = ["staff", "county_admin"];
  zbHr.roles = ["staff", "hr_admin"];
}, 180_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

const next = (org: string): Acc => plain[org].shift()!;

describe("系统管理员 (sys_admin)", () => {
  test("when the system admin resets a leader's password and changes a county admin's roles, then both are done", async () => {
    const t = await token("admin");
    const leader = next("zhangbei");
    await bus.call("accounts.setRoles", { id: leader.id, roles: ["staff", "leader"] }, asSys);
    expect((await reset(t, leader)).status).toBe(200);
    expect((await http.post("/api/accounts/login", { username: leader.username, password: NEW })).status).toBe(200);
    const r = await setRoles(t, zbSecondAdmin, ["staff", "county_admin", "division_head"]);
    expect(r.status).toBe(200);
    expect(await rolesNow(zbSecondAdmin)).toEqual(["staff", "county_admin", "division_head"]);
    await setRoles(t, zbSecondAdmin, ["staff", "county_admin"]);
  });

  test("when the system admin acts on their own account here, then 403 OWN_ACCOUNT: their password is changed by the password change", async () => {
    const t = await token("admin");
    const me = await byUsername("admin");
    for (const r of [await reset(t, me), await disable(t, me), await setRoles(t, me, ["staff"])])
      expect([r.status, r.body.error.type]).toEqual([403, "OWN_ACCOUNT"]);
    expect(await rolesNow(me)).toContain("sys_admin");
    await untouched(me);
  });
});

describe("市局人教处 (city hr_admin)", () => {
  test("when city HR resets a county admin's password and makes a county staff member county admin, then both are done", async () => {
    const t = await token("hr");
    const s = next("kangbao");
    expect((await setRoles(t, s, ["staff", "county_admin"])).status).toBe(200);
    expect(await rolesNow(s)).toEqual(["staff", "county_admin"]);
    expect((await reset(t, s)).status).toBe(200);
    expect((await http.post("/api/accounts/login", { username: s.username, password: NEW })).status).toBe(200);
  });

  test("when city HR tries to reset, disable or re-role the system admin's or a leader's account, then 403 and nothing changes", async () => {
    const t = await token("hr");
    for (const username of ["admin", "leader"]) {
      const a = await byUsername(username);
      const before = a.roles;
      for (const r of [await reset(t, a), await disable(t, a), await setRoles(t, a, ["staff"])])
        expect([username, r.status, r.body.error.type]).toEqual([username, 403, "ACCOUNT_OUT_OF_REACH"]);
      expect(await rolesNow(a)).toEqual(before);
    }
    await untouched(await byUsername("leader"));
    await untouched(await byUsername("admin"));
  });

  test("when city HR tries to grant a leader's or system admin's role, then 403 ROLE_NOT_GRANTABLE and the roles stay", async () => {
    const t = await token("hr");
    const s = next("zhangbei");
    for (const role of ["leader", "sys_admin"]) {
      const r = await setRoles(t, s, ["staff", role]);
      expect([r.status, r.body.error.type]).toEqual([403, "ROLE_NOT_GRANTABLE"]);
    }
    expect(await rolesNow(s)).toEqual(["staff"]);
  });
});

describe("县区管理员 (county_admin) and county HR", () => {
  test("when a county admin resets, disables and makes division head a staff member of their county, then it is done", async () => {
    const t = await token("county");
    const [a, b] = [next("zhangbei"), next("zhangbei")];
    expect((await reset(t, a)).status).toBe(200);
    expect((await http.post("/api/accounts/login", { username: a.username, password: NEW })).status).toBe(200);
    expect((await setRoles(t, a, ["staff", "division_head"])).status).toBe(200);
    expect((await disable(t, b)).status).toBe(200);
    expect((await http.post("/api/accounts/login", { username: b.username, password: PASSWORD })).body.error.type).toBe(
      "ACCOUNT_DISABLED",
    );
  });

  test("when a county admin tries to take over another administrator's account of the same county, then 403 and nothing changes", async () => {
    const t = await token("county");
    for (const a of [zbSecondAdmin, zbHr]) {
      for (const r of [await reset(t, a), await disable(t, a), await setRoles(t, a, ["staff"])])
        expect([a.username, r.status, r.body.error.type]).toEqual([a.username, 403, "ACCOUNT_OUT_OF_REACH"]);
      expect(await rolesNow(a)).toEqual(a.roles);
      await untouched(a);
    }
  });

  test("when county HR tries to reset the county admin's password, then 403 and the password still works", async () => {
    const t = await token(zbHr.username);
    const county = await byUsername("county");
    expect((await reset(t, county)).status).toBe(403);
    await untouched(county);
  });

  test("when a county admin acts on another county's staff account, then 403 and nothing changes", async () => {
    const t = await token("county");
    const a = next("kangbao");
    for (const r of [await reset(t, a), await disable(t, a), await setRoles(t, a, ["staff", "division_head"])])
      expect(r.status).toBe(403);
    expect(await rolesNow(a)).toEqual(["staff"]);
    await untouched(a);
  });

  test("when a county admin tries to grant an administrator's role, by role change or on a new account, then 403 ROLE_NOT_GRANTABLE", async () => {
    const t = await token("county");
    const a = next("zhangbei");
    for (const role of ["county_admin", "hr_admin", "leader"]) {
      const r = await setRoles(t, a, ["staff", role]);
      expect([role, r.status, r.body.error.type]).toEqual([role, 403, "ROLE_NOT_GRANTABLE"]);
    }
    expect(await rolesNow(a)).toEqual(["staff"]);
    const staffId = (await bus.call("personnel.staff.directory", { orgId: "zhangbei" }, SYSTEM)) as { id: string }[];
    const created = await http.post(
      "/api/accounts",
      { staffId: staffId[0].id, username: "zb.newadmin", password: "Abcdef#1234", roles: ["county_admin"] },
      t,
    );
    expect([created.status, created.body.error.type]).toEqual([403, "ROLE_NOT_GRANTABLE"]);
  });
});

describe("局领导, 处室负责人, 干部职工 (leader, division_head, staff)", () => {
  test("when anyone without an administrator's role resets, disables or re-roles an account, then 403 and nothing changes", async () => {
    const a = next("zhangbei");
    for (const username of ["leader", "head", "staff"]) {
      const t = await token(username);
      for (const r of [await reset(t, a), await disable(t, a), await setRoles(t, a, ["staff", "division_head"])])
        expect([username, r.status]).toEqual([username, 403]);
    }
    expect(await rolesNow(a)).toEqual(["staff"]);
    await untouched(a);
  });
});

describe("a password that must be changed", () => {
  test("when someone signs in with a reset password, then only the password change, their account and sign-out answer until it is changed", async () => {
    const a = next("zhangbei");
    await bus.call("accounts.resetPassword", { id: a.id, newPassword: NEW }, asSys);
    const login = await http.post("/api/accounts/login", { username: a.username, password: NEW });
    expect([login.status, login.body.mustChangePassword]).toEqual([200, true]);
    const t = login.body.accessToken as string;
    const staffPath = `/api/personnel/staff/${login.body.user.staffId}`;
    const refused = await http.get(staffPath, t);
    expect([refused.status, refused.body.error.type]).toEqual([403, "PASSWORD_CHANGE_REQUIRED"]);
    // A refreshed token is held to the same.
    const refreshed = await http.post("/api/accounts/refresh", { refreshToken: login.body.refreshToken });
    expect((await http.get(staffPath, refreshed.body.accessToken)).body.error.type).toBe("PASSWORD_CHANGE_REQUIRED");
    expect((await http.get("/api/accounts/me", refreshed.body.accessToken)).status).toBe(200);
    const changed = await http.post(
      "/api/accounts/password",
      { currentPassword: NEW, newPassword: "Mine#2026xyz" },
      refreshed.body.accessToken,
    );
    expect(changed.status).toBe(200);
    expect((await http.get(staffPath, refreshed.body.accessToken)).status).toBe(200);
    const again = await http.post("/api/accounts/login", { username: a.username, password: "Mine#2026xyz" });
    expect(again.body.mustChangePassword).toBe(false);
    expect((await http.get(staffPath, again.body.accessToken)).status).toBe(200);
  });

  test("when a must-change session signs out, then it ends", async () => {
    const a = next("zhangbei");
    await bus.call("accounts.resetPassword", { id: a.id, newPassword: NEW }, asSys);
    const t = (await http.post("/api/accounts/login", { username: a.username, password: NEW })).body.accessToken;
    expect((await http.post("/api/accounts/logout", {}, t)).status).toBe(200);
    expect((await http.get("/api/accounts/me", t)).status).toBe(401);
  });
});
