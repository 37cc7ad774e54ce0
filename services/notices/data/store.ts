/**
 * Reads and caches of the notices service: every notice in an in-process index (kept current after
 * each publish and told to the other replicas), the notices a caller may see, brief read counts,
 * the reader's receipts, the caller as the rules see them, and personnel's organisations and directory.
 */
import { call } from "../../../shared/contracts/actions";
import type { DirectoryEntry } from "../../../shared/contracts/personnel";
import { NotFoundError } from "../../../shared/errors";
import { RowIndex } from "../../../shared/store/refreshing-cache";
import { callerActor, seesAll, type Actor } from "../../../shared/office";
import { orgRefs, type OrgRefs } from "../../../shared/org-refs";
import { managesNotice } from "../access";
import type { CachedNotice, Changed, Ctx, This } from "../types";
import type { NoticeDoc, NoticeReadsDoc, ReaderDoc } from "./models";

export const CHANGED_EVENT = "notices.changed";
const READ_COUNT_TTL_MS = 30_000;

export const cachedNotice = (d: NoticeDoc): CachedNotice => ({ ...d, recipientSet: new Set(d.recipients) });

/** The index of a new service instance, loaded on first use. */
export function createIndex(svc: This): RowIndex<CachedNotice> {
  return new RowIndex(
    async () => (await svc.m.Notice.find().lean<NoticeDoc[]>()).map(cachedNotice),
    async (id) => {
      const d = await svc.m.Notice.findById(id).lean<NoticeDoc>();
      return d && cachedNotice(d);
    },
  );
}

/** Another replica's change (the `notices.changed` event). */
export function heardChanged(svc: This, { kind, id }: Changed): void {
  if (kind === "all") {
    svc.noticeIndex.clear();
    svc.readCounts.clear();
  }
  if (id && kind === "notice") void svc.noticeIndex.refresh(id);
}

export const storeMethods = {
  now(this: This): Date {
    return this.clock.now();
  },

  /** Keeps this process's index and caches current, and tells the other replicas. */
  changed(this: This, kind: Changed["kind"], doc?: NoticeDoc): void {
    if (kind === "notice") this.noticeIndex.set(cachedNotice(doc!));
    if (kind === "all") {
      this.noticeIndex.clear();
      this.readCounts.clear();
    }
    this.broker.broadcast(CHANGED_EVENT, { kind, id: doc?._id } satisfies Changed);
  },

  /** A notice's read count for lists, cached briefly (its receipts document holds every reader). */
  async readCount(this: This, noticeId: string): Promise<number> {
    const hit = this.readCounts.get(noticeId);
    if (hit && Date.now() - hit.at < READ_COUNT_TTL_MS) return hit.count;
    const doc = (await this.m.NoticeReads.collection.findOne({ _id: noticeId } as never)) as NoticeReadsDoc | null;
    const count = Object.keys(doc?.reads ?? {}).length;
    this.readCounts.set(noticeId, { count, at: Date.now() });
    return count;
  },

  /** Organisations and divisions from personnel, cached for a minute (they change rarely). */
  async refs(this: This): Promise<OrgRefs> {
    this.refsCache = await orgRefs(this.broker, this.refsCache);
    return this.refsCache;
  },

  async actor(this: This, ctx: Ctx<unknown>): Promise<Actor> {
    return callerActor(ctx.meta, () => this.refs());
  },

  /** Every notice, newest first, from the in-process index. */
  async notices(this: This): Promise<{ list: CachedNotice[]; byId: Map<string, CachedNotice> }> {
    const list = (await this.noticeIndex.all()).sort(
      (a, b) => +new Date(b.publishedAt) - +new Date(a.publishedAt) || (a._id < b._id ? -1 : 1),
    );
    return { list, byId: new Map(list.map((n) => [n._id, n])) };
  },

  /** A notice the caller receives or manages; any other is reported missing. */
  async loadNotice(this: This, actor: Actor, id: string): Promise<CachedNotice> {
    let notice = (await this.notices()).byId.get(id);
    if (!notice) {
      // Published on another replica a moment ago: read it once directly.
      const doc = await this.m.Notice.findById(id).lean<NoticeDoc>();
      if (doc) notice = cachedNotice(doc);
    }
    const visible =
      !!notice &&
      ((!!actor.staffId && notice.recipientSet.has(actor.staffId)) || managesNotice(actor, notice) || seesAll(actor));
    if (!visible) throw new NotFoundError("NOTICE_NOT_FOUND", "通知不存在");
    return notice!;
  },

  async reader(this: This, staffId: string | null): Promise<ReaderDoc | null> {
    if (!staffId) return null;
    return (await this.m.Reader.collection.findOne({ _id: staffId } as never)) as ReaderDoc | null;
  },

  /** Staff from personnel's directory; ids in chunks the directory accepts. */
  async directory(this: This, params: { orgId?: string; ids?: string[] }): Promise<DirectoryEntry[]> {
    const lookup = (p: typeof params) => call(this.broker, "personnel.staff.directory", p, { meta: { system: true } });
    if (!params.ids) return lookup(params);
    const chunks: string[][] = [];
    for (let i = 0; i < params.ids.length; i += 5000) chunks.push(params.ids.slice(i, i + 5000));
    return (await Promise.all(chunks.map((ids) => lookup({ ids })))).flat();
  },
};
