/**
 * Writing a staff import, as a background job: only the rows that differ, in batches, each batch's
 * change events right after it is written. A job that stops part-way has written whole batches;
 * importing the same file again writes what is left (the plan compares rows with what is stored).
 */
import { audit } from "../../../shared/audit";
import type { StaffImportResult } from "../../../shared/contracts/personnel";
import type { JobReport } from "../../../shared/store/jobs";
import type { Ctx, StaffDoc, This } from "../personnel.types";
import type { StaffImportPlan } from "../staff-import";

/** One staff import runs at a time, bureau-wide (two would race on the same records). */
export const STAFF_IMPORT_KEY = "staff";

/** Rows per write: small enough that one batch never holds the database for long. */
export const IMPORT_BATCH = 200;

export interface StaffImportInput {
  plan: StaffImportPlan;
  /** The request that started it: who is audited and from where. */
  ctx: Ctx<unknown>;
}

export const staffImportMethods = {
  async applyStaffImport(this: This, { plan, ctx }: StaffImportInput, report: JobReport): Promise<StaffImportResult> {
    const total = plan.creates.length + plan.updates.length;
    let done = 0;
    report.progress("writing", 0, total);
    for (let i = 0; i < plan.creates.length; i += IMPORT_BATCH) {
      const batch = plan.creates.slice(i, i + IMPORT_BATCH);
      await this.m.Staff.insertMany(batch, { ordered: false });
      for (const s of batch) await this.staffChanged(ctx, s);
      report.progress("writing", (done += batch.length), total);
    }
    for (let i = 0; i < plan.updates.length; i += IMPORT_BATCH) {
      const batch = plan.updates.slice(i, i + IMPORT_BATCH);
      // By `_id` alone (FerretDB serves no other filter from an index); only the differing fields are set.
      await this.m.Staff.bulkWrite(
        batch.map((u) => ({ updateOne: { filter: { _id: u.id }, update: { $set: u.set, $inc: { version: 1 } } } })),
      );
      const written = await this.m.Staff.find({ _id: { $in: batch.map((u) => u.id) } }).lean<StaffDoc[]>();
      for (const s of written) await this.staffChanged(ctx, s);
      report.progress("writing", (done += batch.length), total);
    }
    const result = { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    await audit(ctx, "personnel.staff.import", "success", null, { ...result });
    return result;
  },
};
