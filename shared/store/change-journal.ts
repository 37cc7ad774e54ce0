/**
 * The change journal: keeps each replica's in-memory index (worklog's read index, log-index.ts)
 * current with the documents that other replicas change.
 *
 * Why: FerretDB 1.24 has no change streams, and on SQLite it pushes down no filter but `_id`
 * (docs/ferretdb.md), so a replica cannot ask the database "what changed since": it must be told,
 * and then re-read each changed document by `_id`.
 * - A replica applies its own writes to its index at once (`local`).
 * - It tells the others by a broadcast (the service's, with the changed ids and a change stamp
 *   each); they re-read those documents by `_id` (`remote`). That is the fast path.
 * - Broadcasts are fire-and-forget, so every change is also appended to a Redis stream
 *   (`RedisJournal`): one XADD per change, trimmed to the last hour. Each replica reads the stream
 *   from the last entry it read, every few seconds (`catchUp`), and re-reads the documents whose
 *   stamp it has not seen. A write therefore adds nothing to the database for the journal.
 *
 * If the journal cannot be trusted, `catchUp` says `lost` and the service rebuilds its index from
 * the collection (one full read; the old index serves meanwhile):
 * - the stream was lost (Redis restarted without persistence, or the key was deleted): whoever next
 *   writes or reads it recreates it with a `reset` entry first, and a reader that meets a `reset`
 *   entry it did not start from knows that entries may be missing;
 * - the replica did not catch up for longer than the stream keeps entries (it was stopped or cut off).
 *
 * Re-reads of one document are serialised and repeated if another change arrives meanwhile, so the
 * index ends on the state read after the last change, whatever order the events arrive in.
 *
 * On MongoDB a change stream would replace the journal and the broadcasts; the cost here is one
 * Redis XADD per change and one XRANGE per replica every few seconds.
 */

/** What the journal keeps in step: an in-memory index that takes a document, or forgets one. */
export interface ReplicaIndex<Doc> {
  apply(doc: Doc): void;
  remove(id: string): void;
}

/** Journal entries are kept this long; a replica that has not caught up for half of it rebuilds. */
export const JOURNAL_KEEP_MS = 3600_000;
/** Stamps seen are forgotten after this long (the journal is read once per entry; this only dedupes broadcasts). */
const SEEN_KEEP_MS = 10 * 60_000;
const READ_BATCH = 1000;

export interface JournalEntry {
  /** The stream entry id ("<ms>-<seq>"). */
  id: string;
  /** A `reset` entry opens a (re)created stream: entries before it may be lost. */
  reset?: true;
  /** The changed document's `_id`. */
  doc?: string;
  stamp?: string;
}

/** Where changes are noted for the replicas that missed their broadcast. */
export interface Journal {
  append(doc: string, stamp: string): Promise<void>;
  /** The id to read after, for a reader starting now (creates the stream if absent). */
  head(): Promise<string>;
  /** Entries after `after`, oldest first, at most `count`. */
  read(after: string, count: number): Promise<JournalEntry[]>;
}

/** The few ioredis calls the journal needs (the process's shared client, whose keys carry the namespace). */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Creates the stream with its `reset` entry when absent, then appends; trims what is older than ARGV[1] ms. */
const APPEND = `
if redis.call("exists", KEYS[1]) == 0 then redis.call("xadd", KEYS[1], "*", "reset", "1") end
return redis.call("xadd", KEYS[1], "MINID", "~", ARGV[1], "*", "l", ARGV[2], "s", ARGV[3])`;
/** The last entry's id, creating the stream when absent; "0-0" for an empty stream (all of it trimmed). */
const HEAD = `
if redis.call("exists", KEYS[1]) == 0 then return redis.call("xadd", KEYS[1], "*", "reset", "1") end
local last = redis.call("xrevrange", KEYS[1], "+", "-", "COUNT", 1)
if #last == 0 then return "0-0" end
return last[1][1]`;
/**
 * Entries after ARGV[1], at most ARGV[2]. A stream recreated within the same millisecond as the
 * reader's last entry (or under a clock that stepped back) numbers its `reset` entry at or below
 * the reader's position, which a plain range would skip: so when the stream opens with a `reset`
 * and the reader's position is not in it, that `reset` is returned first.
 */
const READ = `
local rows = redis.call("xrange", KEYS[1], "(" .. ARGV[1], "+", "COUNT", ARGV[2])
if ARGV[1] == "0-0" then return rows end
local first = redis.call("xrange", KEYS[1], "-", "+", "COUNT", 1)
if #first == 0 or first[1][2][1] ~= "reset" then return rows end
if #rows > 0 and rows[1][1] == first[1][1] then return rows end
if #redis.call("xrange", KEYS[1], ARGV[1], ARGV[1]) > 0 then return rows end
table.insert(rows, 1, first[1])
return rows`;

export class RedisJournal implements Journal {
  /** `redis` is asked for the client at each call: the process's shared client is replaced after a close. */
  constructor(
    private readonly redis: () => RedisLike,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  async append(doc: string, stamp: string): Promise<void> {
    await this.redis().eval(APPEND, 1, this.key, this.now() - JOURNAL_KEEP_MS, doc, stamp);
  }

  async head(): Promise<string> {
    return String(await this.redis().eval(HEAD, 1, this.key));
  }

  async read(after: string, count: number): Promise<JournalEntry[]> {
    const rows = (await this.redis().eval(READ, 1, this.key, after, count)) as [string, string[]][];
    return rows.map(([id, fields]) => {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
      return f.reset ? { id, reset: true } : { id, doc: f.l, stamp: f.s };
    });
  }
}

export interface SyncOptions<Doc> {
  journal: Journal;
  writerId: string;
  /** Reads one document by `_id` (null when it no longer exists: a deleted draft). */
  load: (id: string) => Promise<Doc | null>;
  now?: () => number;
}

/** Applies changes to one replica's index: its own at once, the others' by re-reading them. */
export class IndexSync<Doc, Index extends ReplicaIndex<Doc> = ReplicaIndex<Doc>> {
  private readonly seen = new Map<string, { stamp: string; at: number }>();
  private readonly inflight = new Map<string, { again: boolean; done: Promise<void> }>();
  private seq = 0;
  /** Counts index replacements, so that a catch-up that overlapped one leaves its starting point alone. */
  private generation = 0;
  /** The last journal entry read. */
  private after: string;
  /** When the last catch-up that read the journal to its end started. */
  private caughtUpAt: number;
  private readonly now: () => number;

  constructor(
    public index: Index,
    private readonly opts: SyncOptions<Doc>,
    /** The journal's head taken just before the index was read from the database. */
    head: string,
  ) {
    this.now = opts.now ?? Date.now;
    this.after = head;
    this.caughtUpAt = this.now();
  }

  /**
   * A rebuilt index replaces the current one; the journal is read again from where it stood when the
   * rebuild began, every change included (the rebuild's read may predate changes seen meanwhile).
   */
  replace(index: Index, head: string): void {
    this.index = index;
    this.generation++;
    this.after = head;
    this.caughtUpAt = this.now();
    this.seen.clear();
  }

  /** A change made here: applied to the index now; resolves once it is in the journal. Returns its stamp. */
  local(change: (index: Index) => void, id: string): { stamp: string; journaled: Promise<void> } {
    change(this.index);
    const stamp = `${this.opts.writerId}.${(++this.seq).toString(36)}`;
    this.seen.set(id, { stamp, at: this.now() });
    // A re-read of this document in flight may have read the state before this change: read again after it.
    const running = this.inflight.get(id);
    if (running) running.again = true;
    return { stamp, journaled: this.opts.journal.append(id, stamp) };
  }

  /** Changes another replica announced (or the journal lists): re-read those not seen yet. */
  async remote(changes: [string, string][]): Promise<void> {
    await Promise.all(
      changes.map(async ([id, stamp]) => {
        if (this.seen.get(id)?.stamp === stamp) return;
        await this.refresh(id);
        this.seen.set(id, { stamp, at: this.now() });
      }),
    );
  }

  /** Re-reads one document by `_id` into the index. */
  refresh(id: string): Promise<void> {
    const running = this.inflight.get(id);
    if (running) {
      running.again = true;
      return running.done;
    }
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          const doc = await this.opts.load(id);
          if (doc) this.index.apply(doc);
          else this.index.remove(id);
        } while (state.again);
      } finally {
        this.inflight.delete(id);
      }
    })();
    this.inflight.set(id, state);
    return state.done;
  }

  /**
   * Reads the journal from the last entry read and re-reads the documents changed there that were not seen.
   * `lost: true` means the journal may miss changes: the caller must rebuild the index.
   */
  async catchUp(): Promise<{ changes: number; lost: boolean }> {
    const started = this.now();
    const generation = this.generation;
    if (started - this.caughtUpAt > JOURNAL_KEEP_MS / 2) return { changes: 0, lost: true };
    const latest = new Map<string, string>();
    let after = this.after;
    for (;;) {
      const entries = await this.opts.journal.read(after, READ_BATCH);
      for (const e of entries) {
        if (e.reset) return { changes: 0, lost: true };
        latest.set(e.doc!, e.stamp!);
      }
      if (entries.length) after = entries[entries.length - 1].id;
      if (entries.length < READ_BATCH) break;
    }
    const unseen = [...latest].filter(([id, stamp]) => this.seen.get(id)?.stamp !== stamp);
    await this.remote(unseen);
    // Not moved if a rebuild replaced the index meanwhile: it set its own starting point.
    if (generation === this.generation) {
      this.after = after;
      this.caughtUpAt = started;
    }
    for (const [id, s] of this.seen) if (started - s.at > SEEN_KEEP_MS) this.seen.delete(id);
    return { changes: unseen.length, lost: false };
  }
}
