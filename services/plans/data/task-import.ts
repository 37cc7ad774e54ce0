/**
 * Writing a task import as a background job (shared/store/import-jobs.ts): the new tasks, then the
 * edits of the rows that differ, IMPORT_BATCH at a time, each announced as a form entry or edit is.
 * Rows that match their task write and announce nothing.
 */
import { audit } from "../../../shared/audit";
import type { ImportCounts } from "../../../shared/contracts/jobs";
import { batchedWrites } from "../../../shared/store/import-jobs";
import type { JobReport } from "../../../shared/store/jobs";
import type { TaskImportPlan } from "../task-import";
import type { Ctx, This } from "../types";

/** One task import of a year at a time (two would race on the same tasks). */
export const taskImportKey = (year: number): string => `tasks-${year}`;

/** A job's input; `ctx` is the request that started it: who is audited and from where. */
export interface TaskImport {
  plan: TaskImportPlan;
  ctx: Ctx<unknown>;
}

export const taskImportMethods = {
  async applyTaskImport(this: This, { plan, ctx }: TaskImport, report: JobReport): Promise<ImportCounts> {
    const write = batchedWrites(report, plan.creates.length + plan.updates.length);
    await write(plan.creates, (batch) => this.createTasks(ctx, batch));
    await write(plan.updates, async (batch) => {
      for (const u of batch) await this.editTask(ctx, await this.loadTask(u.id), u.changes);
    });
    const result = { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    await audit(ctx, "plans.task.import", "success", null, { ...result });
    return result;
  },
};
