/**
 * The read model as the service holds it: the sources' references (personnel's organisations and
 * staff, plans' deadlines), a year's documents, its scheme and snapshot, and the scores computed
 * from them, each cached until what it was read from changes.
 */
import type { Scheme, SnapshotMeta, SnapshotResults } from "../../../shared/contracts/assessment";
import { call } from "../../../shared/contracts/actions";
import { localDate } from "../../../shared/time";
import { tablesWorkbook } from "../../../shared/report-table";
import {
  yearOf,
  type LogEntry,
  type OrgYearDoc,
  type PersonDoc,
  type TaskEntry,
  type Versioned,
  type YearDeadlines,
} from "../counters";
import { computeYear, type StaffRef, type YearResults } from "../scoring";
import { unpack } from "../snapshot";
import type { Refs, This, YearCache } from "../types";
import { schemeInput, schemeView, snapshotMeta } from "../views";
import type { SchemeDoc, SnapshotDoc } from "./models";

export const SYSTEM = { meta: { system: true } };
/** Plain event between assessment replicas: a year's documents changed on another one. */
export const CACHE_EVENT = "assessment.cache.invalidate";

export const readModelMethods = {
  today(this: This): string {
    return localDate(this.clock.now());
  },

  currentYear(this: This): number {
    return yearOf(this.today());
  },

  /** Organisations, divisions and staff from personnel, cached until a staff record changes. */
  async refs(this: This): Promise<Refs> {
    this.refsPromise ??= (async () => {
      const [orgs, directory] = await Promise.all([
        call(this.broker, "personnel.orgs.list", {}, SYSTEM),
        call(this.broker, "personnel.staff.directory", {}, SYSTEM),
      ]);
      return {
        orgs: new Map(
          orgs.map((o) => [o.id, { id: o.id, name: o.name, shortName: o.shortName, order: o.order, kind: o.kind }]),
        ),
        divisions: new Map(
          orgs.flatMap((o) =>
            o.divisions.map((d) => [
              d.id,
              {
                id: d.id,
                orgId: d.orgId,
                name: d.name,
                order: o.order * 1000 + d.order,
                reports: d.kind !== "leadership",
              },
            ]),
          ),
        ),
        staff: new Map(directory.map((s) => [s.id, s])),
      };
    })();
    const p = this.refsPromise;
    return p.catch((err) => {
      if (this.refsPromise === p) this.refsPromise = null;
      throw err;
    });
  },

  invalidateRefs(this: This): void {
    this.refsPromise = null;
    for (const c of this.years.values()) c.results = null;
  },

  /** The year's documents: one scan each of two small collections, then kept current by the writers. */
  async yearCache(this: This, year: number): Promise<YearCache> {
    let c = this.years.get(year);
    if (!c) this.years.set(year, (c = { people: new Map(), orgDocs: new Map(), ready: null, results: null }));
    const cache = c;
    cache.ready ??= (async () => {
      const [people, orgDocs] = await Promise.all([
        this.m.Person.collection.find({ year } as never).toArray() as unknown as Promise<PersonDoc[]>,
        this.m.OrgYear.collection.find({ year } as never).toArray() as unknown as Promise<OrgYearDoc[]>,
      ]);
      // A write that landed meanwhile is newer than what the scan read.
      for (const p of people) if (!cache.people.has(p.staffId)) cache.people.set(p.staffId, p);
      // Person documents from before the month split held the days (`att`) and no counters: rebuild.
      if (people.some((p) => "att" in p))
        void this.jobs.start(String(year), year, null).then(
          (job) => this.logger.warn(`${year} 年考核计数为旧格式（考勤明细在人员文档中），已开始重建: ${job.id}`),
          (err) => this.logger.error("旧格式考核计数的重建未能开始:", err),
        );
      for (const d of orgDocs) if (!cache.orgDocs.has(d._id)) cache.orgDocs.set(d._id, d);
    })().catch((err) => {
      cache.ready = null;
      throw err;
    });
    await cache.ready;
    return cache;
  },

  docWritten(this: This, doc: PersonDoc | OrgYearDoc): void {
    const c = this.years.get(doc.year);
    if (c) {
      if ("staffId" in doc) c.people.set(doc.staffId, doc);
      else c.orgDocs.set(doc._id, doc);
      c.results = null;
    }
    this.broker.broadcast(CACHE_EVENT, { year: doc.year });
  },

  dropYear(this: This, year: number, broadcast = true): void {
    this.years.delete(year);
    this.snapshots.delete(year);
    if (broadcast) this.broker.broadcast(CACHE_EVENT, { year });
  },

  async scheme(this: This, year: number): Promise<Scheme> {
    const doc = (await this.m.Scheme.collection.findOne({ _id: String(year) } as never)) as SchemeDoc | null;
    return schemeView(year, doc);
  },

  /** Due dates of the year's monthly arrangements and reports, from plans (its calendar and settings). */
  async deadlines(this: This, year: number): Promise<YearDeadlines> {
    let p = this.deadlineCache.get(year);
    if (!p) {
      p = Promise.all(
        Array.from({ length: 12 }, (_, i) => call(this.broker, "plans.deadlines.get", { year, month: i + 1 }, SYSTEM)),
      ).then((ms) => ({ arrangement: ms.map((m) => m.arrangementDue), completion: ms.map((m) => m.completionDue) }));
      this.deadlineCache.set(year, p);
      p.catch(() => this.deadlineCache.delete(year));
      // Plans' due-day setting has no event: look again after a while.
      setTimeout(() => this.deadlineCache.get(year) === p && this.deadlineCache.delete(year), 600_000).unref();
    }
    return p;
  },

  /** Scores computed from the read model now, cached until a document, the scheme or the day changes. */
  async liveResults(this: This, year: number): Promise<YearResults> {
    const [refs, cache, scheme, deadlines] = await Promise.all([
      this.refs(),
      this.yearCache(year),
      this.scheme(year),
      this.deadlines(year),
    ]);
    const today = this.today();
    const key = `${today}|${scheme.version}|${scheme.isDefault}`;
    if (cache.results?.key === key) return cache.results.value;
    const tasks: TaskEntry[] = [];
    const subs: Record<string, Versioned> = {};
    const logDocs = new Map<string, OrgYearDoc>();
    for (const d of cache.orgDocs.values()) {
      if (d.kind === "tasks") tasks.push(...(Object.values(d.entries) as TaskEntry[]));
      else if (d.kind === "subs") Object.assign(subs, d.entries);
      else logDocs.set(d.orgId, d);
    }
    const staff: StaffRef[] = [...refs.staff.values()]
      .filter((s) => s.status === "active")
      .map((s) => ({ id: s.id, name: s.name, orgId: s.orgId, divisionId: s.divisionId }));
    // A person's compliance as their organisation counts it: one who moved keeps an older entry in
    // the document of the organisation they left, which counts for nothing now.
    const logs = new Map<string, LogEntry>();
    for (const s of staff) {
      const e = logDocs.get(s.orgId)?.entries[s.id];
      if (e) logs.set(s.id, e as LogEntry);
    }
    const value = computeYear({
      today: today < `${year}-12-31` ? today : `${year + 1}-01-01`,
      scheme: schemeInput(scheme),
      orgs: [...refs.orgs.values()],
      divisions: [...refs.divisions.values()],
      staff,
      people: cache.people,
      tasks,
      subs,
      logs,
      deadlines,
    });
    cache.results = { key, value };
    return value;
  },

  /** A frozen year's snapshot, else the live results. */
  async results(this: This, year: number): Promise<{ results: YearResults; frozen: boolean }> {
    const s = await this.snapshot(year);
    if (s) return { results: s.results, frozen: true };
    return { results: await this.liveResults(year), frozen: false };
  },

  async snapshot(this: This, year: number): Promise<{ meta: SnapshotMeta; results: SnapshotResults } | null> {
    let p = this.snapshots.get(year);
    if (!p) {
      p = (async () => {
        const doc = (await this.m.Snapshot.collection.findOne({ _id: String(year) } as never)) as SnapshotDoc | null;
        return doc ? { meta: snapshotMeta(doc), results: JSON.parse(unpack(doc.results)) as SnapshotResults } : null;
      })();
      this.snapshots.set(year, p);
      p.catch(() => this.snapshots.delete(year));
    }
    return p;
  },

  /**
   * After a start, reads the current year's read model and sources (refs, deadlines) and loads the
   * workbook code, in the background: the first summary then reads no database.
   */
  async warmUp(this: This): Promise<void> {
    await this.broker.waitForServices(["personnel", "plans"], 300_000);
    // A platform starting up is busy: a source call may time out; try again a little later.
    for (let attempt = 1; ; attempt++)
      try {
        await this.liveResults(this.currentYear());
        break;
      } catch (err) {
        if (attempt >= 5 || !this.broker.started) throw err;
        await new Promise((r) => setTimeout(r, 10_000));
      }
    await tablesWorkbook([]);
  },
};
