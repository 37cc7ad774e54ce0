/**
 * HR's round trip at bureau scale (issue 21), through the gateway of a running platform with the demo
 * data: the whole bureau's staff list exported, imported back unchanged, then imported with 10 cells
 * changed, then the original imported again (which changes those 10 back). Each import is timed from
 * the POST to its job being done, as the web client follows it.
 *
 *   BASE=http://127.0.0.1:3000 node_modules/.bin/node loadtest/import-bench.ts
 *
 * Env: BASE (http://127.0.0.1:3000), ROUNDS unchanged imports (3), SCALE (1): with SCALE=10 the
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
if (new URL(BASE).hostname !== "127.0.0.1") throw new Error("BASE must be on 127.0.0.1");

interface Job {
  id: string;
  state: string;
  result: { created: number; updated: number; unchanged: number } | null;
  error: string | null;
}

async function api<T>(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(BASE + p, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** POSTs the file and polls its job until it ends; the time and the result. */
async function importFile(token: string, file: Buffer): Promise<{ ms: number; job: Job }> {
  const t0 = performance.now();
  const start = await api<{ job: Job }>("POST", "/api/personnel/imports/staff", token, {
    file: file.toString("base64"),
  });
  if (start.status !== 202) throw new Error(`import: ${start.status} ${JSON.stringify(start.body)}`);
  let job = start.body.job;
  while (job.state === "running") {
    await new Promise((r) => setTimeout(r, 100));
    job = (await api<Job>("GET", `/api/personnel/imports/jobs/${job.id}`, token)).body;
  }
  return { ms: Math.round(performance.now() - t0), job };
}

async function main(): Promise<void> {
  console.log(JSON.stringify(machine()));
  const login = await fetch(`${BASE}/api/accounts/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "hr", password: process.env.PASSWORD ?? "Mingbai@2026" }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;

  const exportAll = async (): Promise<Buffer> => {
    const t0 = performance.now();
    const res = await fetch(`${BASE}/api/personnel/exports/staff`, { headers: { authorization: `Bearer ${token}` } });
    const file = Buffer.from(await res.arrayBuffer());
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
    console.log(JSON.stringify({ grow: await importFile(token, Buffer.from(await wb.xlsx.writeBuffer())) }));
    original = await exportAll();
  }

  for (let i = 0; i < ROUNDS; i++) console.log(JSON.stringify({ unchanged: await importFile(token, original) }));

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(original as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const col = (ws.getRow(1).values as string[]).indexOf("职务职级");
  for (let r = 2; r < 12; r++) ws.getRow(r).getCell(col).value = `${String(ws.getRow(r).getCell(col).value)}（测）`;
  const changed = Buffer.from(await wb.xlsx.writeBuffer());
  console.log(JSON.stringify({ tenChanged: await importFile(token, changed) }));
  console.log(JSON.stringify({ restored: await importFile(token, original) }));
  console.log(JSON.stringify({ loadavgAfter: loadavg() }));
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
