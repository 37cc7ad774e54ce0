/**
 * shared/store/jobs.ts on the real FerretDB and Redis: a job answers at once and reports its
 * progress; asking again while it runs gives the same job; two "replicas" start the work once;
 * a failure and an interrupted replica are reported as such.
 */
import { useTestNamespace, waitFor } from "../../support/broker";
useTestNamespace();

import mongoose, { Schema, type Connection, type Model } from "mongoose";
import { config } from "../../../shared/config";
import { dbName } from "../../../shared/db";
import { closeRedis } from "../../../shared/redis";
import { Jobs, STALE_MS, jobView, type JobDoc, type JobReport } from "../../../shared/store/jobs";

type Result = { rows: number };
let conns: Connection[] = [];
let models: Model<JobDoc<Result>>[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  conns = await Promise.all(
    [1, 2].map((i) =>
      mongoose.createConnection(config().mongoUrl, { dbName: dbName("jobs"), appName: `j${i}` }).asPromise(),
    ),
  );
  models = conns.map((c) => c.model<JobDoc<Result>>("Job", new Schema({ _id: String, key: String }), "jobs"));
});
afterAll(async () => {
  await conns[0].dropDatabase();
  await Promise.all(conns.map((c) => c.close()));
  await closeRedis();
});

/** A job that counts its input's rows, one step each time `step()` is called. */
function stepper() {
  let release: () => void = () => undefined;
  const runs: string[][] = [];
  const run = async (rows: string[], report: JobReport): Promise<Result> => {
    runs.push(rows);
    for (let i = 0; i < rows.length; i++) {
      await new Promise<void>((r) => (release = r));
      if (rows[i] === "bad") throw new Error(`第 ${i + 1} 行无法写入`);
      report.progress("writing", i + 1, rows.length);
    }
    return { rows: rows.length };
  };
  return { run, runs, step: () => release() };
}
const jobs = (m: Model<JobDoc<Result>>, run: (rows: string[], report: JobReport) => Promise<Result>) =>
  new Jobs<string[], Result>(m, {
    lockName: "test:import",
    run,
    onError: (_id, err) => errors.push(err),
    interrupted: "导入中断",
    stopped: "服务停止",
  });

test("when a job starts, then it answers at once, reports its progress, and ends done with its result", async () => {
  const s = stepper();
  const j = jobs(models[0], s.run);
  const started = await j.start("org-a", ["a", "b", "c"], "hr");
  expect([started.state, started.phase, started.key]).toEqual(["running", "queued", "org-a"]);
  await waitFor(
    () => s.runs.length,
    (n) => n === 1,
  );
  s.step();
  const mid = await waitFor(
    () => j.get(started.id),
    (v) => v?.done === 1,
  );
  expect([mid!.phase, mid!.done, mid!.total]).toEqual(["writing", 1, 3]);
  s.step();
  await waitFor(
    () => j.get(started.id),
    (v) => v?.done === 2,
  );
  s.step();
  const end = await waitFor(
    () => j.get(started.id),
    (v) => v?.state === "done",
  );
  expect([end!.result, end!.done, end!.total, end!.error]).toEqual([{ rows: 3 }, 3, 3, null]);
  // As stored, for another replica that is asked.
  const stored = await waitFor(
    () => jobs(models[1], s.run).get(started.id),
    (v) => v?.state === "done",
  );
  expect(stored!.result).toEqual({ rows: 3 });
});

test("when two replicas start the same key's job at once, then the work runs once and both answer with it", async () => {
  const s = stepper();
  const [a, b] = await Promise.all([
    jobs(models[0], s.run).start("org-b", ["x"], "hr"),
    jobs(models[1], s.run).start("org-b", ["x"], "hr"),
  ]);
  expect(a.id).toBe(b.id);
  await waitFor(
    () => s.runs.length,
    (n) => n === 1,
  );
  s.step();
  await waitFor(
    () => jobs(models[1], s.run).latest("org-b"),
    (v) => v?.state === "done",
  );
  expect(s.runs).toHaveLength(1);
});

test("when the work fails, then the job ends failed with the reason", async () => {
  const s = stepper();
  const j = jobs(models[0], s.run);
  const started = await j.start("org-c", ["ok", "bad"], "hr");
  await waitFor(
    () => s.runs.length,
    (n) => n === 1,
  );
  s.step();
  await waitFor(
    () => j.get(started.id),
    (v) => v?.done === 1,
  );
  s.step();
  const end = await waitFor(
    () => j.get(started.id),
    (v) => v?.state === "failed",
  );
  expect(end!.error).toBe("第 2 行无法写入");
  expect(errors).toHaveLength(1);
});

test("when a running job has not been heard from for longer than the stale limit, then it reads as interrupted", () => {
  const at = new Date("2026-11-25T10:00:00.000Z");
  const doc: JobDoc<Result> = {
    _id: "k-1",
    key: "k",
    state: "running",
    phase: "writing",
    done: 3,
    total: 11,
    startedAt: at,
    startedBy: "hr",
    updatedAt: at,
    finishedAt: null,
    result: null,
    error: null,
    warnings: [],
  };
  expect(jobView(doc, "导入中断", at.getTime() + STALE_MS).state).toBe("running");
  expect(jobView(doc, "导入中断", at.getTime() + STALE_MS + 1)).toMatchObject({ state: "failed", error: "导入中断" });
  expect(jobView({ ...doc, state: "done" }, "导入中断", at.getTime() + 10 * STALE_MS).state).toBe("done");
});
