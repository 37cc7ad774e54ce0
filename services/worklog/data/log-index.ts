/**
 * The in-process read index of one worklog replica: every log (drafts included, their text too) in
 * feed order, per author, division and organisation, plus an inverted index token → logs for the
 * Chinese search. Feed pages, searches, month counts and drafts are answered from here.
 *
 * Why in memory: FerretDB 1.24 on SQLite reads the whole logs collection for any filter but `_id`
 * (2–3 s for 32,000 logs at rest, minutes on a loaded machine), and even an `_id` lookup reads the
 * table until it finds the document (the SQLite plan is a SCAN; loadtest/RESULTS.md). So a page
 * that fetched its logs by `_id` (the design with feed fields here and an LRU of views) would still
 * wait seconds on every cache miss, and search needs each candidate's text anyway. The index keeps
 * the whole document except its `tokens` (held once, as postings): a page needs no database read.
 * Measured on the demo data: about 295 MB RSS for the worklog process with 31,970 logs.
 *
 * Feed order is (date desc, publishedAt desc, _id desc); cursors encode that triple, so a page is
 * stable while new logs arrive. Pure: no database, the service keeps it current (shared/store/change-journal.ts).
 *
 * Compliance reads its facts here too (`facts`): the logs are also filed per (organisation, month),
 * so a month's compliance visits only that month's logs, and a publish writes no read model.
 */
import type { FeedParams } from "../../../shared/contracts/worklog";
import type { Fact } from "../compliance";
import { normalize } from "../search";
import { Postings, drop, insert, keyOf, lowerBound, order, type Cursor, type Slot } from "./feed-order";
import type { LogDoc } from "./models";

/** A log as the index keeps it: the document without its search tokens. */
export type IndexedLog = Omit<LogDoc, "tokens">;

export type FeedFilters = Omit<FeedParams, "cursor" | "limit" | "q">;

const listKeys = (d: IndexedLog): string[] => [`a:${d.authorStaffId}`, `d:${d.divisionId}`, `o:${d.orgId}`];

export interface WalkOptions {
  filters: FeedFilters;
  after?: Cursor | null;
  /** Only published logs (search); otherwise published and withdrawn ones (the feed shows tombstones). */
  publishedOnly?: boolean;
}

export class LogIndex {
  /** Published and withdrawn logs in feed order, and the same per `a:`/`d:`/`o:` key. */
  private readonly all: Slot[] = [];
  private readonly lists = new Map<string, Slot[]>();
  private readonly byId = new Map<string, Slot>();
  private readonly drafts = new Map<string, IndexedLog>();
  private readonly postings = new Map<string, Postings>();
  /** Published and withdrawn logs per `orgId|YYYY-MM`, for compliance. */
  private readonly months = new Map<string, Set<Slot>>();
  /** Slot by ordinal; `undefined` once the log changed (its postings are then dead). */
  private slots: (Slot | undefined)[] = [];
  private dead = 0;
  /**
   * Moves whenever a log is filed, re-filed or removed (not when only its counters move): a result
   * computed from the index (a search's ranking) holds as long as the version has not moved.
   */
  version = 0;

  /** Builds the index from many logs at once (sorting once instead of inserting one by one). */
  static of(docs: Iterable<LogDoc>): LogIndex {
    const idx = new LogIndex();
    for (const d of docs) idx.stage(d);
    return idx.seal();
  }

  /** The same from a database cursor, so that the documents with their tokens are never all held at once. */
  static async from(docs: AsyncIterable<LogDoc>): Promise<LogIndex> {
    const idx = new LogIndex();
    for await (const d of docs) idx.stage(d);
    return idx.seal();
  }

  private stage(d: LogDoc): void {
    if (d.status === "draft") this.drafts.set(d._id, strip(d));
    else this.byId.set(d._id, this.newSlot(d));
  }

  private seal(): this {
    const slots = [...this.byId.values()].sort((a, b) => order(keyOf(a), keyOf(b)));
    for (const s of slots) {
      this.all.push(s);
      for (const k of listKeys(s.doc)) this.listOf(k).push(s);
      this.monthOf(s.doc).add(s);
    }
    return this;
  }

  get size(): number {
    return this.byId.size + this.drafts.size;
  }

  get(id: string): IndexedLog | undefined {
    return this.byId.get(id)?.doc ?? this.drafts.get(id);
  }

  /**
   * Puts a log's current state in the index. A change of counters only (same status, version and
   * date) updates the kept document in place; any other change re-files it. An older version than
   * the one kept is ignored (two edits of one log whose index updates arrive out of order).
   */
  apply(doc: LogDoc): void {
    const current = this.byId.get(doc._id);
    if (current && current.doc.version > doc.version) return;
    if (
      current &&
      current.doc.status === doc.status &&
      current.doc.version === doc.version &&
      current.doc.date === doc.date &&
      current.at === publishedAt(doc)
    ) {
      current.doc = strip(doc);
      return;
    }
    this.remove(doc._id);
    this.version++;
    if (doc.status === "draft") {
      this.drafts.set(doc._id, strip(doc));
      return;
    }
    const slot = this.newSlot(doc);
    this.byId.set(doc._id, slot);
    insert(this.all, slot);
    for (const k of listKeys(slot.doc)) insert(this.listOf(k), slot);
    this.monthOf(slot.doc).add(slot);
  }

  /** Moves a counter of a kept log without re-filing it (reads, comments, useful marks). */
  bump(id: string, field: "readCount" | "usefulCount" | "commentCount", delta: number): void {
    const s = this.byId.get(id);
    if (s) s.doc = { ...s.doc, [field]: s.doc[field] + delta };
  }

  remove(id: string): void {
    if (this.drafts.delete(id)) this.version++;
    const s = this.byId.get(id);
    if (!s) return;
    this.version++;
    this.byId.delete(id);
    this.slots[s.ord] = undefined;
    this.dead++;
    drop(this.all, s);
    for (const k of listKeys(s.doc)) {
      const list = this.lists.get(k)!;
      drop(list, s);
      if (!list.length) this.lists.delete(k);
    }
    const month = this.months.get(monthKey(s.doc));
    month?.delete(s);
    if (month && !month.size) this.months.delete(monthKey(s.doc));
    if (this.dead > 1000 && this.dead > this.byId.size / 4) this.compact();
  }

  /** Logs in feed order that pass the filters, from just after the cursor. */
  *walk(opts: WalkOptions): Generator<IndexedLog> {
    for (const s of this.walkSlots(opts)) yield s.doc;
  }

  private *walkSlots(opts: WalkOptions): Generator<Slot> {
    const f = opts.filters;
    const list = this.listFor(f);
    if (!list) return;
    let i = f.to ? lowerBound(list, (s) => s.doc.date <= f.to!) : 0;
    const after = opts.after;
    if (after)
      i = Math.max(
        i,
        lowerBound(list, (s) => order(keyOf(s), after) > 0),
      );
    for (; i < list.length; i++) {
      const d = list[i].doc;
      if (f.from && d.date < f.from) return;
      if (opts.publishedOnly && d.status !== "published") continue;
      if (f.orgId && d.orgId !== f.orgId) continue;
      if (f.divisionId && d.divisionId !== f.divisionId) continue;
      if (f.authorId && d.authorStaffId !== f.authorId) continue;
      if (f.kind && d.kind !== f.kind) continue;
      if (f.tag && !d.tags.includes(f.tag)) continue;
      yield list[i];
    }
  }

  /** The narrowest kept list the filters allow: an author's, a division's, an organisation's, or all. */
  private listFor(f: FeedFilters): Slot[] | undefined {
    if (f.authorId) return this.lists.get(`a:${f.authorId}`);
    if (f.divisionId) return this.lists.get(`d:${f.divisionId}`);
    if (f.orgId) return this.lists.get(`o:${f.orgId}`);
    return this.all;
  }

  /** One feed page: `limit` logs and whether more follow. */
  page(filters: FeedFilters, after: Cursor | null, limit: number): { items: IndexedLog[]; more: boolean } {
    const items: IndexedLog[] = [];
    for (const d of this.walk({ filters, after })) {
      if (items.length === limit) return { items, more: true };
      items.push(d);
    }
    return { items, more: false };
  }

  /**
   * Published logs holding every token, in feed order from after the cursor: the search candidates
   * (the exact substring check is the caller's). `hasToken` answers for the ranking's word bonus.
   *
   * Two ways to test a log, whichever reads less: mark the logs of every token's postings once
   * (a pass over all the postings, good when the walk is long: no narrowing filter), or look each
   * walked log up in the postings (binary searches, good when a filter leaves a short list).
   */
  *withTokens(required: string[], opts: WalkOptions): Generator<IndexedLog> {
    const lists = required.map((t) => this.postings.get(t));
    if (!lists.length || lists.some((p) => !p)) return;
    const ps = lists as Postings[];
    const walkLength = this.listFor(opts.filters)?.length ?? 0;
    const postingsLength = ps.reduce((n, p) => n + p.n, 0);
    let holds: (ord: number) => boolean;
    if (walkLength * ps.length * 16 < postingsLength) holds = (ord) => ps.every((p) => p.has(ord));
    else {
      const hits = new Uint8Array(this.slots.length);
      for (const p of ps) for (let i = 0; i < p.n; i++) hits[p.ords[i]]++;
      holds = (ord) => hits[ord] === ps.length;
    }
    for (const s of this.walkSlots({ ...opts, publishedOnly: true })) if (holds(s.ord)) yield s.doc;
  }

  /** What the search looks in: the log's text as its tokens were made from, normalized (kept once made). */
  searchText(id: string): string {
    const s = this.byId.get(id);
    if (!s) return "";
    return (s.text ??= normalize([s.doc.done, s.doc.thoughts, ...s.doc.tags].join("\n")));
  }

  /** Whether a kept log has a search token (for ranking whole-word matches). */
  hasToken(id: string, token: string): boolean {
    const s = this.byId.get(id);
    return !!s && !!this.postings.get(token)?.has(s.ord);
  }

  /** Published logs per (year, month), newest month first. */
  counts(filters: { authorId?: string; divisionId?: string; orgId?: string; year?: number }): {
    year: number;
    month: number;
    count: number;
  }[] {
    const n = new Map<string, number>();
    const yearFilter = filters.year ? String(filters.year) : null;
    for (const d of this.walk({ filters, publishedOnly: true })) {
      const ym = d.date.slice(0, 7);
      if (yearFilter && ym.slice(0, 4) !== yearFilter) continue;
      n.set(ym, (n.get(ym) ?? 0) + 1);
    }
    return [...n]
      .map(([ym, count]) => ({ year: Number(ym.slice(0, 4)), month: Number(ym.slice(5, 7)), count }))
      .sort((a, b) => b.year - a.year || b.month - a.month);
  }

  /**
   * Compliance facts of the published logs of these organisations dated in [from, to]: one per log
   * (who or which organisation, which day, on time or not). Withdrawn logs and drafts count nothing.
   */
  facts(orgIds: Iterable<string>, from: string, to: string): Fact[] {
    const out: Fact[] = [];
    const months = monthsFor(from, to);
    for (const orgId of orgIds)
      for (const m of months)
        for (const { doc: d } of this.months.get(`${orgId}|${m}`) ?? []) {
          if (d.status !== "published" || d.date < from || d.date > to) continue;
          const org = d.kind === "org";
          out.push({
            kind: org ? "org" : "personal",
            subject: org ? d.orgId : d.authorStaffId,
            date: d.date,
            count: 1,
            onTime: d.late ? 0 : 1,
          });
        }
    return out;
  }

  /**
   * The same facts for one subject only, from its own list: a person's personal logs filed in
   * `orgId` (their organisation: a report for it counts no other), or an organisation's own logs.
   * What one person's compliance is recomputed from after each change, so it reads no one else's logs.
   */
  subjectFacts(kind: Fact["kind"], subject: string, orgId: string, from: string, to: string): Fact[] {
    const filters: FeedFilters =
      kind === "org" ? { orgId: subject, kind, from, to } : { authorId: subject, orgId, kind, from, to };
    const out: Fact[] = [];
    for (const d of this.walk({ filters, publishedOnly: true }))
      out.push({ kind, subject, date: d.date, count: 1, onTime: d.late ? 0 : 1 });
    return out;
  }

  /** An author's drafts, newest date first. */
  draftsOf(authorStaffId: string, limit: number): IndexedLog[] {
    return [...this.drafts.values()]
      .filter((d) => d.authorStaffId === authorStaffId)
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
      .slice(0, limit);
  }

  private listOf(key: string): Slot[] {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = []));
    return list;
  }

  private monthOf(d: IndexedLog): Set<Slot> {
    let set = this.months.get(monthKey(d));
    if (!set) this.months.set(monthKey(d), (set = new Set()));
    return set;
  }

  private newSlot(doc: LogDoc): Slot {
    const slot: Slot = { doc: strip(doc), ord: this.slots.length, at: publishedAt(doc) };
    this.slots.push(slot);
    for (const t of doc.tokens ?? []) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = new Postings()));
      p.push(slot.ord);
    }
    return slot;
  }

  /** Drops dead ordinals from the postings and renumbers the live ones (order is kept, so postings stay sorted). */
  private compact(): void {
    const renumber = new Int32Array(this.slots.length).fill(-1);
    const live: Slot[] = [];
    this.slots.forEach((s, ord) => {
      if (!s) return;
      renumber[ord] = live.length;
      s.ord = live.length;
      live.push(s);
    });
    for (const [token, p] of this.postings) {
      let n = 0;
      for (let i = 0; i < p.n; i++) {
        const to = renumber[p.ords[i]];
        if (to >= 0) p.ords[n++] = to;
      }
      p.n = n;
      if (!n) this.postings.delete(token);
    }
    this.slots = live;
    this.dead = 0;
  }
}

const monthKey = (d: Pick<IndexedLog, "orgId" | "date">): string => `${d.orgId}|${d.date.slice(0, 7)}`;

/** The months (YYYY-MM) that [from, to] touches. */
export function monthsFor(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); ;) {
    const ym = `${y}-${String(m).padStart(2, "0")}`;
    if (ym > to.slice(0, 7)) break;
    out.push(ym);
    if (++m === 13) [y, m] = [y + 1, 1];
  }
  return out;
}

const publishedAt = (d: Pick<LogDoc, "publishedAt">): number => (d.publishedAt ? new Date(d.publishedAt).getTime() : 0);

function strip(doc: LogDoc): IndexedLog {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- `tokens` is kept as postings instead
  const { tokens, ...rest } = doc;
  return rest;
}
