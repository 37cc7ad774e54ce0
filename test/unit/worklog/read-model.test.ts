/** The compliance read model: the same facts and rates as the raw logs, whatever the order of changes. */
import { WorkCalendar } from "../../../shared/calendar";
import { computeRates, type Fact, type Policy } from "../../../services/worklog/compliance";
import { bucketsOf, factsOf, monthsFor, type LogFacts } from "../../../services/worklog/read-model";

type Log = LogFacts & { status: string };
const log = (id: string, s: string, date: string, extra: Partial<Log> = {}): Log => ({
  _id: id.padStart(24, "0"),
  kind: "personal",
  authorStaffId: s,
  orgId: s.startsWith("y") ? "yuxian" : "zhangbei",
  date,
  late: false,
  version: 1,
  status: "published",
  ...extra,
});

// A fixed set: two counties, a late log, a withdrawn one, a draft, an org log, two logs on one day.
const LOGS: Log[] = [
  log("1", "y1", "2026-02-09"),
  log("2", "y1", "2026-02-10", { late: true }),
  log("3", "y1", "2026-02-10"),
  log("4", "y2", "2026-02-12", { status: "withdrawn", version: 2 }),
  log("5", "y2", "2026-02-27"),
  log("6", "z1", "2026-03-02"),
  log("7", "z1", "2026-02-28", { status: "draft" }),
  log("8", "y1", "2026-02-13", { kind: "org" }),
];

/** Facts straight from the logs, as the per-day facts used to be kept. */
function rawFacts(logs: Log[], from: string, to: string): Fact[] {
  const by = new Map<string, Fact>();
  for (const l of logs) {
    if (l.status !== "published" || l.date < from || l.date > to) continue;
    const subject = l.kind === "org" ? l.orgId : l.authorStaffId;
    const key = `${l.kind}|${subject}|${l.date}`;
    const f = by.get(key) ?? { kind: l.kind, subject, date: l.date, count: 0, onTime: 0 };
    f.count++;
    if (!l.late) f.onTime++;
    by.set(key, f);
  }
  return [...by.values()];
}

const policy = (orgId: string): Policy => ({
  orgId,
  personal: "daily",
  orgLogWeekly: true,
  deadline: "18:00",
  graceMinutes: 60,
});

test("when the buckets are built from a fixed set of logs, then compliance equals the computation from the raw logs", () => {
  const [from, to] = ["2026-02-09", "2026-03-01"];
  const buckets = bucketsOf(LOGS);
  expect(buckets.map((b) => b._id).sort()).toEqual(["yuxian|2026-02", "zhangbei|2026-03"]);
  const input = {
    from,
    to,
    now: new Date("2026-03-02T04:00:00Z"),
    cal: new WorkCalendar(),
    people: ["y1", "y2", "z1"].map((id) => ({
      id,
      name: id,
      orgId: id.startsWith("y") ? "yuxian" : "zhangbei",
      divisionId: "d",
    })),
    policies: new Map([
      ["yuxian", policy("yuxian")],
      ["zhangbei", policy("zhangbei")],
    ]),
    counties: [],
  };
  const fromModel = computeRates({ ...input, facts: factsOf(buckets, from, to) });
  const fromLogs = computeRates({ ...input, facts: rawFacts(LOGS, from, to) });
  expect(fromModel).toEqual(fromLogs);
  const y1 = fromModel.people.find((p) => p.staffId === "y1")!;
  expect(y1).toMatchObject({ due: 11, done: 2, onTime: 2 });
  expect(fromModel.orgLog.get("yuxian")).toMatchObject({ due: 2, done: 1 });
});

test("when a log is withdrawn, then its entry stays as a tombstone and counts for nothing", () => {
  const facts = factsOf(bucketsOf(LOGS), "2026-02-01", "2026-02-28");
  expect(facts.some((f) => f.subject === "y2" && f.date === "2026-02-12")).toBe(false);
  expect(bucketsOf(LOGS).find((b) => b._id === "yuxian|2026-02")!.logs["4".padStart(24, "0")]).toMatchObject({ w: 1 });
});

test("when compliance asks for a month, then the months of its whole ISO weeks are read", () => {
  expect(monthsFor("2026-05-01", "2026-05-31")).toEqual(["2026-04", "2026-05"]);
  expect(monthsFor("2026-06-01", "2026-06-30")).toEqual(["2026-06", "2026-07"]);
  expect(monthsFor("2025-12-29", "2026-01-04")).toEqual(["2025-12", "2026-01"]);
});
