/**
 * The gateway over HTTP with the real accounts, personnel and audit services on separate
 * brokers over NATS, Redis and FerretDB: sign-in, sessions, lockout, audit, errors, bad input.
 */
import type { ServiceBroker } from "moleculer";
import fs from "node:fs";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
import { client } from "../support/http";
import { io as connect, type Socket } from "socket.io-client";
import { DB_SERVICES } from "../../shared/services";

useTestNamespace();
process.env.LOGIN_RATE_LIMIT = "40";
// The test client is the proxy: the addresses it writes in X-Forwarded-For are the clients'.
process.env.TRUSTED_PROXIES = "127.0.0.1,::1";
process.env.LOGIN_ACCOUNT_SLOWDOWN_FAILURES = "6";

// A stand-in for the built web client (web/dist): a page, and a hashed script with the build's
// .br and .gz copies beside it.
const SCRIPT = `console.log(${JSON.stringify("明白".repeat(2000))});`;
const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), "mingbai-web-"));
fs.mkdirSync(path.join(webRoot, "assets"));
fs.writeFileSync(path.join(webRoot, "index.html"), "<!doctype html><title>明白</title>");
fs.writeFileSync(path.join(webRoot, "assets/app-3f9a1c.js"), SCRIPT);
fs.writeFileSync(path.join(webRoot, "assets/app-3f9a1c.js.br"), zlib.brotliCompressSync(SCRIPT));
fs.writeFileSync(path.join(webRoot, "assets/app-3f9a1c.js.gz"), zlib.gzipSync(SCRIPT));
process.env.WEB_ROOT = webRoot;

/** A raw GET (fetch would decode the body and hide what was on the wire). */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on("error", reject)
      .end();
  });
}

const PASSWORD = "Mingbai@2026";
const nodes: ServiceBroker[] = [];
let http: ReturnType<typeof client>;
let base: string;
const url = (p: string) => base + p;
let admin: ServiceBroker;

async function login(username: string, password = PASSWORD, from?: string) {
  // A forged address first, as a client may send; the proxy appends the one it saw.
  const headers = from ? { "x-forwarded-for": `6.6.6.6, ${from}` } : undefined;
  return http.request("POST", "/api/accounts/login", { json: { username, password }, headers });
}
async function token(username: string): Promise<string> {
  const r = await login(username);
  expect(r.status).toBe(200);
  return r.body.accessToken;
}
const accountCount = async () =>
  ((await admin.call("accounts.list", { limit: 1 }, { meta: { user: sysUser } })) as { total: number }).total;
const auditEntries = async (action: string) =>
  ((await admin.call("audit.list", { action }, { meta: { user: sysUser } })) as { items: any[] }).items;
const sysUser = {
  accountId: "x",
  sessionId: "x",
  staffId: null,
  name: "测试管理员",
  orgId: "city",
  divisionId: null,
  roles: ["sys_admin"],
};

beforeAll(async () => {
  // Every service that owns data on a node of its own, as in production; the gateway last.
  for (const name of DB_SERVICES) nodes.push(await startNode(name, await schemas(name)));
  nodes.push(await startNode("gateway", await schemas("gateway")));
  admin = nodes[0];
  const { seedDemo } = await import("../../services/seed");
  await seedDemo(admin, false, () => undefined, ["personnel", "accounts"]);
  const gw = nodes[nodes.length - 1].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  base = `http://127.0.0.1:${gw.server.address().port}`;
  http = client(base);
}, 180_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
  fs.rmSync(webRoot, { recursive: true, force: true });
});

describe("the web client's files", () => {
  test("when the browser accepts brotli or gzip, then it gets the build's compressed copy, cached for a year", async () => {
    const br = await rawGet(url("/assets/app-3f9a1c.js"), { "accept-encoding": "gzip, deflate, br" });
    expect([br.status, br.headers["content-encoding"]]).toEqual([200, "br"]);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const gz = await rawGet(url("/assets/app-3f9a1c.js"), { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).toString()).toBe(SCRIPT);
    const plain = await rawGet(url("/assets/app-3f9a1c.js"));
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(SCRIPT);
  });

  test("when a page of the client is asked for, then index.html comes back uncached; an unknown API path is JSON 404", async () => {
    for (const p of ["/", "/me", "/logs/square?q=预算"]) {
      const r = await rawGet(url(encodeURI(p)));
      expect([p, r.status, r.body.toString()]).toEqual([p, 200, "<!doctype html><title>明白</title>"]);
      expect(r.headers["cache-control"]).toBe("no-cache");
    }
    const api = await rawGet(url("/api/nothing-here"));
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString()).error.type).toBe("NOT_FOUND");
  });
});

describe("probes and routing", () => {
  test("when /health and /ready are asked, then both answer 200 and /ready lists every dependency as up", async () => {
    expect((await http.get("/health")).status).toBe(200);
    const ready = await http.get("/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({
      nats: true,
      redis: true,
      ...Object.fromEntries(DB_SERVICES.map((s) => [s, true])),
    });
  });

  test("when a service is down, then its paths answer 503 to retry, not 404", async () => {
    // Every data service runs here but pages does not, as while its process restarts.
    const r = await http.get("/api/pages/person/s-00001");
    expect([r.status, r.body.error.type, r.headers.get("retry-after")]).toEqual([503, "SERVICE_UNAVAILABLE", "5"]);
    expect((await http.get("/api/worklog/no-such-route")).status).toBe(404);
  });

  test("when a service comes up, then its paths never answer 404 while its routes are being built", async () => {
    const seen = new Set<number>();
    const starting = startNode("pages", await schemas("pages")).then((n) => void nodes.push(n));
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      seen.add((await http.get("/api/pages/person/s-00001")).status);
      await new Promise((r) => setTimeout(r, 5));
    }
    await starting;
    // 503 until the gateway has the routes, then the route itself (401: no token).
    expect([...seen].sort()).toEqual([401, 503]);
  });

  test("when a route does not exist, then 404 comes back in the one error shape", async () => {
    const r = await http.get("/api/no/such/route");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { type: expect.any(String), message: expect.any(String) } });
  });

  test("when the OpenAPI document is fetched, then it lists routes with request schemas from the actions' params", async () => {
    const r = await http.get("/api/openapi.json");
    expect([r.status, r.body.error]).toEqual([200, undefined]);
    expect(r.body.openapi).toMatch(/^3\./);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(["/api/accounts/login", "/api/audit"]));
    expect(r.body.paths["/api/accounts/login"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/accounts.login",
    });
    expect(Object.keys(r.body.components.schemas["accounts.login"].properties).sort()).toEqual([
      "password",
      "username",
    ]);
  });
});

describe("sign-in and sessions", () => {
  test("when a user signs in with the right password, then the token opens their account and the login is audited", async () => {
    const r = await login("staff");
    expect(r.status).toBe(200);
    expect(r.body.user.roles).toContain("staff");
    const me = await http.get("/api/accounts/me", r.body.accessToken);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe("staff");
    const entries = await waitFor(
      () => auditEntries("auth.login"),
      (e) => e.some((x) => x.result === "success" && x.target === `account:${me.body.id}`),
    );
    expect(entries.find((x) => x.result === "success")).toMatchObject({
      ip: expect.any(String),
      actorName: me.body.name,
    });
  });

  test("when no token is sent, then a member-only action answers 401", async () => {
    const r = await http.get("/api/accounts/me");
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("UNAUTHORIZED");
  });

  test("when the password is wrong, then 401 LOGIN_FAILED with no hint whether the user exists, and the failure is audited", async () => {
    const wrong = await login("staff", "Wrong@12345");
    const unknown = await login("nobody-here", "Wrong@12345");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.type).toBe("LOGIN_FAILED");
    await waitFor(
      () => auditEntries("auth.login"),
      (e) => e.some((x) => x.result === "failure" && x.target === "user:nobody-here"),
    );
  });

  test("when a user logs out, then the same access token is refused at once", async () => {
    const t = await token("head");
    expect((await http.post("/api/accounts/logout", {}, t)).status).toBe(200);
    const after = await http.get("/api/accounts/me", t);
    expect(after.status).toBe(401);
    expect(after.body.error.type).toBe("SESSION_EXPIRED");
  });

  test("when a refresh token is used, then it rotates, and reusing the old one ends the session", async () => {
    const first = await login("leader");
    const second = await http.post("/api/accounts/refresh", { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    expect((await http.get("/api/accounts/me", second.body.accessToken)).status).toBe(200);
    const replay = await http.post("/api/accounts/refresh", { refreshToken: first.body.refreshToken });
    expect(replay.status).toBe(401);
    expect((await http.get("/api/accounts/me", second.body.accessToken)).status).toBe(401);
  });

  test("when a session is idle past the timeout, then it is refused with SESSION_EXPIRED", async () => {
    const t = await token("county");
    const { redis } = await import("../../shared/redis");
    const sessionId = t.split(".")[0];
    const ttl = await redis().ttl(`sess:${sessionId}`);
    expect(ttl).toBeGreaterThan(29 * 60);
    expect(ttl).toBeLessThanOrEqual(30 * 60);
    await redis().pexpire(`sess:${sessionId}`, 1); // the idle timeout elapsing
    await new Promise((r) => setTimeout(r, 20));
    const r = await http.get("/api/accounts/me", t);
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("SESSION_EXPIRED");
  });

  test("when an admin disables an account, then its open sessions end and it cannot sign in", async () => {
    const victim = await login("s-00777");
    if (victim.status !== 200) throw new Error(`demo account missing: ${JSON.stringify(victim.body)}`);
    const adminToken = await token("admin");
    const r = await http.put(`/api/accounts/${victim.body.user.accountId}/disabled`, { disabled: true }, adminToken);
    expect(r.status).toBe(200);
    expect((await http.get("/api/accounts/me", victim.body.accessToken)).status).toBe(401);
    const again = await login("s-00777");
    expect(again.status).toBe(401);
    expect(again.body.error.type).toBe("ACCOUNT_DISABLED");
    await waitFor(
      () => auditEntries("accounts.disable"),
      (e) => e.length === 1,
    );
  });
});

describe("live sockets", () => {
  /** A socket of the session `token` opens, and a promise of the reason it is closed for. */
  async function socketOf(token: string): Promise<{ closed: Promise<string>; socket: Socket }> {
    const socket = connect(base, {
      path: "/socket.io",
      auth: { token },
      transports: ["websocket"],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    return { closed, socket };
  }
  const byServer = "io server disconnect";

  test("when a user signs out, then their socket is closed by the server", async () => {
    const t = await token("s-00783");
    const { closed } = await socketOf(t);
    expect((await http.post("/api/accounts/logout", {}, t)).status).toBe(200);
    expect(await closed).toBe(byServer);
  });

  test("when an admin disables an account or changes its roles, then its sockets are closed", async () => {
    const adminToken = await token("admin");
    const disabled = await login("s-00784");
    const a = await socketOf(disabled.body.accessToken);
    await http.put(`/api/accounts/${disabled.body.user.accountId}/disabled`, { disabled: true }, adminToken);
    expect(await a.closed).toBe(byServer);

    const promoted = await login("s-00785");
    const b = await socketOf(promoted.body.accessToken);
    await http.put(
      `/api/accounts/${promoted.body.user.accountId}/roles`,
      { roles: ["staff", "division_head"] },
      adminToken,
    );
    expect(await b.closed).toBe(byServer);
  });

  test("when a user changes their password, then the sockets of their other sessions are closed and this one's stays", async () => {
    const other = await token("s-00786");
    const here = await token("s-00786");
    const o = await socketOf(other);
    const h = await socketOf(here);
    const r = await http.post(
      "/api/accounts/password",
      { currentPassword: PASSWORD, newPassword: "Changed#2026x" },
      here,
    );
    expect(r.status).toBe(200);
    expect(await o.closed).toBe(byServer);
    expect(h.socket.connected).toBe(true);
    h.socket.close();
  });

  test("when a socket offers the token of a session that has ended, then it is refused", async () => {
    const t = await token("s-00787");
    await http.post("/api/accounts/logout", {}, t);
    await expect(socketOf(t)).rejects.toThrow("SESSION_EXPIRED");
  });
});

describe("accounts", () => {
  test("when a user signs in with their phone number instead of the username, then it works", async () => {
    const t = await token("leader");
    const me = await http.get("/api/accounts/me", t);
    const staff = await http.get(`/api/personnel/staff/${me.body.staffId}`, t);
    expect(staff.body.phone).toMatch(/^(\+86)?1[3-9]\d{9}$/);
    const byPhone = await login(staff.body.phone);
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.user.accountId).toBe(me.body.id);
  });

  test("when a user changes their password, then the old one stops working, other sessions end, and a weak one is refused", async () => {
    const other = await token("s-00778");
    const mine = await token("s-00778");
    const weak = await http.post("/api/accounts/password", { currentPassword: PASSWORD, newPassword: "abc" }, mine);
    expect(weak.status).toBe(422);
    expect(weak.body.error.fields[0].field).toBe("newPassword");
    const wrong = await http.post(
      "/api/accounts/password",
      { currentPassword: "Nope#12345", newPassword: "Better#2026x" },
      mine,
    );
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.fields[0].field).toBe("currentPassword");
    const ok = await http.post(
      "/api/accounts/password",
      { currentPassword: PASSWORD, newPassword: "Better#2026x" },
      mine,
    );
    expect(ok.status).toBe(200);
    expect((await http.get("/api/accounts/me", mine)).status).toBe(200);
    expect((await http.get("/api/accounts/me", other)).status).toBe(401);
    expect((await login("s-00778")).status).toBe(401);
    expect((await login("s-00778", "Better#2026x")).status).toBe(200);
  });

  test("when a system admin changes someone's roles, then it is audited with before and after, and their sessions end", async () => {
    const victim = await login("s-00779");
    const before: string[] = victim.body.user.roles;
    const after = [...before, "hr_admin"];
    const adminToken = await token("admin");
    const r = await http.put(`/api/accounts/${victim.body.user.accountId}/roles`, { roles: after }, adminToken);
    expect(r.status).toBe(200);
    expect(r.body.roles).toEqual(after);
    expect((await http.get("/api/accounts/me", victim.body.accessToken)).status).toBe(401);
    const mine = (e: any[]) => e.filter((x) => x.target === `account:${victim.body.user.accountId}`);
    const entries = await waitFor(
      async () => mine(await auditEntries("accounts.roles.change")),
      (e) => e.length === 1,
    );
    expect(entries[0]).toMatchObject({
      result: "success",
      target: `account:${victim.body.user.accountId}`,
      details: { from: before, to: after },
    });
    expect((await login("s-00779")).body.user.roles).toEqual(after);
  });

  test("when anyone but a system admin tries to change roles, then 403 and the roles stay", async () => {
    const hrToken = (await login("leader")).body.accessToken;
    const target = await login("s-00780");
    const r = await http.put(`/api/accounts/${target.body.user.accountId}/roles`, { roles: ["sys_admin"] }, hrToken);
    expect(r.status).toBe(403);
    expect((await login("s-00780")).body.user.roles).toEqual(target.body.user.roles);
    expect(target.body.user.roles).not.toContain("sys_admin");
  });
});

describe("lockout", () => {
  const ATTACKER = "198.51.100.10";
  const OWNER = "198.51.100.20";

  test("when the password is wrong 5 times from one IP, then that IP is locked out of the account even with the right password, and the owner still signs in from theirs", async () => {
    for (let i = 0; i < 4; i++)
      expect((await login("hr", "Wrong@12345", ATTACKER)).body.error.type).toBe("LOGIN_FAILED");
    const fifth = await login("hr", "Wrong@12345", ATTACKER);
    expect(fifth.body.error.type).toBe("ACCOUNT_LOCKED");
    const right = await login("hr", PASSWORD, ATTACKER);
    expect(right.status).toBe(401);
    expect(right.body.error).toMatchObject({ type: "ACCOUNT_LOCKED", message: expect.stringContaining("锁定") });
    expect((await login("hr", PASSWORD, OWNER)).status).toBe(200);
  });

  test("when sign-ins fail behind the trusted proxy, then the audit log records the client's IP, not the proxy's", async () => {
    const entries = await waitFor(
      () => auditEntries("auth.login"),
      (e) => e.filter((x) => x.result === "failure" && x.target === "user:hr").length >= 6,
    );
    const ips = new Set(entries.filter((x) => x.target === "user:hr" && x.result === "failure").map((x) => x.ip));
    expect([...ips]).toEqual([ATTACKER]);
  });

  test("when an admin resets a locked account's password, then it can sign in again from the locked IP and must change the password", async () => {
    const adminToken = await token("admin");
    const list = await http.get("/api/accounts?q=hr", adminToken);
    const hr = list.body.items.find((a: { username: string }) => a.username === "hr");
    const reset = await http.post(`/api/accounts/${hr.id}/password`, { newPassword: "Reset#2026abc" }, adminToken);
    expect(reset.status).toBe(200);
    const r = await login("hr", "Reset#2026abc", ATTACKER);
    expect(r.status).toBe(200);
    expect(r.body.mustChangePassword).toBe(true);
  });

  test("when one account's password is guessed from many IPs, then new IPs are slowed down and the IP it signs in from is not", async () => {
    const KNOWN = "203.0.113.1";
    expect((await login("s-00790", PASSWORD, KNOWN)).status).toBe(200);
    // Six wrong guesses from six addresses reach the spread limit (6 here).
    for (let i = 1; i <= 6; i++) expect((await login("s-00790", "Wrong@1", `192.0.2.${i}`)).status).toBe(401);
    const guesser = await login("s-00790", PASSWORD, "192.0.2.6");
    expect(guesser.body.error.type).toBe("LOGIN_SLOWED");
    // The owner mistypes once from their usual address, and is not slowed.
    expect((await login("s-00790", "Wrong@1", KNOWN)).body.error.type).toBe("LOGIN_FAILED");
    expect((await login("s-00790", PASSWORD, KNOWN)).status).toBe(200);
  });
});

describe("bad input", () => {
  test("when the body is malformed JSON, then 400 MALFORMED_JSON and no session is created", async () => {
    const r = await http.request("POST", "/api/accounts/login", { raw: '{"username": "staff", "password": ' });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("MALFORMED_JSON");
  });

  test("when the body is over the size limit, then 413 BODY_TOO_LARGE", async () => {
    const t = await token("admin");
    const r = await http.post("/api/accounts/a-x/password", { newPassword: "x".repeat(300 * 1024) }, t);
    expect(r.status).toBe(413);
    expect(r.body.error.type).toBe("BODY_TOO_LARGE");
  });

  test("when a field has the wrong type or is missing, then 422 names each field at fault, in Chinese", async () => {
    const r = await http.post("/api/accounts/login", { username: 42 });
    expect(r.status).toBe(422);
    expect(r.body.error.type).toBe("VALIDATION_ERROR");
    const fields = r.body.error.fields as { field: string; message: string }[];
    expect(fields.map((f) => [f.field, f.message]).sort()).toEqual([
      ["password", "password 为必填项"],
      ["username", "username 应为文本"],
    ]);
  });

  test("when an unknown field is sent, then 422 names it", async () => {
    const r = await http.post("/api/accounts/login", { username: "staff", password: PASSWORD, isAdmin: true });
    expect(r.status).toBe(422);
    expect(r.body.error.fields[0].field).toBe("isAdmin");
  });

  test('when the password is an operator like {"$gt": ""}, then 422 and no sign-in', async () => {
    const r = await http.post("/api/accounts/login", { username: "admin", password: { $gt: "" } });
    expect(r.status).toBe(422);
    expect(r.body.error.fields[0].field).toBe("password");
    expect(r.body.accessToken).toBeUndefined();
  });

  test("when a staff member tries an admin action, then 403 and nothing changes", async () => {
    const t = await token("staff");
    const before = await accountCount();
    const r = await http.post("/api/accounts", { staffId: "s-00001", username: "newbie", password: "Abcdef#123" }, t);
    expect(r.status).toBe(403);
    expect(await accountCount()).toBe(before);
  });

  test("when a county admin resets the password of a city account, then 403 and the old password still works", async () => {
    const t = await token("county");
    const list = await http.get("/api/accounts?orgId=city", t);
    expect(list.status).toBe(403);
    const staffId = (await admin.call("accounts.list", { q: "staff" }, { meta: { user: sysUser } })) as {
      items: { id: string; username: string }[];
    };
    const target = staffId.items.find((a) => a.username === "staff")!;
    const r = await http.post(`/api/accounts/${target.id}/password`, { newPassword: "Hacked#2026x" }, t);
    expect(r.status).toBe(403);
    expect((await login("staff")).status).toBe(200);
  });

  test("when an unknown account id is used, then 404 ACCOUNT_NOT_FOUND", async () => {
    const t = await token("admin");
    const r = await http.put("/api/accounts/a-nope/disabled", { disabled: true }, t);
    expect(r.status).toBe(404);
    expect(r.body.error.type).toBe("ACCOUNT_NOT_FOUND");
  });

  test("when an internal action is called by a signed-in user over the bus, then it is refused", async () => {
    await expect(admin.call("accounts.demo.seed", {}, { meta: { user: sysUser } })).rejects.toMatchObject({
      code: 403,
    });
    await expect(admin.call("personnel.staff.directory", {})).rejects.toMatchObject({ code: 401 });
    const directory = await admin.call("personnel.staff.directory", {}, SYSTEM);
    expect((directory as unknown[]).length).toBeGreaterThan(1000);
  });
});

describe("login rate limit", () => {
  test("when one client sends more logins a minute than the limit, then it gets 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await login("nobody", "x")).status);
    expect(statuses).toContain(429);
    const last = await login("staff");
    expect(last.status).toBe(429);
    expect(last.body.error.type).toBe("RATE_LIMITED");
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    // Each client behind the proxy has a budget of its own.
    expect((await login("staff", PASSWORD, "203.0.113.77")).status).toBe(200);
  });
});
