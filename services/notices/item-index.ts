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
