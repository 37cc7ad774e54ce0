/**
 * Pages benchmark driver (issue 4): the person, division and organisation pages through the gateway,
 * on a running platform with the demo data, each request for another person, division or
 * organisation (so the per-key caches of plans and worklog miss as they would in use), as signed-in
 * users of several roles. Then the same sub-calls the pages make, one by one, to show where time goes.
 *
 *   node_modules/.bin/node loadtest/pages-bench.ts     (Node 24 runs TypeScript by stripping types)
 *
 * Env: BASE (http://127.0.0.1:3206), DURATION seconds per phase (20), READERS concurrent users (10),
 * TIMEOUT_MS per request (10000), K6_CHECK=1 to also run loadtest/k6/pages.ts once through a curl shim.
 * Only 127.0.0.1 is accepted; every phase is bounded in time.
 */
import { createRequire } from "node:module";
import path from "node:path";

// Run from the repository root (paths below are relative to it).
const require = createRequire(path.resolve("package.json"));
const { checker, client, curl, k6Script, load, loadavg, machine, summarize } =
  require("./loadtest/lib/bench.ts") as typeof import("./lib/bench");

const BASE = process.env.BASE ?? "http://127.0.0.1:3206";
const DURATION = Number(process.env.DURATION ?? 20) * 1000;
const READERS = Number(process.env.READERS ?? 10);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10_000);
const PASSWORD = "Mingbai@2026";
/** Demo logins: HR and a leader see personal fields and attendance, staff and a head see less. */
const LOGINS = ["hr", "leader", "head", "staff", "county", "admin"];

const http = client(BASE, TIMEOUT_MS);
/** GET, or POST when there is a body. */
const req = (url: string, token?: string, body?: unknown) =>
  http(body === undefined ? "GET" : "POST", url, token, body);

/** A fixed shuffle, so that runs are comparable and consecutive requests name different keys. */
function shuffled<T>(xs: T[], seed = 42): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs the k6 script's default function once per page through a synchronous curl shim, to check it here. */
function runK6Once(tokens: string[], ids: { staff: string[]; divisions: string[]; orgs: string[] }): string {
  const script = k6Script(path.resolve("loadtest", "k6", "pages.ts"), ["http", "check", "__ENV", "__ITER", "__VU"]);
  const checks: string[] = [];
  const get = (url: string, params?: { headers?: Record<string, string> }) => curl("GET", url, null, params);
  for (let iter = 0; iter < 3; iter++) script({ get }, checker(checks), { BASE }, iter, 1).main({ tokens, ...ids });
  return checks.join(", ");
}

async function main(): Promise<void> {
  const meta = {
    ...machine(),
    base: BASE,
    readers: READERS,
    durationS: DURATION / 1000,
  };
  console.log(JSON.stringify(meta));
  const tokens: string[] = [];
  for (const username of LOGINS) {
    const r = await req("/api/accounts/login", undefined, { username, password: PASSWORD });
    if (r.status === 200) tokens.push(r.json.accessToken);
    else console.log(`login ${username}: ${r.status}`);
  }
  if (!tokens.length) throw new Error("no login succeeded");
  const tok = (i: number) => tokens[i % tokens.length];

  const orgs = (await req("/api/personnel/orgs", tok(0))).json as { id: string; divisions: { id: string }[] }[];
  const divisions = shuffled(orgs.flatMap((o) => o.divisions.map((d) => d.id)));
  const orgIds = shuffled(orgs.map((o) => o.id));
  // Every demo staff member (s-00001 …), from the staff list's total.
  const total = (await req("/api/personnel/staff?limit=1", tok(0))).json.total as number;
  const staff = shuffled(Array.from({ length: total }, (_, i) => `s-${String(i + 1).padStart(5, "0")}`));
  console.log(JSON.stringify({ staff: staff.length, divisions: divisions.length, orgs: orgIds.length }));

  const show = (s: object) => console.log(JSON.stringify(s));
  const ok = (r: { status: number }) => r.status === 200;
  // The token rotates with a different stride than the ids, so each id is seen by several roles.
  const person = (i: number) => req(`/api/pages/person/${staff[i % staff.length]}`, tok(i * 7)).then(ok);
  const division = (i: number) => req(`/api/pages/division/${divisions[i % divisions.length]}`, tok(i * 7)).then(ok);
  const org = (i: number) => req(`/api/pages/org/${orgIds[i % orgIds.length]}`, tok(i * 7)).then(ok);

  show(await load(`person page, ${READERS} readers, varied person and role`, READERS, DURATION, person));
  show(await load(`division page, ${READERS} readers, varied division and role`, READERS, DURATION, division));
  show(await load(`org page, ${READERS} readers, varied organisation and role`, READERS, DURATION, org));
  show(
    await load(`mixed pages, ${READERS} readers`, READERS, DURATION, (i) =>
      [person, division, org][i % 3](Math.floor(i / 3) + 1000),
    ),
  );

  // Where the time goes: the sub-calls of a page, through the gateway where they are exposed.
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const from = `${month.slice(0, 8)}01`;
  const split: [string, (i: number) => string][] = [
    ["personnel.staff.get (profile + A/B)", (i) => `/api/personnel/staff/${staff[i + 3000] ?? staff[i]}`],
    ["personnel.staff.list (division members)", (i) => `/api/personnel/staff?divisionId=${divisions[i]}&limit=200`],
    [
      "personnel.attendance.month (a division)",
      (i) =>
        `/api/personnel/attendance/month?year=${month.slice(0, 4)}&month=${+month.slice(5, 7)}&divisionId=${divisions[i]}`,
    ],
    ["worklog.logs.feed (a person's recent logs)", (i) => `/api/worklog/logs?authorId=${staff[i + 500]}&limit=5`],
    [
      "worklog.logs.feed (a division's recent logs)",
      (i) => `/api/worklog/logs?divisionId=${divisions[i + 50]}&limit=5`,
    ],
    [
      "worklog.compliance (an organisation, month so far)",
      (i) => `/api/worklog/compliance?from=${from}&to=${month}&orgId=${orgIds[i % orgIds.length]}`,
    ],
    ["plans tasks of a person", (i) => `/api/plans/staff/${staff[i + 900]}/tasks`],
    ["plans tasks of a division", (i) => `/api/plans/divisions/${divisions[i + 100]}/tasks`],
  ];
  for (const [name, url] of split) {
    const lat: number[] = [];
    let errors = 0;
    const start = performance.now();
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = await req(url(i), tok(0)).catch(() => ({ status: 0 }));
      lat.push(performance.now() - t);
      if (r.status !== 200) errors++;
    }
    show(summarize(`split: ${name}, 5 sequential, different keys`, lat, errors, performance.now() - start));
  }

  if (process.env.K6_CHECK === "1")
    console.log(
      JSON.stringify({
        k6: runK6Once(tokens, { staff: staff.slice(0, 50), divisions: divisions.slice(0, 50), orgs: orgIds }),
      }),
    );
  console.log(JSON.stringify({ loadavgAfter: loadavg() }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
