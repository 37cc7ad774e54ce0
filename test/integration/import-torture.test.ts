/**
 * HR's everyday round trip at bureau scale, under load: the whole bureau's staff list is exported
 * and imported back unchanged five times in a row while 20 staff sign in, read the log square and
 * publish logs. The embedded database must never freeze: every service stays ready, sign-in stays
 * fast, and every import reports exactly what its file changed (nothing).
 *
 * Every service runs on a node of its own over the real NATS, Redis and FerretDB, as in production.
 */
import type { ServiceBroker } from "moleculer";
import type { AddressInfo } from "node:net";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";
import { client } from "../support/http";
import type { StaffImportJob as ImportJob } from "../../shared/contracts/personnel";
import { DB_SERVICES } from "../../shared/services";

useTestNamespace();
process.env.LOGIN_RATE_LIMIT = "10000"; // this test is about the database, not the login limiter

const PASSWORD = "Mingbai@2026";
const ROUNDS = 5;
const USERS = 20;
const MIN_LOAD_MS = 20_000;
const nodes: ServiceBroker[] = [];
let http: ReturnType<typeof client>;
let base: string;
let hr: string;

const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1];

async function signIn(username: string): Promise<{ token: string; ms: number }> {
  const t0 = performance.now();
  const r = await http.post("/api/accounts/login", { username, password: PASSWORD });
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`sign-in of ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body.accessToken, ms };
}

/** Starts the import of a file and follows its job to the end. */
async function importStaff(file: string): Promise<ImportJob> {
  const start = await http.post<{ job: ImportJob }>("/api/personnel/imports/staff", { file }, hr);
  if (start.status !== 202) throw new Error(`import: ${start.status} ${JSON.stringify(start.body)}`);
  return waitFor(
    async () => (await http.get<ImportJob>(`/api/personnel/imports/jobs/${start.body.job.id}`, hr)).body,
    (j) => j.state !== "running",
    120_000,
  );
}

beforeAll(async () => {
  for (const name of DB_SERVICES) nodes.push(await startNode(name, await schemas(name)));
  nodes.push(await startNode("gateway", await schemas("gateway")));
  const { seedDemo } = await import("../../services/seed");
  await seedDemo(nodes[0], false, () => undefined, ["personnel", "accounts"]);
  const gw = nodes[nodes.length - 1].getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  base = `http://127.0.0.1:${gw.server.address().port}`;
  http = client(base);
  hr = (await signIn("hr")).token;
}, 300_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

test("when the whole bureau's staff list goes round five times under load, then nothing freezes and nothing changes", async () => {
  const exported = await fetch(`${base}/api/personnel/exports/staff`, { headers: { authorization: `Bearer ${hr}` } });
  expect(exported.status).toBe(200);
  const file = Buffer.from(await exported.arrayBuffer()).toString("base64");
  const staffCount = (await http.get<{ total: number }>("/api/personnel/staff?limit=1", hr)).body.total;
  expect(staffCount).toBeGreaterThan(1000);

  // Staff members who sign in, read and write logs meanwhile (with their staff ids: not the demo role logins).
  const page = await http.get<{ rows: { id: string }[] }>(
    `/api/personnel/staff?limit=${USERS}&page=20&status=active`,
    hr,
  );
  const writers = page.body.rows.map((s) => s.id);
  expect(writers).toHaveLength(USERS);

  let stop = false;
  const signIns: number[] = [];
  const notReady: string[] = [];
  const failures: string[] = [];
  const published: string[] = [];

  const watchReady = (async () => {
    while (!stop) {
      const r = await http.get<{ checks: Record<string, string> }>("/ready").catch((e: Error) => ({
        status: 0,
        body: { checks: { gateway: e.message } },
      }));
      if (r.status !== 200) notReady.push(`${new Date().toISOString()} ${r.status} ${JSON.stringify(r.body.checks)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  })();

  // Each user signs in, then reads the square and publishes a log every second or so.
  const user = async (staffId: string, i: number) => {
    let n = 0;
    let token: string | null = null;
    while (!stop) {
      try {
        if (!token) ({ token } = await signIn(staffId));
        const feed = await http.get("/api/worklog/logs?limit=20", token);
        if (feed.status !== 200) failures.push(`feed ${feed.status}`);
        const done = `压力测试日志 ${i}-${n++}：核对预算执行进度并整理台账。`;
        const log = await http.post<{ id: string }>("/api/worklog/logs", { done, publish: true }, token);
        if (log.status === 200) published.push(log.body.id);
        else failures.push(`publish ${log.status} ${JSON.stringify(log.body)}`);
      } catch (err) {
        failures.push((err as Error).message);
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  // Meanwhile somebody signs in twice a second: what a colleague arriving at work would wait.
  const signInProbe = (async () => {
    for (let k = 0; !stop; k++) {
      try {
        signIns.push((await signIn(writers[k % writers.length])).ms);
      } catch (err) {
        failures.push((err as Error).message);
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  })();
  const users = writers.map((id, i) => user(id, i));

  const results: ImportJob[] = [];
  const importMs: number[] = [];
  const began = Date.now();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = Date.now();
      results.push(await importStaff(file));
      importMs.push(Date.now() - t0);
    }
    // The users keep going for a while after a fast run too, so that there is something to measure.
    while (Date.now() - began < MIN_LOAD_MS) await new Promise((res) => setTimeout(res, 200));
  } finally {
    stop = true;
    await Promise.all([watchReady, signInProbe, ...users]);
  }

  for (const job of results) {
    expect([job.state, job.error]).toEqual(["done", null]);
    expect(job.result).toEqual({ created: 0, updated: 0, unchanged: staffCount });
    expect(job.done).toBe(job.total);
  }
  console.log(
    `import round trips (ms): ${importMs.join(", ")}; sign-in p95 ${Math.round(p95(signIns))} ms over ${signIns.length}; ${published.length} logs published`,
  );
  expect(notReady).toEqual([]);
  expect(failures).toEqual([]);
  expect(signIns.length).toBeGreaterThanOrEqual(10);
  // The target is under 1 s (loadtest/RESULTS.md has the figures: 475–881 ms on a quiet machine); a
  // freeze costs tens of seconds, so 2 s tells one apart from a busy CI machine without flaking.
  expect(p95(signIns)).toBeLessThan(2000);
  expect(published.length).toBeGreaterThan(USERS);
  // The bureau's list is still the same people, and the database still answers.
  expect((await http.get<{ total: number }>("/api/personnel/staff?limit=1", hr)).body.total).toBe(staffCount);
}, 600_000);
