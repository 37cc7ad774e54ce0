/**
 * Writing personnel's imports (staff, a month of attendance) as background jobs, one runner for
 * both (shared/store/import-jobs.ts): only the rows that differ, IMPORT_BATCH at a time, each
 * batch's change events right after it is written. A job that stops part-way has written whole
 * batches; importing the same file again writes what is left (the plan compares with what is stored).
 */
import { audit } from "../../../shared/audit";
import type { AttendanceImportResult, StaffImportResult } from "../../../shared/contracts/personnel";
import { batchedWrites } from "../../../shared/store/import-jobs";
import type { JobReport } from "../../../shared/store/jobs";
import type { AttendancePlan } from "../attendance-import";
import type { Ctx, StaffDoc, This } from "../personnel.types";
import type { StaffImportPlan } from "../staff-import";

/** One staff import runs at a time, bureau-wide (two would race on the same records). */
export const STAFF_IMPORT_KEY = "staff";
/** One import of a month's attendance at a time. */
export const attendanceImportKey = (year: number, month: number): string =>
  `attendance-${year}-${String(month).padStart(2, "0")}`;

/** A job's input; `ctx` is the request that started it: who is audited and from where. */
export type PersonnelImport =
  | { kind: "staff"; plan: StaffImportPlan; ctx: Ctx<unknown> }
  | { kind: "attendance"; plan: AttendancePlan; ctx: Ctx<unknown> };
export type PersonnelImportResult = StaffImportResult | AttendanceImportResult;

export const importMethods = {
  runImport(this: This, input: PersonnelImport, report: JobReport): Promise<PersonnelImportResult> {
    return input.kind === "staff"
      ? this.applyStaffImport(input.plan, input.ctx, report)
      : this.applyAttendanceImport(input.plan, input.ctx, report);
  },

  async applyStaffImport(
    this: This,
    plan: StaffImportPlan,
    ctx: Ctx<unknown>,
    report: JobReport,
  ): Promise<StaffImportResult> {
    const write = batchedWrites(report, plan.creates.length + plan.updates.length);
    await write(plan.creates, async (batch) => {
      await this.m.Staff.insertMany(batch, { ordered: false });
      for (const s of batch) await this.staffChanged(ctx, s);
    });
    await write(plan.updates, async (batch) => {
      // By `_id` alone (FerretDB serves no other filter from an index); only the differing fields are set.
      await this.m.Staff.bulkWrite(
        batch.map((u) => ({ updateOne: { filter: { _id: u.id }, update: { $set: u.set, $inc: { version: 1 } } } })),
      );
      const written = await this.m.Staff.find({ _id: { $in: batch.map((u) => u.id) } }).lean<StaffDoc[]>();
      for (const s of written) await this.staffChanged(ctx, s);
    });
    const result = { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    await audit(ctx, "personnel.staff.import", "success", null, { ...result });
    return result;
  },

  async applyAttendanceImport(
    this: This,
    plan: AttendancePlan,
    ctx: Ctx<unknown>,
    report: JobReport,
  ): Promise<AttendanceImportResult> {
    const write = batchedWrites(report, plan.creates.length + plan.updates.length);
    for (const people of [plan.creates, plan.updates])
      await write(people, async (batch) => {
        await this.upsertAttendance(plan.year, plan.month, batch);
        await this.announceAttendance(batch.flatMap((p) => p.entries));
      });
    const result = {
      created: plan.creates.length,
      updated: plan.updates.length,
      unchanged: plan.unchanged,
      days: [...plan.creates, ...plan.updates].reduce((n, p) => n + p.entries.length, 0),
    };
    await audit(ctx, "personnel.attendance.import", "success", `month:${plan.year}-${plan.month}`, { ...result });
    return result;
  },
};
