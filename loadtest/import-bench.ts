/**
 * HR's round trip at bureau scale (issue 21), through the gateway of a running platform with the demo
 * data: the whole bureau's staff list exported, imported back unchanged, then imported with 10 cells
 * changed, then the original imported again (which changes those 10 back). Each import is timed from
 * the POST to its job being done, as the web client follows it.
 *
 *   BASE=http://127.0.0.1:3000 node_modules/.bin/node loadtest/import-bench.ts
 *
 * Env: BASE (http://127.0.0.1:3000), VIA (gateway, or bus: see bus()), ROUNDS unchanged imports (3), SCALE (1): with SCALE=10 the
 * bureau is first grown to ten times its staff by importing the export with nine copies of every
 * row as new people (no 工号, no 手机号), timed as one job, and the round trip then runs at that size.
 * Only 127.0.0.1 is accepted.
 */
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve("package.json"));
const ExcelJS = require("exceljs") as typeof import("exceljs");
const { loadavg, machine } = require("./loadtest/lib/bench.ts") as typeof import("./lib/bench");

const BASE = process.env.BASE ?? "http://127.0.0.1:3000";
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCALE = Number(process.env.SCALE ?? 1);
const VIA = process.env.VIA ?? "gateway";

interface Job {
  id: string;
  state: string;
  result: { created: number; updated: number; unchanged: number } | null;
  error: string | null;
}

/** How the bench reaches personnel: the gateway over HTTP (as the web client does), or the bus. */
interface Transport {
  exportStaff(): Promise<Buffer>;
  startImport(file: Buffer): Promise<Job>;
  job(id: string): Promise<Job>;
}

async function gateway(): Promise<Transport> {
  if (new URL(BASE).hostname !== "127.0.0.1") throw new Error("BASE must be on 127.0.0.1");
  const login = await fetch(`${BASE}/api/accounts/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "hr", password: process.env.PASSWORD ?? "Mingbai@2026" }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const api = async <T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(BASE + p, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return {
      status: res.status,
      body: (res.headers.get("content-type")?.includes("json")
        ? await res.json()
        : Buffer.from(await res.arrayBuffer())) as T,
    };
  };
  return {
    exportStaff: async () => (await api<Buffer>("GET", "/api/personnel/exports/staff")).body,
    async startImport(file) {
      const start = await api<{ job: Job }>("POST", "/api/personnel/imports/staff", { file: file.toString("base64") });
      if (start.status !== 202) throw new Error(`import: ${start.status} ${JSON.stringify(start.body)}`);
      return start.body.job;
    },
    job: async (id) => (await api<Job>("GET", `/api/personnel/imports/jobs/${id}`)).body,
  };
}

/**
 * VIA=bus: a broker of its own (the build in dist/) on the platform's NATS (NATS_URL, MINGBAI_NAMESPACE), calling the
 * same actions as a city HR administrator. For files over the gateway's JSON body limit
 * (BODY_LIMIT, 256 kB: a ×10 bureau's 1.3 MB file is refused with 413).
 */
async function bus(): Promise<Transport> {
  const { ServiceBroker } = require("moleculer") as typeof import("moleculer");
  const { brokerOptions } = require("./dist/shared/broker.js") as typeof import("../shared/broker");
  const { config } = require("./dist/shared/config.js") as typeof import("../shared/config");
  const broker = new ServiceBroker(
    brokerOptions(config(), { nodeID: `import-bench-${process.pid}`, logLevel: "warn" }),
  );
  await broker.start();
  await broker.waitForServices(["personnel"], 30_000);
  const user = {
    accountId: "import-bench",
    sessionId: "bench",
    staffId: null,
    name: "bench",
    orgId: "city",
    divisionId: "city-hr",
    roles: ["hr_admin"],
  };
  const call = <T>(action: string, params: object): Promise<T> =>
    broker.call(action, params, { meta: { user }, timeout: 600_000 }) as Promise<T>;
  return {
    exportStaff: async () => Buffer.from(await call<Buffer>("personnel.staff.export", {})),
    startImport: async (file) =>
      (await call<{ job: Job }>("personnel.staff.import", { file: file.toString("base64") })).job,
    job: (id) => call<Job>("personnel.imports.jobs.get", { id }),
  };
}

/** POSTs the file and polls its job until it ends; the time and the result. */
async function importFile(t: Transport, file: Buffer): Promise<{ ms: number; job: Job }> {
  const t0 = performance.now();
  let job = await t.startImport(file);
  while (job.state === "running") {
    await new Promise((r) => setTimeout(r, 100));
    job = await t.job(job.id);
  }
  return { ms: Math.round(performance.now() - t0), job };
}

async function main(): Promise<void> {
  console.log(JSON.stringify({ ...machine(), via: VIA, scale: SCALE }));
  const t = VIA === "bus" ? await bus() : await gateway();
  const exportAll = async (): Promise<Buffer> => {
    const t0 = performance.now();
    const file = await t.exportStaff();
    console.log(JSON.stringify({ export: { ms: Math.round(performance.now() - t0), bytes: file.length } }));
    return file;
  };
  let original = await exportAll();
  if (SCALE > 1) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(original as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = ws.getRow(1).values as string[];
    const [id, phone] = [header.indexOf("工号"), header.indexOf("手机号")];
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    for (let copy = 1; copy < SCALE; copy++)
      for (const r of rows) {
        const next = [...r];
        next[id - 1] = "";
        next[phone - 1] = "";
        ws.addRow(next);
      }
    console.log(JSON.stringify({ grow: await importFile(t, Buffer.from(await wb.xlsx.writeBuffer())) }));
    original = await exportAll();
  }

  for (let i = 0; i < ROUNDS; i++) console.log(JSON.stringify({ unchanged: await importFile(t, original) }));

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(original as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const col = (ws.getRow(1).values as string[]).indexOf("职务职级");
  for (let r = 2; r < 12; r++) ws.getRow(r).getCell(col).value = `${String(ws.getRow(r).getCell(col).value)}（测）`;
  const changed = Buffer.from(await wb.xlsx.writeBuffer());
  console.log(JSON.stringify({ tenChanged: await importFile(t, changed) }));
  console.log(JSON.stringify({ restored: await importFile(t, original) }));
  console.log(JSON.stringify({ loadavgAfter: loadavg() }));
}

// Exits when done: the bus mode's broker would keep the process alive.
void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
