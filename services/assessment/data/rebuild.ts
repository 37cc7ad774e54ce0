/**
 * The rebuild (重建计数): the year's read model recomputed from the source services, every document
 * replaced. Runs as a background job (shared/store/jobs.ts) and after the demo seed.
 */
import { call } from "../../../shared/contracts/actions";
import type { RebuildPhase, RebuildResult } from "../../../shared/contracts/assessment";
import type { CompletionMatrix } from "../../../shared/contracts/plans";
import type { FactsResult } from "../../../shared/contracts/info";
import { localDate } from "../../../shared/time";
import {
  attendanceMonthId,
  decodeKey,
  encodeKey,
  factEntry,
  monthCount,
  monthKey,
  orgYearId,
  personDocId,
  submissionKey,
  type AttendanceMonthDoc,
  type DayEntry,
  type FactEntry,
  type OrgYearDoc,
  type PersonDoc,
  type TaskEntry,
  type Versioned,
} from "../counters";
import type { JobReport } from "../../../shared/store/jobs";
import type { This } from "../types";
import { BATCH, type LearningDoc } from "./models";
import { SYSTEM } from "./read-model";

/** A rebuild's calls read whole collections at the sources; on a busy FerretDB they may take a while. */
const REBUILD_CALL = { ...SYSTEM, timeout: 120_000 };

/** Runs `fn` over `items` with at most `n` calls in flight. */
async function inParallel<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

export const rebuildMethods = {
  /**
   * Recomputes the year's read model from the source services and replaces every document.
   * `report` hears the phase and progress (the background job's status) and what was left out.
   */
  async rebuild(this: This, year: number, report?: JobReport): Promise<RebuildResult> {
    const started = Date.now();
    const phasesMs: Record<string, number> = {};
    let mark = started;
    const progress = (name: RebuildPhase, done = 0, total = 0): void => report?.progress(name, done, total);
    const phase = (name: string, next?: RebuildPhase): void => {
      phasesMs[name] = Date.now() - mark;
      mark = Date.now();
      if (next) progress(next);
    };
    progress("facts");
    const v = Date.now();
    this.invalidateRefs();
    const refs = await this.refs();
    const lastMonth = year < this.currentYear() ? 12 : year > this.currentYear() ? 0 : Number(this.today().slice(5, 7));
    const months = Array.from({ length: lastMonth }, (_, i) => i + 1);
    const orgIds = [...refs.orgs.keys()];
    const people = new Map<string, PersonDoc>();
    const person = (staffId: string): PersonDoc => {
      let p = people.get(staffId);
      if (!p) people.set(staffId, (p = { _id: personDocId(staffId, year), staffId, year, facts: {}, months: {} }));
      return p;
    };
    await this.people.idle();
    const current = await this.yearCache(year);
    for (const s of refs.staff.values()) if (s.status === "active") person(s.id);

    // Indicator facts: learning from our own records, information and publicity from info.
    const learning = (await this.m.Learning.collection.find({ year } as never).toArray()) as unknown as LearningDoc[];
    const facts: { staffId: string; id: string; entry: FactEntry }[] = learning.map((d) => ({
      staffId: d.staffId,
      id: `learn:${d._id}`,
      entry: { k: "learning", v: d.version, d: d.date, x: d.hours, l: d.course, lv: null },
    }));
    const infoUp = this.broker.registry
      .getServiceList({ onlyAvailable: true, skipInternal: true })
      .some((svc) => svc.name === "info");
    if (infoUp) {
      for (let cursor: string | null = null; ;) {
        const page: FactsResult = await call(
          this.broker,
          "info.facts.list",
          { year, limit: 5000, ...(cursor ? { cursor } : {}) },
          REBUILD_CALL,
        );
        for (const f of page.facts) facts.push({ staffId: f.staffId, id: f.factId, entry: factEntry(f) });
        if (!(cursor = page.nextCursor)) break;
      }
    } else {
      // Without info, keep the information and publicity facts already counted rather than lose them.
      const warning = "info 服务不可用：信息报送和宣传保留现有计数";
      this.logger.warn(warning);
      report?.warn(warning);
      for (const p of current.people.values())
        for (const [id, f] of Object.entries(p.facts))
          if (f.k !== "learning") facts.push({ staffId: p.staffId, id: decodeKey(id), entry: f });
    }
    phase("facts", "attendance");
    for (const f of facts) {
      const doc = person(f.staffId);
      const key = encodeKey(f.id);
      if (!doc.facts[key] || doc.facts[key].v < f.entry.v) doc.facts[key] = f.entry;
    }

    // Attendance: each month of the whole bureau from personnel, in one read per month; the days go
    // to the (person, month) documents, their counters to the person documents.
    let attendanceDays = 0;
    let monthsRead = 0;
    const monthDocs: AttendanceMonthDoc[] = [];
    await inParallel(months, 2, async (month) => {
      const rows = await call(this.broker, "personnel.attendance.monthAll", { year, month }, REBUILD_CALL);
      for (const p of rows) {
        const days: Record<string, DayEntry> = {};
        for (const [day, s] of Object.entries(p.days)) days[day] = { s, v };
        if (!Object.keys(days).length) continue;
        monthDocs.push({ _id: attendanceMonthId(p.staffId, year, month), staffId: p.staffId, year, month, days });
        person(p.staffId).months[monthKey(month)] = monthCount(days);
        attendanceDays += Object.keys(days).length;
      }
      progress("attendance", ++monthsRead, months.length);
    });

    phase("attendance", "tasks");
    // Tasks: the year's completion matrix (every part of every task).
    const matrix = await call(this.broker, "plans.matrix", { year }, REBUILD_CALL);
    const taskDocs = new Map<string, OrgYearDoc>();
    const cells = new Map<string, CompletionMatrix["cells"]>();
    for (const c of matrix.cells) cells.set(c.taskId, [...(cells.get(c.taskId) ?? []), c]);
    for (const t of matrix.tasks) {
      const orgId = refs.divisions.get(t.leadDivisionId)?.orgId;
      if (!orgId) continue;
      const id = orgYearId("tasks", year, orgId);
      if (!taskDocs.has(id)) taskDocs.set(id, { _id: id, kind: "tasks", year, orgId, entries: {} });
      const parts = (cells.get(t.id) ?? []).sort((a, b) => (a.role === b.role ? 0 : a.role === "lead" ? -1 : 1));
      taskDocs.get(id)!.entries[t.id] = {
        v, // the rebuild's time: events after it replace the entry, older redeliveries do not
        w: t.weight,
        due: t.dueDate,
        ok: t.state === "approved" ? 1 : 0,
        parts: parts.map((c) => ({ d: c.divisionId, st: c.status, p: c.progress })),
      } as TaskEntry;
    }

    phase("tasks", "submissions");
    // Monthly submissions of the divisions that report.
    const subDocs = new Map<string, OrgYearDoc>(
      orgIds.map((o) => [
        orgYearId("subs", year, o),
        { _id: orgYearId("subs", year, o), kind: "subs", year, orgId: o, entries: {} },
      ]),
    );
    let submissions = 0;
    let divMonthsRead = 0;
    const divMonths = [...refs.divisions.values()]
      .filter((d) => d.reports)
      .flatMap((d) =>
        months.concat(lastMonth < 12 && lastMonth > 0 ? [lastMonth + 1] : []).map((month) => ({ d, month })),
      );
    await inParallel(divMonths, 8, async ({ d, month }) => {
      const view = await call(
        this.broker,
        "plans.months.get",
        { scope: "division", ownerId: d.id, year, month },
        REBUILD_CALL,
      );
      for (const kind of ["arrangement", "completion"] as const) {
        const part = view[kind];
        if (!part?.submittedAt) continue;
        subDocs.get(orgYearId("subs", year, d.orgId))!.entries[submissionKey(d.id, kind, month)] = {
          v: Date.parse(part.submittedAt),
          late: localDate(new Date(part.submittedAt)) > part.dueDate ? 1 : 0,
        } as Versioned;
        submissions++;
      }
      progress("submissions", ++divMonthsRead, divMonths.length);
    });

    phase("submissions", "logs");
    // Log compliance, per organisation, from worklog.
    let orgsRead = 0;
    const logDocs = await inParallel(orgIds, 4, async (orgId) => {
      const compliance = await call(
        this.broker,
        "worklog.compliance.report",
        { from: `${year}-01-01`, to: `${year}-12-31`, orgId },
        REBUILD_CALL,
      );
      progress("logs", ++orgsRead, orgIds.length);
      return {
        _id: orgYearId("logs", year, orgId),
        kind: "logs" as const,
        year,
        orgId,
        entries: Object.fromEntries(
          compliance.people.map((p) => [p.staffId, { v, due: p.due, done: p.done, onTime: p.onTime }]),
        ),
      };
    });

    phase("logs", "write");
    // Documents of the year no longer backed by any source are emptied.
    for (const p of current.people.values()) person(p.staffId);
    const orgDocs = [...taskDocs.values(), ...subDocs.values(), ...logDocs];
    const orgDocIds = new Set(orgDocs.map((d) => d._id));
    for (const d of current.orgDocs.values())
      if (!orgDocIds.has(d._id)) orgDocs.push({ _id: d._id, kind: d.kind, year, orgId: d.orgId, entries: {} });
    // Month documents in bulk (tens of thousands; only recounts read them), removing the months a
    // person document counted that no source backs now. Then the person documents, which hold the counters.
    const monthIds = new Set(monthDocs.map((d) => d._id));
    const staleMonths = [...current.people.values()].flatMap((p) =>
      Object.keys(p.months ?? {})
        .map((mm) => attendanceMonthId(p.staffId, year, Number(mm)))
        .filter((id) => !monthIds.has(id)),
    );
    const total = monthDocs.length + staleMonths.length + people.size + orgDocs.length;
    let written = 0;
    await this.attendanceMonths.idle();
    const monthWrites = [
      ...monthDocs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      ...staleMonths.map((id) => ({ deleteOne: { filter: { _id: id } } })),
    ];
    for (let i = 0; i < monthWrites.length; i += BATCH / 2) {
      const batch = monthWrites.slice(i, i + BATCH / 2);
      await this.m.AttendanceMonth.collection.bulkWrite(batch as never, { ordered: false });
      progress("write", (written += batch.length), total);
    }
    await inParallel([...people.values()], 16, async (p) => {
      await this.people.replace(p);
      if (++written % 100 === 0) progress("write", written, total);
    });
    await inParallel(orgDocs, 8, (d) => this.orgYears.replace(d));
    progress("write", total, total);
    // No drop of the year's cache: the writers' onWritten put every document in it as written, and
    // invalidated the scores; a dropped cache would make the next summary read the year cold again.
    phase("write");
    return {
      year,
      people: people.size,
      divisions: refs.divisions.size,
      facts: facts.length,
      attendanceDays,
      tasks: matrix.tasks.length,
      submissions,
      ms: Date.now() - started,
      phasesMs,
    };
  },
};
