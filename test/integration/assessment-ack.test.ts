/**
 * Assessment acknowledges a log-compliance event only once its effect is stored: its broker is
 * stopped right after its consumer receives the event (inside the window in which the old design
 * did the work on a timer, after acknowledging), restarted, and the count is right without any
 * sweep. Real personnel, worklog and plans on their own brokers over NATS and FerretDB.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ChannelSchema, ServiceBroker, ServiceSchema } from "moleculer";
import { ManualClock } from "../../shared/clock";
import type { StaffBreakdown } from "../../shared/contracts/assessment";
import type { StaffView } from "../../shared/contracts/personnel";
import { castOf } from "../support/cast";

/** Tuesday 10 March 2026, 10:00 in Shanghai. */
const clock = new ManualClock(new Date("2026-03-10T02:00:00Z"));
let nodes: ServiceBroker[] = [];
let assessment: ServiceBroker | null = null;
let broker: ServiceBroker;
const { staff, call } = castOf<"a">(() => broker, { a: ["staff"] });

const withClock = (s: ServiceSchema, extra: object = {}): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() }, ...extra } }) as ServiceSchema;

/** Called when an assessment consumer of a worklog channel receives an event (before its handler runs). */
let onLogEvent: ((channel: string) => void) | null = null;

/** The assessment schema, its worklog consumers reporting each event they receive; no sweep. */
function watched(s: ServiceSchema): ServiceSchema {
  const channels = Object.fromEntries(
    Object.entries((s.channels ?? {}) as Record<string, ChannelSchema<unknown>>).map(([name, c]) => [
      name,
      {
        ...c,
        handler(this: unknown, event: unknown) {
          if (name.startsWith("worklog.")) onLogEvent?.(name);
          return c.handler!.call(this as never, event as never);
        },
      },
    ]),
  );
  return withClock({ ...s, channels } as ServiceSchema, { logSweepMs: 0 });
}

const breakdown = () =>
  broker.call<StaffBreakdown, object>("assessment.breakdown", { staffId: staff.a.id, year: 2026 }, SYSTEM);

beforeAll(async () => {
  const [worklogSchema] = await schemas("worklog");
  const [plansSchema] = await schemas("plans");
  nodes = [
    await startNode("personnel", await schemas("personnel")),
    await startNode("worklog", [withClock(worklogSchema)]),
    await startNode("plans", [withClock(plansSchema)]),
  ];
  broker = nodes[0];
  assessment = await startNode("assessment", [watched((await schemas("assessment"))[0])]);
  await broker.waitForServices(["personnel", "worklog", "plans", "assessment"], 30_000);
  staff.a = (await broker.call(
    "personnel.staff.create",
    {
      orgId: "city",
      divisionId: "city-budget",
      name: "甲预算",
      gender: "female",
      birthDate: "1988-05-01",
      education: "本科",
      politicalStatus: "中共党员",
      title: "科员",
      hireDate: "2012-07-01",
    },
    SYSTEM,
  )) as StaffView;
  // Whatever the staff event leads to has settled: the person's compliance is known, nothing done yet.
  await waitFor(breakdown, (b) => b.logs.due > 0 && b.logs.done === 0, 15_000);
  await new Promise((r) => setTimeout(r, 1500));
}, 120_000);

afterAll(async () => {
  await assessment?.stop();
  for (const n of nodes.reverse()) await n.stop();
});

test("when assessment stops right after it receives a log's event and starts again, then the log counts", async () => {
  const first = assessment!;
  const received = new Promise<string>((resolve) => (onLogEvent = resolve));
  await call("worklog.logs.create", { done: "审核部门预算调整方案" }, "a");
  await received;
  onLogEvent = null;
  // At once: well inside the 200 ms in which the old consumer had acknowledged and not yet stored.
  await first.stop();
  assessment = await startNode("assessment", [watched((await schemas("assessment"))[0])]);
  await broker.waitForServices(["assessment"], 30_000);
  const b = await waitFor(breakdown, (r) => r.logs.done === 1, 10_000).catch(() => null);
  expect(b?.logs).toMatchObject({ done: 1, onTime: 1 });
}, 60_000);
