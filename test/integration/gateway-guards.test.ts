/**
 * What every route of the gateway does before a service sees the request: who is asking (401),
 * whether they may (403), whether the body is a sane shape (400), and the security headers on
 * every answer. Each route is found from the running services' own `rest` declarations, so a new
 * route is held to the same rules the day it is added.
 */
import type { ServiceBroker } from "moleculer";
import type { AddressInfo } from "node:net";
import { schemas, startNode, useTestNamespace } from "../support/broker";
import { client } from "../support/http";
import { GATEWAY_SERVICES } from "../../shared/services";

useTestNamespace();
process.env.LOGIN_RATE_LIMIT = "1000";

interface Route {
  action: string;
  method: string;
  path: string;
  auth: unknown;
}

const nodes: ServiceBroker[] = [];
let http: ReturnType<typeof client>;
let routes: Route[] = [];
let staffToken: string;
let adminToken: string;

/** A path with its parameters filled in with ids that exist nowhere. */
const concrete = (p: string): string => p.replace(/:[a-zA-Z]+/g, "x-unknown").replace(/[{}]/g, "");

beforeAll(async () => {
  for (const name of GATEWAY_SERVICES) nodes.push(await startNode(name, await schemas(name)));
  const gateway = await startNode("gateway", await schemas("gateway"));
  nodes.push(gateway);
  const { seedDemo } = await import("../../services/seed");
  await seedDemo(nodes[0], false, () => undefined, ["personnel", "accounts"]);
  const gw = gateway.getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  http = client(`http://127.0.0.1:${gw.server.address().port}`);

  const services = gateway.registry.getServiceList({ withActions: true }) as unknown as {
    name: string;
    actions: Record<string, { name: string; rest?: string; auth?: unknown }>;
  }[];
  const seen = new Set<string>();
  for (const s of services) {
    if (!(GATEWAY_SERVICES as string[]).includes(s.name)) continue;
    for (const a of Object.values(s.actions)) {
      if (typeof a.rest !== "string" || seen.has(a.name)) continue;
      seen.add(a.name);
      const [method, p] = a.rest.split(" ");
      routes.push({ action: a.name, method, path: `/api/${s.name}${p === "/" ? "" : p}`, auth: a.auth });
    }
  }
  routes = routes.sort((a, b) => a.action.localeCompare(b.action));
  const login = async (username: string) =>
    (await http.post("/api/accounts/login", { username, password: "Mingbai@2026" })).body.accessToken as string;
  staffToken = await login("staff");
  adminToken = await login("admin");
}, 300_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

const call = (r: Route, opts: { token?: string; raw?: string; json?: unknown }) =>
  http.request(r.method, concrete(r.path), r.method === "GET" || r.method === "DELETE" ? { token: opts.token } : opts);

test("the services expose their routes (the checks below cover every one of them)", () => {
  expect(routes.length).toBeGreaterThan(100);
  expect(routes.map((r) => r.action)).toEqual(expect.arrayContaining(["accounts.me", "worklog.logs.create"]));
});

test("when an anonymous caller tries any protected route with bad params, then 401 comes first, never 422", async () => {
  const seen: string[] = [];
  for (const r of routes.filter((x) => x.auth !== "public")) {
    const res = await call(r, { json: { unexpected: { $gt: "" } } });
    if (res.status !== 401) seen.push(`${r.method} ${r.path} (${r.action}): ${res.status}`);
  }
  expect(seen).toEqual([]);
});

test("when staff try a route that needs another role, then 403 comes before the params are checked", async () => {
  const restricted = routes.filter(
    (r) =>
      typeof r.auth === "object" && r.auth !== null && !((r.auth as { roles: string[] }).roles ?? []).includes("staff"),
  );
  expect(restricted.length).toBeGreaterThan(10);
  const seen: string[] = [];
  for (const r of restricted) {
    const res = await call(r, { token: staffToken, json: { unexpected: 1 } });
    if (res.status !== 403) seen.push(`${r.method} ${r.path} (${r.action}): ${res.status}`);
  }
  expect(seen).toEqual([]);
});

test("when a signed-in caller sends a body nested 5,000 deep to any route, then 400 names the limit and no route fails with 500", async () => {
  const deep = `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`;
  const seen: string[] = [];
  for (const r of routes.filter((x) => x.method !== "GET" && x.method !== "DELETE")) {
    const res = await call(r, { token: adminToken, raw: deep });
    const ok = res.status === 400 && res.body.error?.type === "BODY_TOO_COMPLEX";
    // A role the admin lacks is refused first (403), which is as harmless.
    if (!ok && res.status !== 403) seen.push(`${r.method} ${r.path} (${r.action}): ${res.status}`);
  }
  expect(seen).toEqual([]);
  const login = await http.request("POST", "/api/accounts/login", {
    raw: `{"username":${"[".repeat(3000)}${"]".repeat(3000)}}`,
  });
  expect([login.status, login.body.error.type, login.body.error.message]).toEqual([
    400,
    "BODY_TOO_COMPLEX",
    "请求体嵌套过深（最多 32 层）",
  ]);
});

test("when anything is answered, then it carries the security headers", async () => {
  for (const p of ["/", "/api/openapi.json", "/api/no/such/route", "/health"]) {
    const res = await http.get(p);
    expect([p, res.headers.get("x-content-type-options")]).toEqual([p, "nosniff"]);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    // Plain HTTP here: HSTS only over TLS.
    expect(res.headers.get("strict-transport-security")).toBeNull();
  }
});
