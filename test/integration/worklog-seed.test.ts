/**
 * The worklog demo data on FerretDB, at a quarter of its size so that CI stays quick: deterministic,
 * with the patterns the compliance pages show (one county that often misses its weekly log).
 * The full set (about 32,000 logs) and its load time are measured by the benchmark (loadtest/RESULTS.md).
 */
import { schemas, startNode, SYSTEM, useTestNamespace } from "../support/broker";
useTestNamespace();

import type { ServiceBroker } from "moleculer";
import type { ComplianceReport, WorklogSeedResult } from "../../shared/contracts/worklog";
import { addDays } from "../../shared/calendar";
import { localDate } from "../../shared/time";

let nodes: ServiceBroker[] = [];
let seed: WorklogSeedResult;
const SCALE = 0.25;

beforeAll(async () => {
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("worklog", await schemas("worklog")),
  ];
  await nodes[0].call("personnel.demo.seed", {}, { ...SYSTEM, timeout: 600_000 });
  seed = (await nodes[0].call(
    "worklog.demo.seed",
    { scale: SCALE },
    { ...SYSTEM, timeout: 600_000 },
  )) as WorklogSeedResult;
  console.log("worklog demo seed", seed);
}, 600_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

test("when a quarter of the demo is seeded, then about 8,000 personal logs plus the weekly org logs load with comments and marks", () => {
  expect(seed.seeded).toBe(true);
  expect(seed.logs).toBeGreaterThan(30_000 * SCALE);
  expect(seed.logs).toBeLessThan(34_000 * SCALE + 1100);
  expect(seed.comments).toBeGreaterThan(1000 * SCALE);
  expect(seed.usefulMarks).toBeGreaterThan(1000 * SCALE);
});

test("when seeded again without reset, then nothing changes", async () => {
  expect(await nodes[0].call("worklog.demo.seed", {}, SYSTEM)).toEqual({ seeded: false });
});

test("when a month's compliance is asked for all 21 organisations, then the lax county ranks last on weekly org logs", async () => {
  const to = addDays(localDate(new Date()), -1);
  const from = addDays(to, -89);
  const r = (await nodes[0].call("worklog.compliance.report", { from, to }, SYSTEM)) as ComplianceReport;
  expect(r.orgs.length).toBe(21);
  expect(r.ranking.orgLog.length).toBe(20);
  expect(r.ranking.orgLog[19].orgId).toBe("kangbao");
  const rates = r.ranking.personal.map((c) => c.personal.rate ?? 0);
  expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.05);
});
