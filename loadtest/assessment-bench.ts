/**
 * The one-click year-end summary (一键汇总), from click to file. Three modes:
 *
 * 1. `--gateway` (BASE, default http://127.0.0.1:3700): a running platform with the demo data, through
 *    the gateway as the web client does it. Signs in as `hr` and times the click on "生成汇总表" for
 *    the whole bureau: the three requests the page fires at once (the county table as JSON, the
 *    .xlsx and the print HTML); "file" is the .xlsx arriving. The first click, N (20) more, then
 *    AFTER (5) clicks each after a learning record is pushed (an event that changes the results).
 *    `--cold`: one click only, to run right after the assessment service (re)started; it waits until
 *    the service answers a call that reads no summary data (the scheme). K6_CHECK=1 also runs each
 *    scenario of loadtest/k6/assessment.ts once through a synchronous curl shim.
 *      BASE=http://127.0.0.1:3700 node_modules/.bin/node loadtest/assessment-bench.ts --gateway
 * 2. (default) the demo bureau seeded in this process's brokers, `assessment.export` over NATS.
 * 3. A synthetic data set at ×1 and ×10 (15,000 staff, 2,100 divisions): the scoring and workbook code
 *    on read-model documents, and the FerretDB read of the person documents stored at that scale
 *    (as stored now, and at ×1 also in the format before the month split, with a year of attendance
 *    days each).
 *    `--scale-only` skips the demo bureau; `--no-db` also skips the FerretDB part.
 *
 * Modes 2 and 3 need the compiled code (`npm run build`, or MINGBAI_DIST=<outDir>), NATS and Redis,
 * and a FerretDB at MONGO_URL:
 *   MONGO_URL=mongodb://127.0.0.1:27102/ node_modules/.bin/node loadtest/assessment-bench.ts --scale-only
 * The demo data is seeded into the namespace MINGBAI_NAMESPACE (default "abench") when it is empty.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire, stripTypeScriptTypes } from "node:module";
import os from "node:os";
import path from "node:path";

process.env.MINGBAI_NAMESPACE ??= "abench";
process.env.LOG_LEVEL ??= "warn";
process.env.SERVICES = "personnel,accounts,worklog,plans,info,assessment";

const require = createRequire(path.resolve("package.json"));
const DIST = path.resolve(process.env.MINGBAI_DIST ?? "dist");
const dist = (p: string) => require(path.join(DIST, p));

const SYSTEM = { meta: { system: true } };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

async function demoBureau(): Promise<Record<string, unknown>> {
  const { ServiceBroker } = require("moleculer") as typeof import("moleculer");
  const { brokerOptions } = dist("shared/broker");
  const { config } = dist("shared/config");
  const { serviceSchemas } = dist("services/main");
  const { seedDemo } = dist("services/seed");
  const cfg = config();
  const broker = new ServiceBroker(brokerOptions(cfg, { nodeID: `abench-${process.pid}` }));
  for (const name of cfg.services.split(",")) for (const s of serviceSchemas(name)) broker.createService(s);
  await broker.start();
  try {
    await seedDemo(broker, false, (l: string) => console.log(l), ["personnel", "accounts", "worklog", "plans", "info"]);
    const t0 = process.hrtime.bigint();
    const seed = await broker.call("assessment.demo.seed", { reset: true }, { ...SYSTEM, timeout: 600_000 });
    const seedMs = ms(t0);
    console.log("assessment seed:", JSON.stringify(seed));
    const year = new Date().getFullYear();
    const click = async (): Promise<{ ms: number; bytes: number }> => {
      const t = process.hrtime.bigint();
      const buf = (await broker.call("assessment.export", { year, table: "bureau" }, SYSTEM)) as Buffer;
      return { ms: ms(t), bytes: buf.length };
    };
    const cold = await click();
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) warm.push((await click()).ms);
    // A new fact invalidates the cached scores: the next click recomputes them from the cached documents.
    const afterEvent: number[] = [];
    for (let i = 0; i < 3; i++) {
      await broker.call(
        "assessment.learning.push",
        {
          records: [
            {
              recordId: `bench-${Date.now()}`,
              staffId: "s-00042",
              date: `${year}-03-02`,
              hours: 1,
              course: "基准测试",
            },
          ],
        },
        SYSTEM,
      );
      afterEvent.push((await click()).ms);
    }
    // The rebuild runs as a background job: start it and poll its status.
    const t1 = process.hrtime.bigint();
    let job = (await broker.call("assessment.rebuild", { year }, SYSTEM)) as { id: string; state: string };
    while (job.state === "running") {
      await new Promise((r) => setTimeout(r, 500));
      job = await broker.call("assessment.rebuild.status", { id: job.id }, SYSTEM);
    }
    const rebuildMs = ms(t1);
    const rebuild = job;
    const afterRebuild = await click();
    return {
      seedMs: Math.round(seedMs),
      rebuildMs: Math.round(rebuildMs),
      rebuild,
      coldMs: Math.round(cold.ms),
      bytes: cold.bytes,
      warmMedianMs: Math.round(median(warm)),
      warmMaxMs: Math.round(Math.max(...warm)),
      afterEventMedianMs: Math.round(median(afterEvent)),
      afterRebuildColdMs: Math.round(afterRebuild.ms),
    };
  } finally {
    await broker.stop();
  }
}

/** Synthetic read-model documents shaped like the demo's, at `scale` × 1,500 staff. */
function synthetic(scale: number) {
  const orgs = Array.from({ length: 21 }, (_, i) => ({
    id: i ? `c${i}` : "city",
    name: i ? `县${i}财政局` : "张家口市财政局",
    shortName: i ? `县${i}` : "市局",
    order: i,
  }));
  const perOrg = 10 * scale;
  const divisions = orgs.flatMap((o) =>
    Array.from({ length: perOrg }, (_, j) => ({
      id: `${o.id}-d${j}`,
      orgId: o.id,
      name: `股室${j}`,
      order: j,
      reports: j > 0,
    })),
  );
  const staff = Array.from({ length: 1500 * scale }, (_, i) => {
    const d = divisions[i % divisions.length];
    return { id: `s-${i}`, name: `职工${i}`, orgId: d.orgId, divisionId: d.id };
  });
  const people = new Map();
  const legacy: object[] = [];
  const logs = new Map();
  for (const [i, s] of staff.entries()) {
    const facts: Record<string, object> = {};
    for (let k = 0; k < 12; k++)
      facts[`learn:${s.id}-${k}`] = { k: "learning", v: 1, d: "2026-03-01", x: (i % 5) + 1, l: "课程", lv: null };
    for (let k = 0; k < i % 4; k++)
      facts[`info:${s.id}-${k}`] = { k: "information", v: 1, d: "2026-03-01", x: 2, l: "信息", lv: "city" };
    // As stored now: 11 months of counters. `legacy`: as before the month split, 220 days in the document.
    const months: Record<string, object> = {};
    for (let m = 1; m <= 11; m++)
      months[String(m).padStart(2, "0")] = {
        v: 20,
        n: m === i % 12 ? { present: 19, leave_personal: 1 } : { present: 20 },
      };
    const att: Record<string, object> = {};
    for (let d = 0; d < 220; d++) att[String(100 + d)] = { s: d % 40 === i % 40 ? "leave_personal" : "present", v: 1 };
    people.set(s.id, { _id: `${s.id}|2026`, staffId: s.id, year: 2026, facts, months });
    legacy.push({ _id: `${s.id}|2026`, staffId: s.id, year: 2026, facts, att });
    logs.set(s.id, { v: 1, due: 220, done: 200 - (i % 30), onTime: 190 - (i % 30) });
  }
  const tasks = divisions.flatMap((d, j) =>
    Array.from({ length: 8 }, (_, k) => ({
      v: 1,
      w: 10 + k,
      due: "2026-12-31",
      ok: 1,
      parts: [{ d: d.id, st: k % 3 ? "in_progress" : "done", p: 30 + ((j + k) % 70) }],
    })),
  );
  return { orgs, divisions, staff, people, logs, tasks, legacy };
}

async function scaled(scale: number): Promise<Record<string, unknown>> {
  const { computeYear } = dist("services/assessment/scoring");
  const { DEFAULT_SCHEME } = dist("services/assessment/scheme");
  const { countiesTable, divisionsTable, staffTable } = dist("services/assessment/summary");
  const { tablesWorkbook } = dist("shared/report-table");
  const { legacy, ...data } = synthetic(scale);
  const click = async (): Promise<{ computeMs: number; xlsxMs: number; bytes: number }> => {
    const t0 = process.hrtime.bigint();
    const results = computeYear({
      today: "2026-11-25",
      scheme: DEFAULT_SCHEME,
      ...data,
      subs: {},
      deadlines: { arrangement: Array(12).fill("2026-01-01"), completion: Array(12).fill("2026-01-01") },
    });
    const computeMs = ms(t0);
    const t1 = process.hrtime.bigint();
    const name = (id: string) => id;
    const buf = await tablesWorkbook([
      countiesTable(2026, results.orgs, "2026-11-25"),
      divisionsTable(2026, "全局", results.divisions, name, "2026-11-25"),
      staffTable(2026, "全局", results.staff, name, "2026-11-25"),
    ]);
    return { computeMs: Math.round(computeMs), xlsxMs: Math.round(ms(t1)), bytes: buf.length };
  };
  // The first build in a process also loads and compiles the workbook code; the service does that at start.
  const first = await click();
  const warm = [await click(), await click(), await click()];
  const warmMs = warm.map((w) => w.computeMs + w.xlsxMs);
  const out: Record<string, unknown> = {
    scale,
    staff: data.staff.length,
    divisions: data.divisions.length,
    first,
    warm: warm.map((w) => `${w.computeMs}+${w.xlsxMs}`).join(", "),
    warmClickMedianMs: median(warmMs),
    bytes: warm[0].bytes,
  };
  if (process.argv.includes("--no-db")) return out;
  // The cold read: the year's person documents from FerretDB, as stored now and as before the split.
  const { MongoClient } = require("mongodb") as typeof import("mongodb");
  const { config } = dist("shared/config");
  const client = await MongoClient.connect(config().mongoUrl);
  try {
    // Before the split only at ×1: 15,000 documents of ~15 kB each take too long to load on this machine.
    const sets: [string, object[]][] = [["now", [...data.people.values()]]];
    if (scale === 1) sets.push(["beforeSplit", legacy]);
    for (const [label, docs] of sets) {
      const coll = client.db(`${config().namespace}_bench_scale`).collection(`people_${label}`);
      await coll.drop().catch(() => undefined);
      for (let i = 0; i < docs.length; i += 1000) await coll.insertMany(docs.slice(i, i + 1000), { ordered: false });
      const reads: number[] = [];
      let n = 0;
      for (let i = 0; i < 3; i++) {
        const t = process.hrtime.bigint();
        n = (await coll.find({ year: 2026 }).toArray()).length;
        reads.push(Math.round(ms(t)));
      }
      const bytes = docs.reduce((a: number, d) => a + JSON.stringify(d).length, 0);
      out[`read_${label}`] = { docs: n, avgDocBytes: Math.round(bytes / docs.length), readMs: reads.join(", ") };
      await coll.drop().catch(() => undefined);
    }
  } finally {
    await client.close();
  }
  return out;
}

// ---------- through the gateway ----------

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1];
const stats = (xs: number[]) => ({
  n: xs.length,
  p50: Math.round(pct(xs, 50)),
  p95: Math.round(pct(xs, 95)),
  max: Math.round(Math.max(...xs)),
});

interface Click {
  /** The .xlsx downloaded (the file), the print HTML, the table JSON, all three. */
  fileMs: number;
  printMs: number;
  tableMs: number;
  allMs: number;
  bytes: number;
}

async function gateway(): Promise<void> {
  const BASE = process.env.BASE ?? "http://127.0.0.1:3700";
  if (new URL(BASE).hostname !== "127.0.0.1") throw new Error("BASE must be on 127.0.0.1");
  const N = Number(process.env.N ?? 20);
  const AFTER = Number(process.env.AFTER ?? 5);
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  const login = await fetch(`${BASE}/api/accounts/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "hr", password: process.env.PASSWORD ?? "Mingbai@2026" }),
  });
  if (login.status !== 200) throw new Error(`login as hr: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const headers = { Authorization: `Bearer ${token}` };
  const get = async (url: string, t0: number, want: string): Promise<{ ms: number; bytes: number }> => {
    const r = await fetch(BASE + url, { headers });
    const body = Buffer.from(await r.arrayBuffer());
    if (r.status !== 200 || !String(r.headers.get("content-type")).includes(want))
      throw new Error(`${url}: ${r.status} ${r.headers.get("content-type")} ${body.toString("utf8", 0, 300)}`);
    return { ms: performance.now() - t0, bytes: body.length };
  };
  const q = `year=${year}&table=bureau`;
  /** What "生成汇总表" fires at once (web/src/pages/assessment/Summary.tsx). */
  const click = async (): Promise<Click> => {
    const t0 = performance.now();
    const [table, file, print] = await Promise.all([
      get(`/api/assessment/summary/counties?year=${year}`, t0, "json"),
      get(`/api/assessment/exports/summary?${q}`, t0, "spreadsheetml"),
      get(`/api/assessment/print/summary?${q}`, t0, "text/html"),
    ]);
    return {
      fileMs: file.ms,
      printMs: print.ms,
      tableMs: table.ms,
      allMs: Math.max(file.ms, print.ms, table.ms),
      bytes: file.bytes,
    };
  };
  const round = (c: Click) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v)]));
  const meta = {
    date: new Date().toISOString(),
    base: BASE,
    cores: os.cpus().length,
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
  };
  if (process.argv.includes("--cold")) {
    // Up once the service answers; the scheme is one small document, not the summary's data.
    for (const end = Date.now() + 300_000; ;) {
      const r = await fetch(`${BASE}/api/assessment/schemes/${year}`, { headers }).catch(() => null);
      if (r?.status === 200) break;
      if (Date.now() > end) throw new Error("assessment did not come up");
      await new Promise((res) => setTimeout(res, 200));
    }
    const up = performance.now();
    const first = await click();
    console.log(
      JSON.stringify({
        ...meta,
        mode: "cold",
        first: round(first),
        sinceUpMs: Math.round(performance.now() - up),
      }),
    );
    return;
  }
  const first = await click();
  const warm: Click[] = [];
  for (let i = 0; i < N; i++) warm.push(await click());
  const after: Click[] = [];
  for (let i = 0; i < AFTER; i++) {
    const push = await fetch(`${BASE}/api/assessment/learning/records`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({
        records: [
          {
            recordId: `bench-${Date.now()}-${i}`,
            staffId: "s-00042",
            date: `${year}-03-02`,
            hours: 1,
            course: "基准测试",
          },
        ],
      }),
    });
    if (push.status !== 200) throw new Error(`learning push: ${push.status} ${await push.text()}`);
    after.push(await click());
  }
  const of = (cs: Click[], k: keyof Click) => stats(cs.map((c) => c[k]));
  console.log(
    JSON.stringify(
      {
        ...meta,
        mode: "gateway",
        first: round(first),
        warm: {
          file: of(warm, "fileMs"),
          print: of(warm, "printMs"),
          table: of(warm, "tableMs"),
          all: of(warm, "allMs"),
        },
        afterChange: {
          file: of(after, "fileMs"),
          print: of(after, "printMs"),
          table: of(after, "tableMs"),
          all: of(after, "allMs"),
        },
        bytes: first.bytes,
        loadavgAfter: os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(" "),
      },
      null,
      1,
    ),
  );
  if (process.env.K6_CHECK === "1") console.log(JSON.stringify({ k6: runK6Once(BASE) }));
}

/**
 * Runs loadtest/k6/assessment.ts once per scenario through a synchronous shim of the k6 API (curl),
 * to check the script here, where there is no k6 binary. Returns each scenario's checks.
 */
function runK6Once(BASE: string): Record<string, string> {
  const js = stripTypeScriptTypes(readFileSync(path.resolve("loadtest", "k6", "assessment.ts"), "utf8"))
    .replace(/^import .*$/gm, "")
    .replace(/export const options/, "const options")
    .replace(/export function setup/, "function setup")
    .replace(/export default function/, "function main");
  const tmp = mkdtempSync(path.join(os.tmpdir(), "k6shim-"));
  type Params = { headers?: Record<string, string>; responseType?: string };
  const call = (method: string, url: string, body: string | null, params?: Params) => {
    const args = ["-s", "-X", method, "-D", `${tmp}/h`, "-o", `${tmp}/b`, "-w", "%{http_code}", url];
    for (const [k, v] of Object.entries(params?.headers ?? {})) args.push("-H", `${k}: ${v}`);
    if (body) args.push("--data-binary", body);
    const status = Number(execFileSync("curl", args, { encoding: "utf8" }));
    const headers: Record<string, string> = {};
    for (const line of readFileSync(`${tmp}/h`, "utf8").split("\r\n")) {
      const i = line.indexOf(":");
      // k6 canonicalises header names (Content-Type).
      if (i > 0)
        headers[line.slice(0, i).replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())] = line
          .slice(i + 1)
          .trim();
    }
    const text = readFileSync(`${tmp}/b`, params?.responseType === "binary" ? "latin1" : "utf8");
    // k6's Response.json(selector) reads a dotted path.
    const json = (sel?: string) => {
      const v = JSON.parse(text);
      return sel ? sel.split(".").reduce((o, k) => (o == null ? o : o[k]), v) : v;
    };
    return { status, headers, body: text, json };
  };
  const http = {
    get: (u: string, p?: Params) => call("GET", u, null, p),
    post: (u: string, b: string, p?: Params) => call("POST", u, b, p),
    batch: (reqs: [string, string, string | null, Params?][]) => reqs.map(([m, u, b, p]) => call(m, u, b, p)),
  };
  const out: Record<string, string> = {};
  try {
    for (const scenario of ["export", "read", "push"]) {
      const checks: string[] = [];
      const check = (r: unknown, cs: Record<string, (x: unknown) => boolean>) =>
        Object.entries(cs).every(([n, f]) => {
          const ok = f(r);
          checks.push(`${n}: ${ok ? "ok" : "FAILED"}`);
          return ok;
        });
      const fn = new Function("http", "check", "__ENV", `${js}\n;return { main, setup, options };`);
      const mod = fn(http, check, { BASE, SCENARIO: scenario, USERS: "2" }) as {
        main: (d: unknown) => void;
        setup: () => unknown;
      };
      mod.main(mod.setup());
      out[scenario] = checks.join(", ");
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

async function main(): Promise<void> {
  if (process.argv.includes("--gateway")) return gateway();
  const { config } = dist("shared/config");
  console.log(
    `machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}; node ${process.version}; ${config().mongoUrl}`,
  );
  if (!process.argv.includes("--scale-only")) console.log("demo bureau:", JSON.stringify(await demoBureau(), null, 1));
  for (const scale of [1, 10]) console.log(`synthetic ×${scale}:`, JSON.stringify(await scaled(scale)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
