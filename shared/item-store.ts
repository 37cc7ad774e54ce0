/**
 * Stores of one document per item on FerretDB, for the info and notices services: an in-process
 * index of each collection's small fields (ItemIndex), one writer per document (ItemWriter), the
 * ids of commanded documents, and a page of a filtered list.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Model } from "mongoose";
import type { ListResult } from "./contracts/notices";
import { isDuplicateKey } from "./params";

export const randomId = (prefix: string): string => `${prefix}-${randomBytes(8).toString("hex")}`;
/** A re-sent create with the same command id lands on the same document. */
export const commandDocId = (prefix: string, by: string, commandId: string): string =>
  `${prefix}-${createHash("sha256").update(`${by}|${commandId}`).digest("hex").slice(0, 20)}`;

/** One page of rows (`limit` 20 and page 1 unless asked). */
export function page<T>(rows: T[], p: { page?: number; limit?: number }): ListResult<T> {
  const limit = p.limit ?? 20;
  const pg = p.page ?? 1;
  return { items: rows.slice((pg - 1) * limit, pg * limit), total: rows.length, page: pg, limit };
}

/**
 * An in-process index of a collection's small fields (status, desk, author, organisation, year,
 * current fact), so that lists and the facts listing filter in memory instead of scanning the
 * collection on FerretDB, where only `_id` lookups are served from an index. The page's full
 * documents are then read by `_id`. This process updates a row after each of its own writes;
 * other replicas hear of it by a Moleculer event and re-read that one row; a background reload every
 * few minutes covers a missed event.
 */
export class ItemIndex<Row extends { _id: string }> {
  private rows: Map<string, Row> | null = null;
  private loading: Promise<Map<string, Row>> | null = null;
  private loadedAt = 0;

  constructor(
    private readonly loadAll: () => Promise<Row[]>,
    private readonly loadOne: (id: string) => Promise<Row | null>,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  /** Every row. Past its age the index reloads in the background and serves the rows it has meanwhile. */
  async all(): Promise<Row[]> {
    if (this.rows && Date.now() - this.loadedAt < this.ttlMs) return [...this.rows.values()];
    this.loading ??= this.loadAll()
      .then((rows) => {
        this.rows = new Map(rows.map((r) => [r._id, r]));
        this.loadedAt = Date.now();
        return this.rows;
      })
      .finally(() => {
        this.loading = null;
      });
    if (this.rows) {
      this.loading.catch(() => undefined);
      return [...this.rows.values()];
    }
    return [...(await this.loading).values()];
  }

  /** After a write by this process. */
  set(row: Row): void {
    this.rows?.set(row._id, row);
  }

  /** After another replica's write. */
  async refresh(id: string): Promise<void> {
    if (!this.rows) return;
    const row = await this.loadOne(id);
    if (row) this.rows.set(id, row);
    else this.rows.delete(id);
  }

  clear(): void {
    this.rows = null;
  }
}

/**
 * One writer per document. FerretDB 1.24 loses concurrent updates to one document, so changes to a
 * document run one at a time in this process (a queue per `_id`), and each write is guarded by the
 * document's `rev` and retried if another process changed it meanwhile. Every filter is `_id`
 * equality (plus `rev` on that one document), which every backend answers from its index.
 */
export class ItemWriter {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call for the same key has settled. */
  serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /**
   * Read–modify–write of one document. `mutate` returns the next document, or null to change
   * nothing; `init` gives the document to start from when there is none (null: nothing to change).
   * Resolves to `{ before, after }`; `after` is null when nothing was written.
   */
  update<T extends { _id: string; rev: number }>(
    model: Model<T>,
    id: string,
    mutate: (doc: T) => T | null,
    init: () => T | null = () => null,
  ): Promise<{ before: T | null; after: T | null }> {
    return this.serial(`${model.collection.name}/${id}`, async () => {
      const coll = model.collection;
      for (let attempt = 0; attempt < 20; attempt++) {
        const cur = (await coll.findOne({ _id: id } as never)) as unknown as T | null;
        if (!cur) {
          const fresh = init();
          const next = fresh && mutate(fresh);
          if (!next) return { before: null, after: null };
          try {
            await coll.insertOne({ ...next, _id: id, rev: 1 } as never);
            return { before: null, after: { ...next, rev: 1 } };
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
        }
        const next = mutate(structuredClone(cur));
        if (!next) return { before: cur, after: null };
        const { _id, rev: _rev, ...rest } = next;
        const r = await coll.updateOne(
          { _id: id, rev: cur.rev } as never,
          { $set: { ...rest, rev: cur.rev + 1 } } as never,
        );
        if (r.matchedCount === 1) return { before: cur, after: { ...next, rev: cur.rev + 1 } };
      }
      throw new Error(`too many concurrent changes to ${model.collection.name}/${id}`);
    });
  }
}
