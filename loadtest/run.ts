/**
 * Worklog benchmark driver for this machine (no k6 here): drives a running platform with demo data
 * through the gateway, and times the same data access directly on the database for the split.
 *
 *   node_modules/.bin/node loadtest/run.ts            (Node 24 runs TypeScript by stripping types)
 *
 * Env: BASE (http://127.0.0.1:3205), MONGO_URL and MINGBAI_NAMESPACE of that platform (for the direct
 * calls), DURATION seconds per load phase (15), READERS (50), RATE publishes per second for the open-loop
 * phase (200, as the k6 script), WRITERS (40) for the closed-loop one, USERS (20), BACKEND (label).
 * The "varied" phases draw a different filter, word or page for every request, so no result cache
 * can answer them.
 * Only 127.0.0.1 is accepted; every phase is bounded in time.
 */
import { createRequire } from "node:module";
import path from "node:path";

// Run from the repository root (paths below are relative to it).
const require = createRequire(path.resolve("package.json"));
const { MongoClient } = require("mongodb") as typeof import("mongodb");
const { checker, client, curl, k6Script, load, loadavg, machine, rate, timeN } =
  require("./loadtest/lib/bench.ts") as typeof import("./lib/bench");
type Stats = import("./lib/bench").Stats;

const BASE = process.env.BASE ?? "http://127.0.0.1:3205";
const MONGO_URL = process.env.MONGO_URL ?? "";
const NS = process.env.MINGBAI_NAMESPACE ?? "bench";
const DURATION = Number(process.env.DURATION ?? 15) * 1000;
const READERS = Number(process.env.READERS ?? 50);
const WRITERS = Number(process.env.WRITERS ?? 40);
const RATE = Number(process.env.RATE ?? 200);
const USERS = Number(process.env.USERS ?? 20);
const PASSWORD = "Mingbai@2026";
/** Requests slower than this count as errors (and stop piling up on a saturated database). */
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 10_000);
const req = client(BASE, TIMEOUT_MS);

function lastMonth(): { from: string; to: string } {
  const now = new Date(Date.now() + 8 * 3600_000);
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/** Runs each k6 scenario's iteration once through a synchronous shim (curl), to check the script here. */
function runK6Once(tokens: string[]): Record<string, string> {
  const script = k6Script(path.resolve("loadtest", "k6", "worklog.ts"), ["http", "check", "__ENV"]);
  const http = {
    get: (u: string, p?: object) => curl("GET", u, null, p),
    post: (u: string, b: string, p?: object) => curl("POST", u, b, p),
  };
  const out: Record<string, string> = {};
  for (const scenario of ["feed", "search", "publish", "compliance"]) {
    const checks: string[] = [];
    script(http, checker(checks), { BASE, SCENARIO: scenario }).main({ tokens });
    out[scenario] = checks.join(", ");
  }
  return out;
}

async function main(): Promise<void> {
  const meta = {
    ...machine(),
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
  const rnd = (k: number) => Math.floor(Math.random() * k);

  // Compliance first, while nothing else runs: the first call fills the caches (staff, policies, buckets).
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

  // What the varied requests pick from: organisations, and the authors, divisions and tags of recent logs.
  const orgs = ((await req("GET", "/api/worklog/policies", tok(0))).json as { orgId: string }[]).map((p) => p.orgId);
  const recent = (await req("GET", "/api/worklog/logs?limit=100", tok(0))).json.items as {
    authorStaffId: string;
    divisionId: string;
    tags: string[];
  }[];
  const authors = [...new Set(recent.map((l) => l.authorStaffId))];
  const divisions = [...new Set(recent.map((l) => l.divisionId))];
  const tags = [...new Set(recent.flatMap((l) => l.tags))];
  const days = Array.from({ length: 60 }, (_, k) =>
    new Date(Date.now() + 8 * 3600_000 - k * 86_400_000).toISOString().slice(0, 10),
  );
  /** A feed filter drawn at random: each request is a different query (no result cache can answer it). */
  const feedFilter = (): string => {
    const f = new URLSearchParams({ limit: String(10 + rnd(41)) });
    const pick = rnd(6);
    if (pick === 0) f.set("orgId", orgs[rnd(orgs.length)]);
    if (pick === 1) f.set("divisionId", divisions[rnd(divisions.length)]);
    if (pick === 2) f.set("authorId", authors[rnd(authors.length)]);
    if (pick === 3 && tags.length) f.set("tag", tags[rnd(tags.length)]);
    if (pick === 4) f.set("kind", "org");
    if (rnd(3) === 0) {
      const [a, b] = [days[rnd(60)], days[rnd(60)]].sort();
      f.set("from", a);
      f.set("to", b);
    }
    return f.toString();
  };
  const words = [
    "预算",
    "国库",
    "资产",
    "税收",
    "绩效",
    "会议",
    "调研",
    "债务",
    "审核",
    "培训",
    "执行情况",
    "集中支付",
    "政府采购",
    "专项资金",
    "日清日结",
    "台账",
    "报表",
    "整改",
    "学习",
    "督导",
  ];

  // Readers: one identical request ...
  show(
    await load(
      `feed page 1, ${READERS} readers (same request)`,
      READERS,
      DURATION,
      async (i) => (await req("GET", "/api/worklog/logs?limit=20", tok(i))).status === 200,
    ),
  );
  // ... and varied ones, each a different filter, some following the cursor to the next page.
  show(
    await load(`feed varied filters + next pages, ${READERS} readers`, READERS, DURATION, async (i) => {
      const q = feedFilter();
      const r = await req("GET", `/api/worklog/logs?${q}`, tok(i));
      if (r.status !== 200) return false;
      if (r.json.nextCursor && rnd(2) === 0)
        return (await req("GET", `/api/worklog/logs?${q}&cursor=${r.json.nextCursor}`, tok(i))).status === 200;
      return true;
    }),
  );
  show(
    await load(
      `search 预算, ${READERS} readers (same request)`,
      READERS,
      DURATION,
      async (i) => (await req("GET", `/api/worklog/search?q=${encodeURIComponent("预算")}`, tok(i))).status === 200,
    ),
  );
  show(
    await load(`search varied (20 words × filters × page), ${READERS} readers`, READERS, DURATION, async (i) => {
      const q = `q=${encodeURIComponent(words[rnd(words.length)])}&page=${1 + rnd(3)}&${feedFilter()}`;
      return (await req("GET", `/api/worklog/search?${q}`, tok(i))).status === 200;
    }),
  );
  show(
    await load(`feed with keyword (q), varied, ${READERS} readers`, READERS, DURATION, async (i) => {
      const q = `q=${encodeURIComponent(words[rnd(words.length)])}&${feedFilter()}`;
      return (await req("GET", `/api/worklog/logs?${q}`, tok(i))).status === 200;
    }),
  );

  // The ceiling of the gateway itself: a request that reaches worklog but no database or index.
  show(
    await load(
      `gateway ceiling: policies list (in-process cache), ${READERS} readers`,
      READERS,
      DURATION,
      async (i) => (await req("GET", "/api/worklog/policies", tok(i))).status === 200,
    ),
  );
  // Publishing after the reads (it adds logs), before the split (whose direct query scans the logs).
  // First the target as the k6 script sets it (RATE publishes per second, open loop), then the most
  // this machine takes (WRITERS concurrent writers, each sending as soon as the last one answered).
  const publishOne = async (i: number) =>
    (
      await req("POST", "/api/worklog/logs", tok(i), {
        done: `压力测试 ${i}：完成预算执行情况分析，整理国库资金报表。`,
        thoughts: "体会：日清日结。",
      })
    ).status === 200;
  show(await rate(`publish at ${RATE}/s (open loop, at most 60 in flight)`, RATE, DURATION, 60, publishOne));
  show(await load(`publish, ${WRITERS} concurrent writers`, WRITERS, DURATION, publishOne));
  show(
    await timeN("compliance month, all 21 orgs (after the publish phase)", 10, () =>
      req("GET", `/api/worklog/compliance?from=${month.from}&to=${month.to}`, tok(0)),
    ),
  );

  // The split: the same work through gateway + bus + worklog, and directly on the database, in this run.
  if (MONGO_URL) {
    const client = await MongoClient.connect(MONGO_URL);
    const db = client.db(`${NS}_worklog`);
    const g0 = await timeN("GATEWAY: policies list (no database: in-process cache) = gateway + bus overhead", 20, () =>
      req("GET", "/api/worklog/policies", tok(0)),
    );
    show(g0);
    const g1 = await timeN("GATEWAY: feed, one organisation, varied limit (read index)", 10, () =>
      req("GET", `/api/worklog/logs?orgId=${orgs[3]}&limit=${10 + rnd(41)}`, tok(0)),
    );
    show(g1);
    // One call only: on FerretDB/SQLite it reads the whole collection.
    const d1 = await timeN("DIRECT db: the same feed page as a query (orgId + status, sorted, limit 20)", 1, () =>
      db
        .collection("logs")
        .find({ orgId: orgs[3], status: { $in: ["published", "withdrawn"] } }, { projection: { tokens: 0 } })
        .sort({ date: -1, publishedAt: -1, _id: -1 })
        .limit(20)
        .toArray(),
    );
    show(d1);
    const g2 = await timeN("GATEWAY: search 执行情况 (read index)", 10, () =>
      req("GET", `/api/worklog/search?q=${encodeURIComponent("执行情况")}&limit=${10 + rnd(20)}`, tok(0)),
    );
    show(g2);
    const d2 = await timeN("DIRECT db: findOne log by _id", 20, () =>
      db
        .collection("logs")
        .findOne({}, { projection: { _id: 1 } })
        .then((d) => db.collection("logs").findOne({ _id: d!._id })),
    );
    show(d2);
    const g3 = await timeN("GATEWAY: publish one log (sequential)", 20, () =>
      req("POST", "/api/worklog/logs", tok(0), {
        done: "分流测试：完成预算执行情况分析。",
        thoughts: "体会：日清日结。",
      }),
    );
    show(g3);
    const scratch = db.collection("bench_scratch");
    const sample = await db.collection("logs").findOne({});
    const d3 = await timeN("DIRECT db: insertOne of a log document (scratch collection)", 20, () =>
      scratch.insertOne({ ...sample, _id: `${Date.now()}-${Math.random()}` } as never),
    );
    show(d3);
    // What group commit does with concurrent publishes: one write of several documents.
    const d4 = await timeN("DIRECT db: insertMany of 20 log documents (scratch collection), per call", 10, () =>
      scratch.insertMany(
        Array.from({ length: 20 }, () => ({ ...sample, _id: `${Date.now()}-${Math.random()}` }) as never),
      ),
    );
    show(d4);
    await scratch.drop().catch(() => undefined);
    const r = (x: number, y: number) => Math.round((x / y) * 100) / 100;
    console.log(
      JSON.stringify({
        split: {
          gatewayBusOverheadMs: g0.p50,
          feedThroughGatewayMs: g1.p50,
          feedAsDirectDbQueryMs: d1.p50,
          searchThroughGatewayMs: g2.p50,
          directDbIdLookupMs: d2.p50,
          publishThroughGatewayMs: g3.p50,
          directDbInsertMs: d3.p50,
          directDbInsertMany20Ms: d4.p50,
          directFeedQueryOverGatewayOverhead: r(d1.p50, g0.p50),
          directFeedQueryOverGatewayFeed: r(d1.p50, g1.p50),
          directIdLookupOverGatewayOverhead: r(d2.p50, g0.p50),
          publishGatewayOverDirectInsert: r(g3.p50, d3.p50),
          note: "ratios of medians, one run; gateway includes HTTP, the Redis session lookup, the NATS hop, validation and the service's work",
        },
      }),
    );
    await client.close();
  }

  console.log(JSON.stringify({ k6once: runK6Once(tokens) }));
  console.log(JSON.stringify({ loadavgAfter: loadavg() }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
