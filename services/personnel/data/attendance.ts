/**
 * The month collections of attendance: the model of a month, reads and the batched upserts.
 *
 * Requests do not create collections or indexes. FerretDB's SQLite backend takes a lock that every
 * database shares to create either, and creating them on the request path (the first touch of a
 * month, as this module used to) has deadlocked the embedded database. So:
 * - start-up (`ensureAttendanceMonths`) ensures the collection and indexes of every month collection
 *   there is and of every month of the previous, current and next year, one after another; a daily
 *   timer does the same, so the window moves on with the calendar (off the request path);
 * - reads use the month's model as it is: a month without a collection reads as empty and stays
 *   without one (the schema has autoCreate off);
 * - writes go through `attendanceForWrite`, which accepts only those months: a write to any other
 *   month (a back-filled year with no collection yet) is a 422 on its date, `attendanceWritable`
 *   saying so before anything is written.
 */
import type { Model } from "mongoose";
import type { AttendanceStatus } from "../../../shared/contracts/personnel";
import { fieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { attendanceScope } from "../access";
import { splitDate } from "../calendar";
import type { AttendanceDays, AttendanceDoc, AttendanceEntry, Ctx, StaffDoc, This } from "../personnel.types";
import { attendanceCollection, attendanceModel } from "./models";
import { BATCH } from "./store";

const MONTH_COLLECTION = /^attendance_(\d{4})_(\d{2})$/;

export const attendanceMethods = {
  /** A month's model for reading; creates nothing (a missing collection reads as empty). */
  attendance(this: This, year: number, month: number): Model<AttendanceDoc> {
    return attendanceModel(this.db, year, month);
  },

  /** Whether a month's collection and indexes were made ahead of time, so that it may be written. */
  attendanceWritable(this: This, year: number, month: number): boolean {
    return this.attendanceReady.has(attendanceCollection(year, month));
  },

  /** A month's model for writing; only a month made ahead of time (the caller checked attendanceWritable). */
  async attendanceForWrite(this: This, year: number, month: number): Promise<Model<AttendanceDoc>> {
    const ready = this.attendanceReady.get(attendanceCollection(year, month));
    if (!ready) throw fieldError("date", `${year}年${month}月的考勤不在可录入的年份内（上一年至下一年）`);
    await ready;
    return attendanceModel(this.db, year, month);
  },

  /** Creates a month's collection and indexes once per process (start-up, the daily timer, a demo reload). */
  ensureAttendanceMonth(this: This, year: number, month: number): Promise<void> {
    const name = attendanceCollection(year, month);
    let ready = this.attendanceReady.get(name);
    if (!ready) {
      ready = attendanceModel(this.db, year, month)
        .createIndexes()
        .then(() => undefined);
      ready.catch(() => this.attendanceReady.delete(name));
      this.attendanceReady.set(name, ready);
    }
    return ready;
  },

  /** At start-up: every existing month collection and the months of the previous, current and next year. */
  async ensureAttendanceMonths(this: This): Promise<void> {
    const months = new Map<string, { year: number; month: number }>();
    const year = splitDate(this.today()).year;
    for (let y = year - 1; y <= year + 1; y++)
      for (let m = 1; m <= 12; m++) months.set(attendanceCollection(y, m), { year: y, month: m });
    const collections = (await this.db.db?.listCollections({}, { nameOnly: true }).toArray()) ?? [];
    for (const c of collections) {
      const match = MONTH_COLLECTION.exec(c.name);
      if (match) months.set(c.name, { year: Number(match[1]), month: Number(match[2]) });
    }
    // One at a time: each takes the database-wide lock.
    for (const { year: y, month: m } of months.values()) await this.ensureAttendanceMonth(y, m);
  },

  /** Drops every month collection (a demo reload). */
  async dropAttendance(this: This): Promise<void> {
    const collections = (await this.db.db?.listCollections({}, { nameOnly: true }).toArray()) ?? [];
    for (const c of collections)
      if (c.name.startsWith("attendance_")) await this.db.dropCollection(c.name).catch(() => undefined);
    this.attendanceReady.clear();
  },

  async statusesOn(this: This, date: string, orgIds: string[] | null): Promise<Map<string, AttendanceStatus>> {
    const { year, month, day } = splitDate(date);
    const filter: Record<string, unknown> = orgIds ? { orgId: { $in: orgIds } } : {};
    const model = this.attendance(year, month);
    const docs = await model.find(filter, { staffId: 1, days: 1 }).lean<AttendanceDoc[]>();
    const out = new Map<string, AttendanceStatus>();
    for (const d of docs) {
      const s = d.days?.[day];
      if (s) out.set(d.staffId, s);
    }
    return out;
  },

  /** One upsert per person-month, setting all of that month's days at once. */
  async writeAttendance(this: This, entries: AttendanceEntry[]): Promise<void> {
    const groups = new Map<string, { year: number; month: number; people: Map<string, AttendanceDays> }>();
    for (const e of entries) {
      const { year, month, day } = splitDate(e.date);
      const g = groups.get(`${year}-${month}`) ?? { year, month, people: new Map() };
      const p = g.people.get(e.staffId) ?? { staffId: e.staffId, orgId: e.orgId, divisionId: e.divisionId, days: {} };
      p.days[day] = e.status;
      g.people.set(e.staffId, p);
      groups.set(`${year}-${month}`, g);
    }
    for (const { year, month, people } of groups.values()) {
      const all = [...people.values()];
      for (let i = 0; i < all.length; i += BATCH) await this.upsertAttendance(year, month, all.slice(i, i + BATCH));
    }
    await this.announceAttendance(entries);
  },

  /** Sets these days of these people's month, creating a person's month document when missing. */
  async upsertAttendance(this: This, year: number, month: number, people: AttendanceDays[]): Promise<void> {
    if (!people.length) return;
    const model = await this.attendanceForWrite(year, month);
    await model.bulkWrite(
      people.map((p) => ({
        updateOne: {
          filter: { _id: p.staffId },
          update: {
            $set: {
              staffId: p.staffId,
              orgId: p.orgId,
              divisionId: p.divisionId,
              ...Object.fromEntries(Object.entries(p.days).map(([day, status]) => [`days.${day}`, status])),
            },
            $setOnInsert: { year, month },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  },

  /**
   * Durable, so the assessment service's attendance counters follow every entry and import;
   * `at` orders writes (real time, not the injectable calendar clock).
   */
  async announceAttendance(this: This, entries: AttendanceEntry[]): Promise<void> {
    const at = new Date().toISOString();
    for (let i = 0; i < entries.length; i += BATCH)
      await publish(this.broker, "personnel.attendance.changed", { at, entries: entries.slice(i, i + BATCH) });
  },
};

/** The active staff in an attendance view's scope, with their days of the month. */
export async function loadAttendanceMonth(
  svc: This,
  ctx: Ctx<{ year: number; month: number; orgId?: string; divisionId?: string }>,
): Promise<{
  scope: { orgId?: string; divisionId?: string };
  staff: StaffDoc[];
  byStaff: Map<string, Record<string, AttendanceStatus>>;
}> {
  const scope = attendanceScope(svc, ctx);
  const [staff, docs] = await Promise.all([
    svc.m.Staff.find({ ...scope, status: "active" }, { name: 1, divisionId: 1 })
      .sort({ divisionId: 1, _id: 1 })
      .lean<StaffDoc[]>(),
    svc.attendance(ctx.params.year, ctx.params.month).find(scope).lean<AttendanceDoc[]>(),
  ]);
  return { scope, staff, byStaff: new Map(docs.map((d) => [d.staffId, d.days ?? {}])) };
}
