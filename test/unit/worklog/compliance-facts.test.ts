/**
 * Compliance facts from the read index (filed per organisation and month): the same facts and rates
 * as computed straight from the logs, whatever edits, withdrawals and out-of-order updates came.
 */
import { WorkCalendar } from "../../../shared/calendar";
import { computeRates, type Fact, type Policy } from "../../../services/worklog/compliance";
import { LogIndex, monthsFor } from "../../../services/worklog/data/log-index";
import type { LogDoc } from "../../../services/worklog/data/models";

const log = (id: string, s: string, date: string, extra: Partial<LogDoc> = {}): LogDoc =>
  ({
    _id: id.padStart(24, "0"),
    kind: "personal",
    status: "published",
    authorStaffId: s,
    authorName: s,
    orgId: s.startsWith("y") ? "yuxian" : "zhangbei",
    divisionId: "d",
    date,
    done: "",
    thoughts: "",
    tags: [],
    taskIds: [],
    tokens: [],
    version: 1,
    edited: false,
    late: false,
    publishedAt: new Date(`${date}T08:00:00Z`),
    readCount: 0,
    usefulCount: 0,
    commentCount: 0,
    createdAt: new Date(`${date}T08:00:00Z`),
    ...extra,
  }) as LogDoc;

// A fixed set: two counties, a late log, a withdrawn one, a draft, an org log, two logs on one day.
const LOGS: LogDoc[] = [
  log("1", "y1", "2026-02-09"),
  log("2", "y1", "2026-02-10", { late: true }),
  log("3", "y1", "2026-02-10"),
  log("4", "y2", "2026-02-12", { status: "withdrawn", version: 2 }),
  log("5", "y2", "2026-02-27"),
  log("6", "z1", "2026-03-02"),
  log("7", "z1", "2026-02-28", { status: "draft", publishedAt: null }),
  log("8", "y1", "2026-02-13", { kind: "org" }),
];

/** Facts straight from the logs, as the per-day facts used to be kept. */
function rawFacts(logs: LogDoc[], from: string, to: string): Fact[] {
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
const ORGS = ["yuxian", "zhangbei"];
/** Which subject has a log on which day, on time or not: the part of the facts compliance reads. */
const days = (facts: Fact[]) =>
  [...new Set(facts.map((f) => `${f.kind}|${f.subject}|${f.date}|${f.onTime > 0 ? "on time" : "late"}`))].sort();

test("when the index holds a fixed set of logs, then compliance from its facts equals the computation from the raw logs", () => {
  const [from, to] = ["2026-02-09", "2026-03-01"];
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
    policies: new Map(ORGS.map((o) => [o, policy(o)])),
    counties: [],
  };
  const fromIndex = computeRates({ ...input, facts: LogIndex.of(LOGS).facts(ORGS, from, to) });
  const fromLogs = computeRates({ ...input, facts: rawFacts(LOGS, from, to) });
  expect(fromIndex).toEqual(fromLogs);
  expect(fromIndex.people.find((p) => p.staffId === "y1")).toMatchObject({ due: 11, done: 2, onTime: 2 });
  expect(fromIndex.orgLog.get("yuxian")).toMatchObject({ due: 2, done: 1 });
});

test("when facts are asked for one organisation and a range, then only its published logs in the range come", () => {
  const facts = LogIndex.of(LOGS).facts(["yuxian"], "2026-02-10", "2026-02-27");
  expect(days(facts)).toEqual([
    "org|yuxian|2026-02-13|on time",
    "personal|y1|2026-02-10|late",
    "personal|y1|2026-02-10|on time",
    "personal|y2|2026-02-27|on time",
  ]);
});

test("when a log is published, edited into the previous month, withdrawn and republished elsewhere, then the facts follow each step", () => {
  const idx = LogIndex.of([]);
  const a = log("a", "y1", "2026-03-02");
  const facts = () => days(idx.facts(["yuxian"], "2026-02-01", "2026-03-31"));
  idx.apply(a);
  expect(facts()).toEqual(["personal|y1|2026-03-02|on time"]);
  idx.apply({ ...a, date: "2026-02-27", version: 2, late: true });
  expect(facts()).toEqual(["personal|y1|2026-02-27|late"]);
  idx.apply({ ...a, date: "2026-02-27", version: 3, status: "withdrawn" });
  expect(facts()).toEqual([]);
  idx.apply(log("b", "y1", "2026-03-03"));
  expect(facts()).toEqual(["personal|y1|2026-03-03|on time"]);
});

test("when an older version of a log arrives after a newer one, then the index keeps the newer one", () => {
  const idx = LogIndex.of([]);
  const a = log("c", "y2", "2026-02-16");
  idx.apply({ ...a, version: 2, status: "withdrawn" });
  idx.apply(a);
  expect(idx.get(a._id)?.status).toBe("withdrawn");
  expect(idx.facts(["yuxian"], "2026-02-01", "2026-02-28")).toEqual([]);
});

test("when one subject's facts are asked, then they are that subject's part of the organisation's facts", () => {
  const idx = LogIndex.of([...LOGS, log("9", "y1", "2026-02-11", { orgId: "zhangbei" })]);
  const [from, to] = ["2026-02-01", "2026-03-31"];
  const of = (kind: Fact["kind"], subject: string, orgId: string) =>
    days(idx.facts([orgId], from, to).filter((f) => f.kind === kind && f.subject === subject));
  // Filed in the person's organisation only: a log filed elsewhere (before a move) is another report's.
  expect(days(idx.subjectFacts("personal", "y1", "yuxian", from, to))).toEqual(of("personal", "y1", "yuxian"));
  expect(days(idx.subjectFacts("personal", "y1", "yuxian", from, to))).toHaveLength(3);
  expect(days(idx.subjectFacts("personal", "y2", "yuxian", from, to))).toEqual(of("personal", "y2", "yuxian"));
  expect(days(idx.subjectFacts("org", "yuxian", "yuxian", from, to))).toEqual(["org|yuxian|2026-02-13|on time"]);
});

test("when a range is asked, then the months it touches are visited, across a year end", () => {
  expect(monthsFor("2026-04-27", "2026-05-31")).toEqual(["2026-04", "2026-05"]);
  expect(monthsFor("2026-06-01", "2026-07-05")).toEqual(["2026-06", "2026-07"]);
  expect(monthsFor("2025-12-29", "2026-01-04")).toEqual(["2025-12", "2026-01"]);
  expect(monthsFor("2026-03-01", "2026-03-31")).toEqual(["2026-03"]);
});
