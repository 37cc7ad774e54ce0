/**
 * Background jobs that report their progress: a rebuild of the assessment counters, a bureau-wide
 * import. Such work takes from seconds to minutes, longer than an HTTP request should wait, so the
 * action starts a job and answers at once; the client polls the job's phase and done/total.
 *
 * - One job per key at a time, across replicas: starting takes a Redis lock on the key, and returns
 *   the key's running job when there is one (so asking twice starts the work once).
 * - Only the replica that runs a job writes its document: at most once a second while it moves, and
 *   at least every HEARTBEAT_MS. A running job not heard from for STALE_MS (its replica stopped)
 *   reads as failed, and the next start replaces it.
 * - The job's input stays in the memory of the replica that runs it; nothing but the progress and
 *   the result is stored.
 * - Times are wall-clock (`Date`), not a service's injectable calendar clock: they are heartbeats.
 *
 * On MongoDB as on FerretDB this is plain inserts and `_id` replaces; the cost is one small write a
 * second per running job.
 */
import { randomBytes } from "node:crypto";
import type { Model } from "mongoose";
import type { JobState, JobView } from "../contracts/jobs";
import { withLockWait } from "../locks";

export const HEARTBEAT_MS = 10_000;
export const STALE_MS = 60_000;
const FLUSH_MS = 1000;

/** A job as stored. `key` says what it works on (a year, an organisation's import, …). */
export interface JobDoc<R> {
  _id: string;
  key: string;
  state: JobState;
  phase: string;
  done: number;
  total: number;
  startedAt: Date;
  startedBy: string | null;
  updatedAt: Date;
  finishedAt: Date | null;
  result: R | null;
  error: string | null;
  warnings: string[];
}

/** What a job reports while it runs. */
export interface JobReport {
  progress(phase: string, done: number, total: number): void;
  warn(message: string): void;
}

export interface JobsOptions<I, R> {
  /** Names the Redis lock of each key (`<lockName>:<key>`), e.g. "assessment:rebuild". */
  lockName: string;
  run(input: I, report: JobReport, key: string): Promise<R>;
  onError(jobId: string, err: unknown): void;
  /** What a job that stopped without finishing says (its replica went away). */
  interrupted: string;
  /** What the jobs running here say when this service stops. */
  stopped: string;
}

interface Running<R> {
  doc: JobDoc<R>;
  dirty: boolean;
  written: number;
  timer: NodeJS.Timeout;
  writes: Promise<void>;
}

/** A stored job as the API shows it; a running job without a heartbeat is reported failed. */
export function jobView<R>(d: JobDoc<R>, interrupted: string, now = Date.now()): JobView<R> {
  const dead = d.state === "running" && now - new Date(d.updatedAt).getTime() > STALE_MS;
  return {
    id: d._id,
    key: d.key,
    state: dead ? "failed" : d.state,
    phase: d.phase,
    done: d.done,
    total: d.total,
    startedAt: new Date(d.startedAt).toISOString(),
    startedBy: d.startedBy,
    updatedAt: new Date(d.updatedAt).toISOString(),
    finishedAt: d.finishedAt ? new Date(d.finishedAt).toISOString() : null,
    result: d.result,
    error: dead ? interrupted : d.error,
    warnings: d.warnings,
  };
}

export class Jobs<I, R> {
  private readonly running = new Map<string, Running<R>>();

  constructor(
    private readonly model: Model<JobDoc<R>>,
    private readonly opts: JobsOptions<I, R>,
  ) {}

  /** Starts the key's job with this input, or returns the one running now (and drops the input). */
  async start(key: string, input: I, startedBy: string | null): Promise<JobView<R>> {
    return (await this.tryStart(key, input, startedBy)).job;
  }

  /** As start(), and says whether this call started the job (false: one was running already). */
  tryStart(key: string, input: I, startedBy: string | null): Promise<{ job: JobView<R>; started: boolean }> {
    return withLockWait(`${this.opts.lockName}:${key}`, 10_000, async () => {
      const latest = await this.latestDoc(key);
      if (latest && this.view(latest).state === "running") return { job: this.view(latest), started: false };
      const now = new Date();
      const doc: JobDoc<R> = {
        _id: `${key}-${now.getTime().toString(36)}-${randomBytes(3).toString("hex")}`,
        key,
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
      this.launch(doc, input);
      return { job: this.view(doc), started: true };
    });
  }

  async get(id: string): Promise<JobView<R> | null> {
    const local = this.running.get(id);
    if (local) return this.view(local.doc);
    const doc = (await this.model.collection.findOne({ _id: id } as never)) as JobDoc<R> | null;
    return doc && this.view(doc);
  }

  async latest(key: string): Promise<JobView<R> | null> {
    const doc = await this.latestDoc(key);
    return doc && this.view(doc);
  }

  /** On service stop: the jobs running here are recorded as interrupted. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.running.values()].map((r) => this.finish(r, { state: "failed", error: this.opts.stopped })),
    );
  }

  private view(stored: JobDoc<R>): JobView<R> {
    return jobView(this.running.get(stored._id)?.doc ?? stored, this.opts.interrupted);
  }

  /** The key's most recent job; the collection holds a handful per key, so a scan of them is cheap. */
  private async latestDoc(key: string): Promise<JobDoc<R> | null> {
    const docs = (await this.model.collection.find({ key } as never).toArray()) as unknown as JobDoc<R>[];
    return docs.reduce<JobDoc<R> | null>(
      (a, d) => (!a || new Date(d.startedAt).getTime() > new Date(a.startedAt).getTime() ? d : a),
      null,
    );
  }

  private launch(doc: JobDoc<R>, input: I): void {
    const r: Running<R> = {
      doc,
      dirty: false,
      written: Date.now(),
      timer: undefined as never,
      writes: Promise.resolve(),
    };
    r.timer = setInterval(() => {
      if (r.dirty || Date.now() - r.written >= HEARTBEAT_MS) void this.write(r);
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
    void this.opts.run(input, report, doc.key).then(
      (result) => this.finish(r, { state: "done", result, done: r.doc.total }),
      (err: unknown) => {
        this.opts.onError(doc._id, err);
        return this.finish(r, { state: "failed", error: err instanceof Error ? err.message : String(err) });
      },
    );
  }

  /** Writes are chained: only this replica writes the document, one write at a time. */
  private write(r: Running<R>): Promise<void> {
    r.dirty = false;
    r.written = Date.now();
    r.doc.updatedAt = new Date();
    const snapshot = structuredClone(r.doc);
    r.writes = r.writes
      .then(() => this.model.collection.replaceOne({ _id: snapshot._id } as never, snapshot as never))
      .then(
        () => undefined,
        (err: unknown) => this.opts.onError(snapshot._id, err),
      );
    return r.writes;
  }

  private async finish(r: Running<R>, end: Partial<JobDoc<R>>): Promise<void> {
    if (!this.running.has(r.doc._id)) return; // already finished (stopped, then the run ended)
    this.running.delete(r.doc._id);
    clearInterval(r.timer);
    Object.assign(r.doc, end, { finishedAt: new Date() });
    await this.write(r);
  }
}
