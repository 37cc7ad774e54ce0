import { STALE_MS, jobView } from "../../../services/assessment/rebuild-jobs";
import type { RebuildJobDoc } from "../../../services/assessment/data/models";

const at = new Date("2026-11-25T10:00:00.000Z");
const doc = (over: Partial<RebuildJobDoc> = {}): RebuildJobDoc => ({
  _id: "2026-abc",
  year: 2026,
  state: "running",
  phase: "attendance",
  done: 3,
  total: 11,
  startedAt: at,
  startedBy: "a-hr",
  updatedAt: at,
  finishedAt: null,
  result: null,
  error: null,
  warnings: [],
  ...over,
});

describe("rebuild job views", () => {
  test("when a running job was heard from within the stale limit, then it reads as running with its progress", () => {
    expect(jobView(doc(), at.getTime() + STALE_MS)).toEqual({
      id: "2026-abc",
      year: 2026,
      state: "running",
      phase: "attendance",
      done: 3,
      total: 11,
      startedAt: "2026-11-25T10:00:00.000Z",
      startedBy: "a-hr",
      updatedAt: "2026-11-25T10:00:00.000Z",
      finishedAt: null,
      result: null,
      error: null,
      warnings: [],
    });
  });

  test("when a running job has not been heard from for longer, then it reads as failed, interrupted", () => {
    const v = jobView(doc(), at.getTime() + STALE_MS + 1);
    expect(v.state).toBe("failed");
    expect(v.error).toContain("中断");
  });

  test("when a job has finished, then its age does not matter", () => {
    const v = jobView(doc({ state: "done", finishedAt: at }), at.getTime() + 10 * STALE_MS);
    expect(v).toMatchObject({ state: "done", error: null, finishedAt: "2026-11-25T10:00:00.000Z" });
  });
});
