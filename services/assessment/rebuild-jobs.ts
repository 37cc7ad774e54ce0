/**
 * Rebuilds as background jobs (重建计数): a rebuild reads every source and takes from seconds to
 * minutes, longer than an HTTP request should wait, so the action starts a job and the client
 * polls its progress.
 *
 * - One job per year at a time, across replicas: starting takes a Redis lock per year, and returns
 *   the year's running job when there is one (so asking twice starts one rebuild).
 * - Only the replica that runs a job writes its document: at most once a second while it moves, and
 *   at least every HEARTBEAT_MS. A running job not heard from for STALE_MS (its replica stopped)
 *   reads as failed, and the next start replaces it.
 * - Times are wall-clock (`Date`), not the service's injectable calendar clock: they are heartbeats.
 */
import { randomBytes } from "node:crypto";
import type { Model } from "mongoose";
import type { RebuildJob, RebuildPhase, RebuildResult } from "../../shared/contracts/assessment";
import { withLockWait } from "../../shared/locks";
import type { RebuildJobDoc } from "./data/models";

export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 60_000;
const FLUSH_MS = 1000;

/** What a job reports while it runs. */
export interface JobReport {
  progress(phase: RebuildPhase, done: number, total: number): void;
  warn(message: string): void;
}

export type RebuildRunner = (year: number, report: JobReport) => Promise<RebuildResult>;

interface Running {
  doc: RebuildJobDoc;
  dirty: boolean;
  written: number;
  timer: NodeJS.Timeout;
  writes: Promise<void>;
}

/** A stored job as the API shows it; a running job without a heartbeat is reported failed. */
export function jobView(d: RebuildJobDoc, now = Date.now()): RebuildJob {
  const dead = d.state === "running" && now - new Date(d.updatedAt).getTime() > STALE_MS;
  return {
    id: d._id,
    year: d.year,
    state: dead ? "failed" : d.state,
    phase: d.phase,
    done: d.done,
    total: d.total,
    startedAt: new Date(d.startedAt).toISOString(),
    startedBy: d.startedBy,
    updatedAt: new Date(d.updatedAt).toISOString(),
    finishedAt: d.finishedAt ? new Date(d.finishedAt).toISOString() : null,
    result: d.result,
    error: dead ? "重建进程已中断（服务停止或重启），请重新发起" : d.error,
    warnings: d.warnings,
  };
}

export class RebuildJobs {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly model: Model<RebuildJobDoc>,
    private readonly run: RebuildRunner,
    private readonly onError: (jobId: string, err: unknown) => void,
  ) {}

  /** Starts the year's rebuild, or returns the one running now. */
  start(year: number, startedBy: string | null): Promise<RebuildJob> {
    return withLockWait(`assessment:rebuild:${year}`, 10_000, async () => {
      const latest = await this.latestDoc(year);
      if (latest && jobView(latest).state === "running") return this.view(latest._id, latest);
      const now = new Date();
      const doc: RebuildJobDoc = {
        _id: `${year}-${now.getTime().toString(36)}-${randomBytes(3).toString("hex")}`,
        year,
        state: "running",
        phase: "queued",
        done: 0,
        total: 0,
        startedAt: now,
        startedBy,
        updatedAt: now,
        finishedAt: null,
        result: null,
        error: null,
        warnings: [],
      };
      await this.model.collection.insertOne(doc as never);
      this.launch(doc);
      return jobView(doc);
    });
  }

  async get(id: string): Promise<RebuildJob | null> {
    const local = this.running.get(id);
    if (local) return jobView(local.doc);
    const doc = (await this.model.collection.findOne({ _id: id } as never)) as RebuildJobDoc | null;
    return doc && jobView(doc);
  }

  async latest(year: number): Promise<RebuildJob | null> {
    const doc = await this.latestDoc(year);
    return doc && this.view(doc._id, doc);
  }

  /** On service stop: the jobs running here are recorded as interrupted. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map((r) =>
        this.finish(r, { state: "failed", error: "服务停止，重建未完成，请重新发起" }),
      ),
    );
  }

  private view(id: string, stored: RebuildJobDoc): RebuildJob {
    return jobView(this.running.get(id)?.doc ?? stored);
  }

  /** The year's most recent job; the collection holds a handful per year, so a scan is cheap. */
  private async latestDoc(year: number): Promise<RebuildJobDoc | null> {
    const docs = (await this.model.collection.find({ year } as never).toArray()) as unknown as RebuildJobDoc[];
    return docs.reduce<RebuildJobDoc | null>(
      (a, d) => (!a || new Date(d.startedAt).getTime() > new Date(a.startedAt).getTime() ? d : a),
      null,
    );
  }

  private launch(doc: RebuildJobDoc): void {
    const r: Running = { doc, dirty: false, written: Date.now(), timer: undefined as never, writes: Promise.resolve() };
    r.timer = setInterval(() => {
      if (r.dirty || Date.now() - r.written >= HEARTBEAT_MS) this.write(r);
    }, FLUSH_MS);
    this.running.set(doc._id, r);
    const report: JobReport = {
      progress: (phase, done, total) => {
        Object.assign(r.doc, { phase, done, total });
        r.dirty = true;
      },
      warn: (message) => {
        r.doc.warnings.push(message);
        r.dirty = true;
      },
    };
    void this.run(doc.year, report).then(
      (result) => this.finish(r, { state: "done", result, done: r.doc.total }),
      (err: unknown) => {
        this.onError(doc._id, err);
        return this.finish(r, { state: "failed", error: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  /** Writes are chained: only this replica writes the document, one write at a time. */
  private write(r: Running): Promise<void> {
    r.dirty = false;
    r.written = Date.now();
    r.doc.updatedAt = new Date();
    const snapshot = structuredClone(r.doc);
    r.writes = r.writes
      .then(() => this.model.collection.replaceOne({ _id: snapshot._id } as never, snapshot as never))
      .then(
        () => undefined,
        (err: unknown) => this.onError(snapshot._id, err),
      );
    return r.writes;
  }

  private async finish(r: Running, end: Partial<RebuildJobDoc>): Promise<void> {
    if (!this.running.has(r.doc._id)) return; // already finished (stopped, then the run ended)
    this.running.delete(r.doc._id);
    clearInterval(r.timer);
    Object.assign(r.doc, end, { finishedAt: new Date() });
    await this.write(r);
  }
}
