/**
 * A background job as the API shows it (shared/store/jobs.ts runs them): a bureau-wide import, a
 * rebuild. The client polls it for its phase and done/total until it is done or failed.
 */
export type JobState = "running" | "done" | "failed";

export interface JobView<R> {
  id: string;
  /** What the job works on: one job per key runs at a time. */
  key: string;
  state: JobState;
  /** The step it is at, e.g. "writing"; "queued" before it begins. */
  phase: string;
  /** Steps done of `total` in the current phase; 0/0 when not counted. */
  done: number;
  total: number;
  startedAt: string;
  startedBy: string | null;
  /** Last progress; a running job writes it at least every 10 seconds. */
  updatedAt: string;
  finishedAt: string | null;
  result: R | null;
  error: string | null;
  warnings: string[];
}

/** What an import did (shared/store/import-jobs.ts), counted by rows of its file. */
export interface ImportCounts {
  created: number;
  updated: number;
  /** Rows that matched what is stored: nothing written, nothing announced. */
  unchanged: number;
}

/** An import's job, as `POST /imports/…` answers it (202 `{ job }`) and `GET /imports/jobs/:id` reports it. */
export type ImportJob<R = ImportCounts> = JobView<R>;
