/**
 * What every bureau-scale import shares (issue 21): staff, attendance, learning records, tasks.
 *
 * 1. The action reads and checks the whole file at once: any bad cell is a 422 listing every one,
 *    and nothing is written.
 * 2. It compares the rows with what is stored (each domain's own plan): a file exported by the
 *    platform and imported back unchanged plans no write at all.
 * 3. It starts a job (shared/store/jobs.ts) with the plan and answers 202 `{ job }` at once; the job
 *    writes only the rows that differ, IMPORT_BATCH at a time, reporting done/total, and announces
 *    only what it wrote. So no action runs on after its caller has timed out, and no single write
 *    holds the database for long.
 * 4. The client polls `GET /imports/jobs/:id` (importJobAction) until the job is done, with the
 *    counts as its result. The web client's XlsxImport follows it with a progress bar.
 */
import type { Context, ServiceActionsSchema } from "moleculer";
import type { AuthRule, CallMeta } from "../auth";
import { isCityWide } from "../auth";
import type { JobView } from "../contracts/jobs";
import { ConflictError, NotFoundError } from "../errors";
import { ID } from "../params";

import type { JobReport, Jobs } from "./jobs";

/** Rows per write: small enough that one batch never holds the database for long. */
export const IMPORT_BATCH = 200;

type ImportCtx = Context<unknown, CallMeta & { $statusCode?: number }>;

/**
 * Starts the key's import job once its file has been checked: `plan` runs only when no import of the
 * key is running (planning may reserve ids), and the answer is 202 `{ job }`. One running already:
 * 409 IMPORT_RUNNING with `busy` as the message.
 */
export async function startImportJob<I, R>(
  jobs: Jobs<I, R>,
  key: string,
  ctx: ImportCtx,
  busy: string,
  plan: () => I | Promise<I>,
): Promise<{ job: JobView<R> }> {
  if ((await jobs.latest(key))?.state === "running") throw new ConflictError("IMPORT_RUNNING", busy);
  const { job, started } = await jobs.tryStart(key, await plan(), ctx.meta.user?.accountId ?? null);
  if (!started) throw new ConflictError("IMPORT_RUNNING", busy);
  ctx.meta.$statusCode = 202;
  return { job };
}

/**
 * A job's writes in batches of IMPORT_BATCH, counted against `total` in the "writing" phase; call the
 * returned function once per kind of write (creates, then updates, …), in order.
 */
export function batchedWrites(
  report: JobReport,
  total: number,
): <T>(items: T[], write: (batch: T[]) => Promise<unknown>) => Promise<void> {
  let done = 0;
  report.progress("writing", 0, total);
  return async (items, write) => {
    for (let i = 0; i < items.length; i += IMPORT_BATCH) {
      const batch = items.slice(i, i + IMPORT_BATCH);
      await write(batch);
      report.progress("writing", (done += batch.length), total);
    }
  };
}

/**
 * `GET /imports/jobs/:id` of a service whose imports run on `this.imports`: one's own import, or any
 * for city-wide administrators; anyone else's is a 404 as if it did not exist.
 */
export function importJobAction(auth: AuthRule): ServiceActionsSchema {
  return {
    "imports.jobs.get": {
      rest: "GET /imports/jobs/:id",
      auth,
      params: { $$strict: true, id: ID },
      async handler(this: { imports: Jobs<unknown, unknown> }, ctx: Context<{ id: string }, CallMeta>) {
        const job = await this.imports.get(ctx.params.id);
        const user = ctx.meta.user;
        const mine = ctx.meta.system || (user && (job?.startedBy === user.accountId || isCityWide(user)));
        if (!job || !mine) throw new NotFoundError("IMPORT_JOB_NOT_FOUND", "导入任务不存在");
        return job;
      },
    },
  };
}
