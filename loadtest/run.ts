/**
 * Worklog benchmark driver for this machine (no k6 here): drives a running platform with demo data
 * through the gateway, and times the same data access directly on the database for the split.
 *
 *   node_modules/.bin/node loadtest/run.ts            (Node 24 runs TypeScript by stripping types)
 *
 * Env: BASE (http://127.0.0.1:3200), MONGO_URL and MINGBAI_NAMESPACE of that platform (for the direct
 * calls), DURATION seconds per load phase (15), READERS (50), WRITERS (40), USERS (20), BACKEND (label).
 * Only 127.0.0.1 is accepted; every phase is bounded in time.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

// Run from the repository root (paths below are relative to it).
const require = createRequire(path.resolve("package.json"));
const { MongoClient } = require("mongodb") as typeof import("mongodb");

const BASE = process.env.BASE ?? "http://127.0.0.1:3200";
if (new URL(BASE).hostname !== "127.0.0.1") throw new Error("BASE must be on 127.0.0.1");
const MONGO_URL = process.env.MONGO_URL ?? "";
const NS = process.env.MINGBAI_NAMESPACE ?? "bench";
const DURATION = Number(process.env.DURATION ?? 15) * 1000;
const READERS = Number(process.env.READERS ?? 50);
const WRITERS = Number(process.env.WRITERS ?? 40);
const USERS = Number(process.env.USERS ?? 20);
const PASSWORD = "Mingbai@2026";
/** Requests slower than this count as errors (and stop piling up on a saturated database). */
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10_000);
/** Concurrency of the phases that miss the cache and reach the database. */
const MISS_READERS = Number(process.env.MISS_READERS ?? 10);

interface Stats {
  name: string;
  n: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const summarize = (name: string, lat: number[], errors: number, ms: number): Stats => ({
  name,
  n: lat.length,
  errors,
  rps: Math.round((lat.length / ms) * 1000 * 10) / 10,
  p50: Math.round(pct(lat, 50)),
  p95: Math.round(pct(lat, 95)),
  p99: Math.round(pct(lat, 99)),
  max: Math.round(Math.max(...lat)),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes
type Json = any;

async function req(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const r = await fetch(`${BASE}${url}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await r.text();
  try {
    return { status: r.status, json: JSON.parse(text) as Json };
  } catch {
    return { status: r.status, json: text };
  }
}

/** Closed loop: `workers` loops for `ms`, each awaiting one request at a time. */
async function load(name: string, workers: number, ms: number, one: (i: number) => Promise<boolean>): Promise<Stats> {
  const lat: number[] = [];
  let errors = 0;
  let i = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const ok = await one(i++).catch(() => false);
        lat.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  return summarize(name, lat, errors, performance.now() - start);
}

async function timeN(name: string, n: number, one: () => Promise<unknown>): Promise<Stats> {
  const lat: number[] = [];
  const start = performance.now();
  for (let k = 0; k < n; k++) {
    const t = performance.now();
    await one();
    lat.push(performance.now() - t);
  }
  return summarize(name, lat, 0, performance.now() - start);
}

function lastMonth(): { from: string; to: string } {
  const now = new Date(Date.now() + 8 * 3600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** Runs each k6 scenario's iteration once through a synchronous shim (curl), to check the script here. */
function runK6Once(tokens: string[]): Record<string, string> {
  const file = path.resolve("loadtest", "k6", "worklog.ts");
  const js = stripTypeScriptTypes(readFileSync(file, "utf8"))
    .replace(/^import .*$/gm, "")
    .replace(/export const options/, "const options")
    .replace(/export function setup/, "function setup")
    .replace(/export default function/, "function main");
  const out: Record<string, string> = {};
  for (const scenario of ["feed", "search", "publish", "compliance"]) {
    const checks: string[] = [];
    const call = (method: string, url: string, body: string | null, params?: { headers?: Record<string, string> }) => {
      const args = ["-s", "-X", method, "-o", "-", "-w", "\n%{http_code}", url];
      for (const [k, v] of Object.entries(params?.headers ?? {})) args.push("-H", `${k}: ${v}`);
      if (body) args.push("--data-binary", body);
      const raw = execFileSync("curl", args, { encoding: "utf8" });
      const i = raw.lastIndexOf("\n");
      const text = raw.slice(0, i);
      return {
        status: Number(raw.slice(i + 1)),
        body: text,
        json: (k?: string) => (k ? JSON.parse(text)[k] : JSON.parse(text)),
      };
    };
    const http = {
      get: (u: string, p?: object) => call("GET", u, null, p),
      post: (u: string, b: string, p?: object) => call("POST", u, b, p),
    };
    const check = (r: unknown, cs: Record<string, (x: Json) => boolean>) =>
      Object.entries(cs).every(([n, f]) => {
        const ok = f(r);
        checks.push(`${n}: ${ok ? "ok" : "FAILED"}`);
        return ok;
      });
    const fn = new Function("http", "check", "__ENV", `${js}\n;return { main, options };`);
    const mod = fn(http, check, { BASE, SCENARIO: scenario }) as { main: (d: { tokens: string[] }) => void };
    mod.main({ tokens });
    out[scenario] = checks.join(", ");
  }
  return out;
}

async function main(): Promise<void> {
  const meta = {
    date: new Date().toISOString(),
    nproc: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavgBefore: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" "),
    backend: process.env.BACKEND ?? "?",
    base: BASE,
  };
  console.log(JSON.stringify(meta));
  const names = ["staff", ...Array.from({ length: USERS - 1 }, (_, i) => `s-${String(i + 1).padStart(5, "0")}`)];
  const tokens: string[] = [];
  for (const username of names) {
    const r = await req("POST", "/api/accounts/login", undefined, { username, password: PASSWORD });
    if (r.status === 200) tokens.push(r.json.accessToken);
  }
  if (!tokens.length) throw new Error("no login succeeded");
  const tok = (i: number) => tokens[i % tokens.length];
  const results: Stats[] = [];
  const show = (s: Stats) => {
    results.push(s);
    console.log(JSON.stringify(s));
  };
  const month = lastMonth();
  const orgs = ((await req("GET", "/api/worklog/policies", tok(0))).json as { orgId: string }[]).map((p) => p.orgId);

  // Compliance first, while nothing else runs: the first call fills the caches (staff, policies).
  show(
    await timeN("compliance month, all 21 orgs (1st call, cold caches)", 1, () =>
      req("GET", `/api/worklog/compliance?from=${month.from}&to=${month.to}`, tok(0)),
    ),
  );
  show(
    await timeN("compliance month, all 21 orgs (warm)", 10, () =>
      req("GET", `/api/worklog/compliance?from=${month.from}&to=${month.to}`, tok(0)),
    ),
  );

  // Readers: identical requests (served by the event-invalidated result cache after the first) ...
  show(
    await load(
      `feed page 1, ${READERS} readers (same request)`,
      READERS,
      DURATION,
      async (i) => (await req("GET", "/api/worklog/logs?limit=20", tok(i))).status === 200,
    ),
  );
  // Publishing: closed loop with WRITERS concurrent publishers.
  show(
    await load(
      `publish, ${WRITERS} concurrent writers`,
      WRITERS,
      DURATION,
      async (i) =>
        (
          await req("POST", "/api/worklog/logs", tok(i), {
            done: `压力测试 ${i}：完成预算执行情况分析，整理国库资金报表。`,
            thoughts: "体会：日清日结。",
          })
        ).status === 200,
    ),
  );

  // The split: the same data access through gateway + bus vs directly on the database, in this run.
  if (MONGO_URL) {
    const client = await MongoClient.connect(MONGO_URL);
    const db = client.db(`${NS}_worklog`);
    const ids = orgs.flatMap((o) => ["-1", "0", "1"].map((d) => `${o}|${shiftMonth(month.from, Number(d))}`));
    const direct = await timeN("DIRECT db: compliance buckets (63 _id finds, parallel)", 10, () =>
      Promise.all(ids.map((id) => db.collection("compliance_months").findOne({ _id: id as never }))),
    );
    show(direct);
    const gw = await timeN("GATEWAY: compliance month (same run)", 10, () =>
      req("GET", `/api/worklog/compliance?from=${month.from}&to=${month.to}`, tok(0)),
    );
    show(gw);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const d2 = await timeN("DIRECT db: find one org's logs of a day (date + orgId equality)", 10, () =>
      db
        .collection("logs")
        .find({ date: today, orgId: orgs[3] }, { projection: { tokens: 0 } })
        .toArray(),
    );
    show(d2);
    const g2 = await timeN(
      "GATEWAY: feed one org, uncached (limit varies)",
      10,
      (() => {
        let k = 0;
        return () => req("GET", `/api/worklog/logs?orgId=${orgs[3]}&limit=${50 + k++}`, tok(0));
      })(),
    );
    show(g2);
    const g0 = await timeN("GATEWAY: policies list (no database: in-process cache) = gateway + bus overhead", 20, () =>
      req("GET", "/api/worklog/policies", tok(0)),
    );
    show(g0);
    const g3 = await timeN("GATEWAY: feed page 1, cached", 20, () => req("GET", "/api/worklog/logs?limit=20", tok(0)));
    show(g3);
    const d3 = await timeN("DIRECT db: findOne log by _id", 20, () =>
      db
        .collection("logs")
        .findOne({}, { projection: { _id: 1 } })
        .then((d) => db.collection("logs").findOne({ _id: d!._id })),
    );
    show(d3);
    console.log(
      JSON.stringify({
        split: {
          gatewayBusOverheadMs: g0.p50,
          directDbIdLookupMs: d3.p50,
          directDbDayQueryMs: d2.p50,
          directDbComplianceBucketsMs: direct.p50,
          dbDayQueryOverGatewayOverhead: Math.round((d2.p50 / g0.p50) * 100) / 100,
          dbComplianceBucketsOverGatewayOverhead: Math.round((direct.p50 / g0.p50) * 100) / 100,
          complianceGatewayOverDirect: Math.round((gw.p50 / direct.p50) * 100) / 100,
          feedOrgUncachedGatewayOverDirectQuery: Math.round((g2.p50 / d2.p50) * 100) / 100,
          note: "ratios of medians; gateway includes HTTP, session lookup in Redis, the NATS hop, validation and the service's own work",
        },
      }),
    );
    await client.close();
  }
  // Last, the phases that reach the database with slow queries (they keep it busy after they end).
  show(
    await load(
      `search 预算, ${READERS} readers (same request)`,
      READERS,
      DURATION,
      async (i) => (await req("GET", `/api/worklog/search?q=${encodeURIComponent("预算")}`, tok(i))).status === 200,
    ),
  );
  // ... and varied ones that miss the cache: the database path.
  const words = ["预算", "国库", "资产", "税收", "绩效", "会议", "调研", "债务", "审核", "培训"];
  show(
    await load(
      `feed varied (org × limit, cache misses), ${MISS_READERS} readers`,
      MISS_READERS,
      DURATION,
      async (i) =>
        (await req("GET", `/api/worklog/logs?orgId=${orgs[i % orgs.length]}&limit=${10 + (i % 37)}`, tok(i))).status ===
        200,
    ),
  );
  show(
    await load(
      `search varied (word × limit, cache misses), ${MISS_READERS} readers`,
      MISS_READERS,
      DURATION,
      async (i) =>
        (
          await req(
            "GET",
            `/api/worklog/search?q=${encodeURIComponent(words[i % words.length])}&limit=${10 + (i % 31)}`,
            tok(i),
          )
        ).status === 200,
    ),
  );

  console.log(JSON.stringify({ k6once: runK6Once(tokens) }));
  console.log(
    JSON.stringify({
      loadavgAfter: os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" "),
    }),
  );
}

function shiftMonth(from: string, d: number): string {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7)) - 1 + d;
  const dt = new Date(Date.UTC(y, m, 1));
  return dt.toISOString().slice(0, 7);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
