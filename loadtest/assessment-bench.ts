/**
 * The one-click year-end summary (一键汇总), from click to file.
 *
 * 1. With the demo data (≈1,500 staff, 21 organisations, the demo logs, tasks, reports, attendance,
 *    information/publicity facts and learning records): the whole-bureau workbook
 *    (`assessment.export`, table "bureau": 20 counties ranked, every division, every staff member),
 *    called over NATS as HR's click would be. The first call after a rebuild reads the read model
 *    from FerretDB (cold); later ones are served from the in-process caches the events keep current.
 * 2. A 10× data set (15,000 staff, 2,000 divisions): the same scoring and workbook code on
 *    synthetic read-model documents, and the FerretDB scan of 15,000 person documents.
 *
 * `--scale-only` skips the demo bureau; `--no-db` also skips the FerretDB scan of the synthetic documents.
 * Needs `npm run build` (it loads dist/), NATS and Redis, and a FerretDB at MONGO_URL:
 *   MONGO_URL=mongodb://127.0.0.1:27102/ node_modules/.bin/node loadtest/assessment-bench.ts
 * The demo data is seeded into the namespace MINGBAI_NAMESPACE (default "abench") when it is empty.
 */
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

process.env.MINGBAI_NAMESPACE ??= "abench";
process.env.LOG_LEVEL ??= "warn";
process.env.SERVICES = "personnel,accounts,worklog,plans,notices,assessment";

const require = createRequire(path.resolve("package.json"));
const dist = (p: string) => require(path.resolve("dist", p));
const { ServiceBroker } = require("moleculer") as typeof import("moleculer");
const { MongoClient } = require("mongodb") as typeof import("mongodb");
const { brokerOptions } = dist("shared/broker");
const { config } = dist("shared/config");
const { serviceSchemas } = dist("services/main");
const { seedDemo } = dist("services/seed");
const { computeYear } = dist("services/assessment/scoring");
const { DEFAULT_SCHEME } = dist("services/assessment/scheme");
const { countiesTable, divisionsTable, staffTable, summaryWorkbook } = dist("services/assessment/summary");

const SYSTEM = { meta: { system: true } };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

async function demoBureau(): Promise<Record<string, unknown>> {
  const cfg = config();
  const broker = new ServiceBroker(brokerOptions(cfg, { nodeID: `abench-${process.pid}` }));
  for (const name of cfg.services.split(",")) for (const s of serviceSchemas(name)) broker.createService(s);
  await broker.start();
  try {
    await seedDemo(broker, false, (l: string) => console.log(l), [
      "personnel",
      "accounts",
      "worklog",
      "plans",
      "notices",
    ]);
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
    const t1 = process.hrtime.bigint();
    const rebuild = await broker.call("assessment.rebuild", { year }, { ...SYSTEM, timeout: 600_000 });
    const rebuildMs = ms(t1);
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
  const logs = new Map();
  for (const [i, s] of staff.entries()) {
    const facts: Record<string, object> = {};
    for (let k = 0; k < 12; k++)
      facts[`learn:${s.id}-${k}`] = { k: "learning", v: 1, d: "2026-03-01", x: (i % 5) + 1, l: "课程", lv: null };
    for (let k = 0; k < i % 4; k++)
      facts[`info:${s.id}-${k}`] = { k: "information", v: 1, d: "2026-03-01", x: 2, l: "信息", lv: "city" };
    const att: Record<string, object> = {};
    for (let d = 0; d < 220; d++) att[String(100 + d)] = { s: d % 40 === i % 40 ? "leave_personal" : "present", v: 1 };
    people.set(s.id, { _id: `${s.id}|2026`, staffId: s.id, year: 2026, facts, att });
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
  return { orgs, divisions, staff, people, logs, tasks };
}

async function scaled(scale: number): Promise<Record<string, unknown>> {
  const data = synthetic(scale);
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
  const buf = await summaryWorkbook([
    countiesTable(2026, results.orgs, "2026-11-25"),
    divisionsTable(2026, "全局", results.divisions, name, "2026-11-25"),
    staffTable(2026, "全局", results.staff, name, "2026-11-25"),
  ]);
  const xlsxMs = ms(t1);
  if (process.argv.includes("--no-db"))
    return {
      scale,
      staff: data.staff.length,
      divisions: data.divisions.length,
      computeMs: Math.round(computeMs),
      xlsxMs: Math.round(xlsxMs),
      bytes: buf.length,
      warmClickMs: Math.round(computeMs + xlsxMs),
    };
  // The cold read: the year's person documents scanned from FerretDB.
  const client = await MongoClient.connect(config().mongoUrl);
  const coll = client.db(`${config().namespace}_bench_scale`).collection("people");
  await coll.drop().catch(() => undefined);
  const docs = [...data.people.values()];
  for (let i = 0; i < docs.length; i += 1000) await coll.insertMany(docs.slice(i, i + 1000), { ordered: false });
  const t2 = process.hrtime.bigint();
  const read = await coll.find({ year: 2026 }).toArray();
  const scanMs = ms(t2);
  await coll.drop().catch(() => undefined);
  await client.close();
  return {
    scale,
    staff: data.staff.length,
    divisions: data.divisions.length,
    personDocs: read.length,
    scanMs: Math.round(scanMs),
    computeMs: Math.round(computeMs),
    xlsxMs: Math.round(xlsxMs),
    bytes: buf.length,
    warmClickMs: Math.round(computeMs + xlsxMs),
    coldClickMs: Math.round(scanMs + computeMs + xlsxMs),
  };
}

async function main(): Promise<void> {
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
