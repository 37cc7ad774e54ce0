/**
 * The compliance read model: one document per (organisation, month), keyed by `_id`, holding one
 * entry per log of that month (who, which day, on time or not, at which version).
 *
 * Why: FerretDB (SQLite backend) pushes no filter down except `_id` equality, so compliance reads
 * these ~21 × 2–3 small documents by `_id` instead of range-scanning per-day facts. Entries are
 * keyed by log id and carry the log's version, so applying the same change twice, or an older
 * change after a newer one, changes nothing: consumers may see duplicates and still count once.
 */
import type { Model } from "mongoose";
import { addDays, weekStart } from "../../shared/calendar";
import type { LogKind } from "../../shared/contracts/worklog";
import type { Fact } from "./compliance";

/** One log in its (organisation, month) bucket. `w` marks a withdrawn log or one moved to another date. */
export interface Entry {
  k: "p" | "o";
  /** staffId for personal logs, orgId for organisation logs */
  s: string;
  d: string;
  /** 1 when published by the deadline (plus grace) */
  t: 0 | 1;
  v: number;
  w?: 1;
}

export interface BucketDoc {
  _id: string;
  orgId: string;
  /** YYYY-MM */
  month: string;
  logs: Record<string, Entry>;
}

export interface LogFacts {
  _id: string;
  kind: LogKind;
  authorStaffId: string;
  orgId: string;
  date: string;
  late: boolean;
  version: number;
}

export const bucketId = (orgId: string, date: string): string => `${orgId}|${date.slice(0, 7)}`;

export const entryOf = (log: LogFacts, removed = false): Entry => ({
  k: log.kind === "org" ? "o" : "p",
  s: log.kind === "org" ? log.orgId : log.authorStaffId,
  d: log.date,
  t: log.late ? 0 : 1,
  v: log.version,
  ...(removed ? { w: 1 as const } : {}),
});

const isDupKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;

interface Pending {
  orgId: string;
  month: string;
  entries: Map<string, Entry>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Writes entries into buckets, one write at a time per bucket, merging the entries that arrive
 * meanwhile into the next write. FerretDB 1.24 loses concurrent updates to one document (measured:
 * 20 concurrent `$inc` of one field leave 3 to 7 on either backend), so writes to a bucket must not
 * overlap; in one process this queue guarantees it, and the batching keeps the write count low.
 * Several worklog processes on FerretDB could still race: `readModel.rebuild` restores the model.
 * On MongoDB each update is atomic anyway.
 */
export class BucketWriter {
  private readonly pending = new Map<string, Pending>();
  private readonly busy = new Set<string>();

  /**
   * `onWritten` hears each bucket after a write lands, with the bucket as now stored (the service
   * keeps that as its cached copy, so compliance need not read it back).
   */
  constructor(
    private readonly Bucket: Model<BucketDoc>,
    private readonly onWritten: (id: string, doc: BucketDoc) => void = () => undefined,
  ) {}

  /** Sets a log's entry unless its bucket already holds the same or a newer version. */
  apply(orgId: string, date: string, logId: string, entry: Entry): Promise<void> {
    const id = bucketId(orgId, date);
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = { orgId, month: date.slice(0, 7), entries: new Map(), waiters: [] }));
    const queued = p.entries.get(logId);
    if (!queued || queued.v < entry.v) p.entries.set(logId, entry);
    const done = new Promise<void>((resolve, reject) => p.waiters.push({ resolve, reject }));
    if (!this.busy.has(id)) void this.drain(id);
    return done;
  }

  private async drain(id: string): Promise<void> {
    this.busy.add(id);
    try {
      for (let p = this.pending.get(id); p; p = this.pending.get(id)) {
        this.pending.delete(id);
        try {
          this.onWritten(id, await this.write(id, p));
          for (const w of p.waiters) w.resolve();
        } catch (err) {
          for (const w of p.waiters) w.reject(err);
        }
      }
    } finally {
      this.busy.delete(id);
    }
  }

  /** Writes the pending entries; returns the bucket as stored afterwards. */
  private async write(id: string, p: Pending): Promise<BucketDoc> {
    const doc = (await this.Bucket.collection.findOne({ _id: id } as never)) as BucketDoc | null;
    const set: Record<string, Entry> = {};
    for (const [logId, e] of p.entries) {
      const current = doc?.logs?.[logId];
      if (!current || current.v < e.v) set[logId] = e;
    }
    if (doc && !Object.keys(set).length) return doc;
    if (!doc) {
      const created: BucketDoc = { _id: id, orgId: p.orgId, month: p.month, logs: set };
      try {
        await this.Bucket.collection.insertOne({ ...created } as never);
        return created;
      } catch (err) {
        if (!isDupKey(err)) throw err;
        return this.write(id, p); // another process created it meanwhile
      }
    }
    await this.Bucket.collection.updateOne(
      { _id: id } as never,
      {
        $set: Object.fromEntries(Object.entries(set).map(([logId, e]) => [`logs.${logId}`, e])),
      } as never,
    );
    return { ...doc, logs: { ...doc.logs, ...set } };
  }
}

/**
 * Records a log's current state: its entry in its date's bucket, and a tombstone in the bucket of
 * the date it had before an edit moved it to another month.
 */
export async function recordLog(
  writer: BucketWriter,
  log: LogFacts,
  opts: { removed?: boolean; previousDate?: string } = {},
): Promise<void> {
  const moved = opts.previousDate && bucketId(log.orgId, opts.previousDate) !== bucketId(log.orgId, log.date);
  await Promise.all([
    moved
      ? writer.apply(log.orgId, opts.previousDate!, log._id, entryOf({ ...log, date: opts.previousDate! }, true))
      : null,
    writer.apply(log.orgId, log.date, log._id, entryOf(log, opts.removed)),
  ]);
}

/** Months (YYYY-MM) that hold the facts compliance needs for [from, to]: whole ISO weeks around it. */
export function monthsFor(from: string, to: string): string[] {
  const first = weekStart(from);
  const last = addDays(weekStart(to), 6);
  const out: string[] = [];
  for (let y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7)); ;) {
    const ym = `${y}-${String(m).padStart(2, "0")}`;
    if (ym > last.slice(0, 7)) break;
    out.push(ym);
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The facts in buckets, for days in [from, to]; withdrawn and moved entries are left out. */
export function factsOf(buckets: Iterable<Pick<BucketDoc, "logs">>, from: string, to: string): Fact[] {
  const out: Fact[] = [];
  for (const b of buckets)
    for (const e of Object.values(b.logs ?? {})) {
      if (e.w || e.d < from || e.d > to) continue;
      out.push({ kind: e.k === "o" ? "org" : "personal", subject: e.s, date: e.d, count: 1, onTime: e.t });
    }
  return out;
}

/** Builds the buckets from logs (the demo seed and a rebuild from the logs collection). */
export function bucketsOf(logs: Iterable<LogFacts & { status: string }>): BucketDoc[] {
  const out = new Map<string, BucketDoc>();
  for (const l of logs) {
    if (l.status === "draft") continue;
    const id = bucketId(l.orgId, l.date);
    let b = out.get(id);
    if (!b) out.set(id, (b = { _id: id, orgId: l.orgId, month: l.date.slice(0, 7), logs: {} }));
    b.logs[l._id] = entryOf(l, l.status === "withdrawn");
  }
  return [...out.values()];
}

/**
 * Reads buckets by `_id` (the one lookup every backend serves from an index), in parallel;
 * `read` may serve them from a cache.
 */
export async function readBuckets(
  Bucket: Model<BucketDoc>,
  orgIds: Iterable<string>,
  months: string[],
  read: (id: string, load: () => Promise<BucketDoc | null>) => Promise<BucketDoc | null> = (_, load) => load(),
): Promise<BucketDoc[]> {
  const ids = [...orgIds].flatMap((o) => months.map((m) => `${o}|${m}`));
  const docs = await Promise.all(
    ids.map((id) => read(id, async () => (await Bucket.collection.findOne({ _id: id } as never)) as BucketDoc | null)),
  );
  return docs.filter((d): d is NonNullable<typeof d> => !!d) as unknown as BucketDoc[];
}
