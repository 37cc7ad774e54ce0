/**
 * Reminders at scale against the local fake Twilio: one run for ~1,500 overdue staff, then every
 * delivery callback; and a second run with 5 % of provider requests failing (429/500).
 * The real reminders service, gateway (callbacks), NATS, Redis and FerretDB; personnel and worklog
 * are stubs answering with 1,500 staff and 1,500 overdue people (their own costs are measured elsewhere).
 *
 * Run (jest is the TypeScript runner here; FerretDB at MONGO_URL):
 *   MONGO_URL=mongodb://127.0.0.1:27081/ node_modules/.bin/node node_modules/jest/bin/jest.js \
 *     --rootDir . --roots '<rootDir>/loadtest' --testMatch '**\/reminders-bench.ts' --testTimeout 600000
 */
import { schemas, startNode, SYSTEM, useTestNamespace } from "../test/support/broker";
useTestNamespace();

import os from "node:os";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { DirectoryEntry } from "../shared/contracts/personnel";
import type { TickResult } from "../shared/contracts/reminders";
import type { OverdueItem } from "../shared/contracts/worklog";
import { MongoClient } from "mongodb";
import { config } from "../shared/config";
import { smsEnvFor, startFakeTwilio, type FakeTwilio } from "../test/support/fake-twilio";

const STAFF = 1500;
const ORGS = 21;
const staff: DirectoryEntry[] = Array.from({ length: STAFF }, (_, i) => ({
  id: `s${String(i).padStart(4, "0")}`,
  name: `职工${i}`,
  orgId: `org${i % ORGS}`,
  divisionId: `org${i % ORGS}-d${i % 7}`,
  postId: null,
  phone: `139${String(10_000_000 + i).slice(-8)}`,
  status: "active",
  isDivisionHead: false,
}));
let missingSince = "2026-04-07";

const stubs: ServiceSchema[] = [
  { name: "personnel", actions: { "staff.directory": { auth: "internal", handler: () => staff } } },
  {
    name: "worklog",
    actions: {
      "calendar.days": { handler: () => [{ working: true }] },
      "policies.list": { handler: () => [] },
      "compliance.overdue": {
        handler: (): OverdueItem[] =>
          staff.map((s) => ({
            kind: "personal",
            staffId: s.id,
            name: s.name,
            orgId: s.orgId,
            divisionId: s.divisionId,
            rule: "daily",
            missingSince,
            overdueSince: `${missingSince}T11:00:00.000Z`,
            missed: 1,
          })),
      },
    },
  },
];

let fake: FakeTwilio;
let nodes: ServiceBroker[] = [];
const lines: string[] = [];
const log = (s: string) => {
  lines.push(s);
  console.log(s);
};

beforeAll(async () => {
  fake = await startFakeTwilio();
  await smsEnvFor(fake, { SMS_RETRY_BASE_MS: "50", SMS_CONCURRENCY: process.env.SMS_CONCURRENCY ?? "20" });
  const [schema] = await schemas("reminders");
  nodes = [
    await startNode("stubs", stubs),
    await startNode("gateway", await schemas("gateway")),
    await startNode("reminders", [{ ...schema, settings: { ...schema.settings, schedule: false } as object }]),
  ];
  await nodes[0].waitForServices(["reminders", "gateway"], 30_000);
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
  await fake?.close();
});

async function run(label: string, at: string, failureRate: number): Promise<void> {
  const firstMsg = fake.messages.length;
  const firstReq = fake.createRequests.length;
  fake.setFailureRate(failureRate);
  const t0 = Date.now();
  const r = await nodes[0].call<TickResult, object>("reminders.tick", { at }, { ...SYSTEM, timeout: 600_000 });
  const runMs = Date.now() - t0;
  fake.setFailureRate(0);
  const msgs = fake.messages.slice(firstMsg);
  const t1 = Date.now();
  // Every accepted message gets its signed delivery callback, 50 at a time.
  for (let i = 0; i < msgs.length; i += 50)
    await Promise.all(msgs.slice(i, i + 50).map((m) => fake.callback(m.sid, "delivered")));
  const cbMs = Date.now() - t1;
  const date = at.slice(0, 10);
  const search = async (status: string) =>
    (
      await nodes[0].call<{ total: number }, object>(
        "reminders.messages.search",
        { date: new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10), status, limit: 1 },
        SYSTEM,
      )
    ).total;
  const [delivered, failed, pending, sent] = await Promise.all(["delivered", "failed", "pending", "sent"].map(search));
  const perPhone = new Map<string, number>();
  for (const m of msgs) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
  const dups = [...perPhone.values()].filter((n) => n > 1).length;
  log(
    `${label}: run ${(runMs / 1000).toFixed(1)} s = ${((STAFF / runMs) * 1000).toFixed(1)} messages/s (tick reports ${r.created} created, ${r.sent} sent, ${r.failed} failed); ` +
      `provider requests ${fake.createRequests.length - firstReq}, accepted ${msgs.length}, duplicate recipients ${dups}; ` +
      `${msgs.length} callbacks in ${(cbMs / 1000).toFixed(1)} s; final: delivered ${delivered}, failed ${failed}, ` +
      `sent ${sent}, pending ${pending} (date ${date})`,
  );
  expect(r.created).toBe(STAFF);
  expect(dups).toBe(0);
  expect(delivered + failed).toBe(STAFF);
  expect(pending + sent).toBe(0);
}

/**
 * The floor under a run, in the same minute on the same database: `_id`-keyed updates of message-sized
 * documents, as many in flight as the run uses. A message costs about two such writes (its final
 * state, its outbox row) plus its share of the merged daily-summary writes.
 */
async function directWrites(n: number, inFlight: number): Promise<number> {
  const client = await MongoClient.connect(config().mongoUrl);
  const coll = client.db(`${config().namespace}_benchfloor`).collection<{ _id: string; status: string }>("m");
  try {
    await coll.insertMany(
      Array.from({ length: n }, (_, i) => ({ _id: `k${i}`, status: "pending", body: "提醒".repeat(40) })),
    );
    let next = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < n) await coll.updateOne({ _id: `k${next++}` }, { $set: { status: "sent" } });
      }),
    );
    return (n / (Date.now() - t0)) * 1000;
  } finally {
    await coll.drop().catch(() => undefined);
    await client.close();
  }
}

test("reminder runs for 1,500 staff", async () => {
  log(
    `machine: ${os.cpus().length}× ${os.cpus()[0]?.model}, load average ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
  log(`SMS_CONCURRENCY=${process.env.SMS_CONCURRENCY}, SMS_PER_MINUTE_LIMIT=0`);
  const floor = await directWrites(300, Number(process.env.SMS_CONCURRENCY));
  log(`direct _id updates on this database, same concurrency: ${floor.toFixed(0)}/s`);
  missingSince = "2026-04-07";
  await run("clean run", "2026-04-08T02:00:00.000Z", 0);
  missingSince = "2026-04-08";
  await run("5 % provider failures", "2026-04-09T02:00:00.000Z", 0.05);
  log(
    `load average after: ${os
      .loadavg()
      .map((n) => n.toFixed(1))
      .join(" ")}`,
  );
});
