/** The month collections of attendance: the model of a month, reads and the batched upserts. */
import type { Model } from "mongoose";
import type { AttendanceStatus } from "../../../shared/contracts/personnel";
import { publish } from "../../../shared/events";
import { attendanceScope } from "../access";
import { splitDate } from "../calendar";
import type { AttendanceDoc, AttendanceEntry, Ctx, StaffDoc, This } from "../personnel.types";
import { attendanceModel } from "./models";
import { BATCH } from "./store";

export const attendanceMethods = {
  async attendance(this: This, year: number, month: number): Promise<Model<AttendanceDoc>> {
    const model = attendanceModel(this.db, year, month);
    if (!this.attendanceReady.has(model.collection.name)) {
      await model.createIndexes();
      this.attendanceReady.add(model.collection.name);
    }
    return model;
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
    const model = await this.attendance(year, month);
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
    const groups = new Map<string, { year: number; month: number; ops: Map<string, Record<string, string>> }>();
    for (const e of entries) {
      const { year, month, day } = splitDate(e.date);
      const g = groups.get(`${year}-${month}`) ?? { year, month, ops: new Map() };
      const set = g.ops.get(e.staffId) ?? { staffId: e.staffId, orgId: e.orgId, divisionId: e.divisionId };
      set[`days.${day}`] = e.status;
      g.ops.set(e.staffId, set);
      groups.set(`${year}-${month}`, g);
    }
    for (const { year, month, ops } of groups.values()) {
      const model = await this.attendance(year, month);
      const writes = [...ops].map(([staffId, set]) => ({
        updateOne: {
          filter: { _id: staffId },
          update: { $set: set, $setOnInsert: { year, month } },
          upsert: true,
        },
      }));
      for (let i = 0; i < writes.length; i += BATCH)
        await model.bulkWrite(writes.slice(i, i + BATCH), { ordered: false });
    }
    // Durable, so the assessment service's attendance counters follow every entry and import;
    // `at` orders writes (real time, not the injectable calendar clock).
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
    svc.attendance(ctx.params.year, ctx.params.month).then((m) => m.find(scope).lean<AttendanceDoc[]>()),
  ]);
  return { scope, staff, byStaff: new Map(docs.map((d) => [d.staffId, d.days ?? {}])) };
}
