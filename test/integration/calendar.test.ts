/**
 * One owner for the working-day calendar: an override HR sets through personnel reaches every
 * service that counts working days, over the durable `calendar.override.changed` channel — personnel's
 * attendance, worklog's log obligations, plans' deadlines and reminders' days off. The day taken is
 * Tuesday 31 March 2026, made a day off: the last working day of March becomes Monday 30 March.
 */
import { schemas, startNode, SYSTEM, useTestNamespace, waitFor } from "../support/broker";
useTestNamespace();

import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { AuthUser } from "../../shared/auth";
import { ManualClock } from "../../shared/clock";
import type { CalendarOverride } from "../../shared/contracts/calendar";
import type { AttendanceMonthResult, StaffView } from "../../shared/contracts/personnel";
import type { TickResult } from "../../shared/contracts/reminders";
import type { OverdueItem } from "../../shared/contracts/worklog";

const DAY = "2026-03-31";
const at = (local: string): Date => new Date(`${local}:00+08:00`);
/** Wednesday 1 April 2026, 10:00 in Shanghai: 31 March's logs are overdue, 1 April's not yet. */
const clock = new ManualClock(at("2026-04-01T10:00"));
const withClock = (s: ServiceSchema, extra: object = {}): ServiceSchema =>
  ({ ...s, settings: { ...s.settings, clock: { now: () => clock.now() }, ...extra } }) as ServiceSchema;
let nodes: ServiceBroker[] = [];
let broker: ServiceBroker;
let person: StaffView;

const hr: AuthUser = {
  accountId: "acc-hr",
  sessionId: "sess-hr",
  staffId: null,
  name: "人教处",
  orgId: "city",
  divisionId: null,
  roles: ["hr_admin"],
};

const setDay = (working: boolean | null) =>
  broker.call("personnel.calendar.overrides.set", { date: DAY, working, note: "测试调整" }, { meta: { user: hr } });

/** What each service takes 31 March to be, as seen from outside. */
async function views() {
  const [attendance, overdue, deadlines, tick] = await Promise.all([
    broker.call<AttendanceMonthResult, object>(
      "personnel.attendance.month",
      { year: 2026, month: 3, orgId: "zhangbei" },
      SYSTEM,
    ),
    broker.call<OverdueItem[], object>("worklog.compliance.overdue", { orgId: "zhangbei" }, SYSTEM),
    broker.call<{ arrangementDue: string }, object>("plans.deadlines.get", { year: 2026, month: 4 }, SYSTEM),
    // Quiet hours on a working day, "non-working day" on a day off (checked first); a new minute each time.
    broker.call<TickResult, object>(
      "reminders.tick",
      { at: new Date(at(`${DAY}T22:00`).getTime() + ticks++ * 60_000).toISOString() },
      SYSTEM,
    ),
  ]);
  return {
    attendance: attendance.workingDays.includes(DAY),
    obligations: overdue.find((o) => o.staffId === person.id)?.missed ?? 0,
    arrangementDue: deadlines.arrangementDue,
    reminders: tick.reason,
  };
}
let ticks = 0;

beforeAll(async () => {
  const [worklog] = await schemas("worklog");
  const [plans] = await schemas("plans");
  const [reminders] = await schemas("reminders");
  const [personnel] = await schemas("personnel");
  nodes = [
    await startNode("personnel", [withClock(personnel)]),
    await startNode("worklog", [withClock(worklog)]),
    await startNode("plans", [withClock(plans)]),
    await startNode("reminders", [withClock(reminders, { schedule: false, provider: null })]),
  ];
  broker = nodes[0];
  await broker.waitForServices(["personnel", "worklog", "plans", "reminders"], 30_000);
  person = await broker.call<StaffView, object>(
    "personnel.staff.create",
    {
      orgId: "zhangbei",
      divisionId: "zhangbei-budget",
      name: "日历甲",
      gender: "female",
      birthDate: "1990-05-01",
      education: "本科",
      politicalStatus: "中共党员",
      title: "科员",
      hireDate: "2015-07-01",
    },
    SYSTEM,
  );
  // A daily log rule, so that each working day is one obligation; the staff copy arrives by channel.
  await waitFor(
    () =>
      broker
        .call(
          "worklog.policies.set",
          { orgId: "zhangbei", personal: "daily", deadline: "18:00", graceMinutes: 60 },
          SYSTEM,
        )
        .then(
          () => true,
          () => false,
        ),
    Boolean,
    20_000,
  );
  await waitFor(views, (v) => v.obligations > 0, 20_000);
}, 120_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
});

describe("the working-day calendar, owned by personnel", () => {
  test("when HR makes a working day a day off, then attendance, log obligations, plan deadlines and reminders all follow; removing it brings the day back", async () => {
    const before = await views();
    expect(before).toMatchObject({ attendance: true, arrangementDue: DAY, reminders: "quiet hours" });

    const r = await setDay(false);
    expect(r).toMatchObject({ date: DAY, working: false, day: { working: false, overridden: true } });
    expect(await broker.call<CalendarOverride[], object>("personnel.calendar.overrides.list", {}, SYSTEM)).toEqual([
      expect.objectContaining({ date: DAY, working: false, note: "测试调整" }),
    ]);
    const off = {
      attendance: false,
      obligations: before.obligations - 1,
      arrangementDue: "2026-03-30",
      reminders: "non-working day",
    };
    // Each consumer follows over the durable channel, so the views converge rather than change at once.
    await waitFor(views, (v) => JSON.stringify(v) === JSON.stringify(off), 20_000);

    await setDay(null);
    await waitFor(views, (v) => JSON.stringify(v) === JSON.stringify(before), 20_000);
  }, 60_000);

  test("when a county administrator tries to change the calendar, then it is refused", async () => {
    const county: AuthUser = { ...hr, accountId: "acc-county", orgId: "zhangbei" };
    await expect(
      broker.call("personnel.calendar.overrides.set", { date: DAY, working: false }, { meta: { user: county } }),
    ).rejects.toMatchObject({ code: 403 });
  });
});
