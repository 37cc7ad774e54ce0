/**
 * Reads and writes of the documents service: every document in an in-process index (lists filter
 * it; other replicas hear of a change by the `documents.changed` event and re-read that one), one
 * change at a time per document across replicas (a Redis lock, then an `_id` + `rev` replace), the
 * flows, the calendar copy and personnel's organisations.
 */
import { config } from "../../../shared/config";
import { ConflictError, NotFoundError } from "../../../shared/errors";
import { RowIndex } from "../../../shared/store/refreshing-cache";
import { withLockWait } from "../../../shared/locks";
import { callerActor, type Actor } from "../../../shared/office";
import { orgRefs, type OrgRefs } from "../../../shared/org-refs";
import { localDate } from "../../../shared/time";
import type { WorkCalendar } from "../../../shared/calendar";
import type { DocKind } from "../../../shared/contracts/documents";
import { sees } from "../access";
import { bodyText } from "../body";
import { defaultFlow } from "../flows";
import { orgPrefix } from "../numbering";
import type { Changed, Ctx, DocRow, This } from "../types";
import type { DocDoc, FlowDoc } from "./models";

export const CHANGED_EVENT = "documents.changed";
const LOCK_MS = 15_000;

export function docRow(doc: DocDoc): DocRow {
  const open = new Map<string, string | null>();
  const actedBy = new Set<string>();
  for (const t of doc.tasks) {
    if (t.status === "open" && doc.stage === "flow") open.set(t.assigneeId, t.dueDate);
    if (t.status === "done" || t.status === "returned") actedBy.add(t.assigneeId);
  }
  for (const e of doc.timeline) if (e.staffId && e.event !== "delegate") actedBy.add(e.staffId);
  return {
    _id: doc._id,
    doc,
    participants: new Set(doc.participants),
    open,
    actedBy,
    involvedOrgs: new Set([doc.orgId, ...doc.distribution.filter((d) => d.type === "org").map((d) => d.id)]),
    text: `${doc.title} ${doc.number ?? ""} ${doc.senderName} ${doc.drafterName} ${bodyText(doc.body)}`.toLowerCase(),
  };
}

export function createIndex(svc: This): RowIndex<DocRow> {
  return new RowIndex(
    async () => (await svc.m.Doc.find().lean<DocDoc[]>()).map(docRow),
    async (id) => {
      const d = (await svc.m.Doc.collection.findOne({ _id: id } as never)) as unknown as DocDoc | null;
      return d && docRow(d);
    },
  );
}

export function heardChanged(svc: This, { kind, id }: Changed): void {
  if (kind === "all") svc.docIndex.clear();
  if (id && kind === "doc") void svc.docIndex.refresh(id);
}

const lockKey = (id: string): string => `${config().namespace}:documents:doc:${id}`;

export const storeMethods = {
  now(this: This): Date {
    return this.clock.now();
  },

  today(this: This): string {
    return localDate(this.clock.now());
  },

  async refs(this: This): Promise<OrgRefs> {
    this.refsCache = await orgRefs(this.broker, this.refsCache);
    return this.refsCache;
  },

  async actor(this: This, ctx: Ctx<unknown>): Promise<Actor> {
    return callerActor(ctx.meta, () => this.refs());
  },

  async calendar(this: This): Promise<WorkCalendar> {
    return this.overrides.calendar();
  },

  async flowFor(this: This, orgId: string, kind: DocKind): Promise<FlowDoc> {
    const id = `${orgId}:${kind}`;
    const stored = (await this.m.Flow.collection.findOne({ _id: id } as never)) as unknown as FlowDoc | null;
    if (stored) return stored;
    const org = (await this.refs()).orgs.get(orgId);
    return { _id: id, ...defaultFlow(orgId, kind, orgPrefix(orgId, org?.shortName ?? "")) };
  },

  async visibleDoc(this: This, actor: Actor, id: string): Promise<DocDoc> {
    const doc = (await this.m.Doc.collection.findOne({ _id: id } as never)) as unknown as DocDoc | null;
    if (!doc || !sees(actor, docRow(doc))) throw new NotFoundError("DOCUMENT_NOT_FOUND", "公文不存在");
    return doc;
  },

  async change(this: This, id: string, fn: (doc: DocDoc) => Promise<DocDoc> | DocDoc): Promise<DocDoc> {
    const next = await withLockWait(lockKey(id), LOCK_MS, async () => {
      const cur = (await this.m.Doc.collection.findOne({ _id: id } as never)) as unknown as DocDoc | null;
      if (!cur) throw new NotFoundError("DOCUMENT_NOT_FOUND", "公文不存在");
      const out = await fn(structuredClone(cur));
      const doc: DocDoc = { ...out, rev: cur.rev + 1, updatedAt: this.now().toISOString() };
      const r = await this.m.Doc.collection.replaceOne({ _id: id, rev: cur.rev } as never, doc as never);
      if (r.matchedCount !== 1) throw new ConflictError("DOCUMENT_CHANGED", "公文已被他人修改，请刷新后重试");
      return doc;
    });
    this.changed("doc", next);
    return next;
  },

  async insertDoc(this: This, doc: DocDoc): Promise<DocDoc> {
    await this.m.Doc.collection.insertOne(doc as never);
    this.changed("doc", doc);
    return doc;
  },

  changed(this: This, kind: Changed["kind"], doc?: DocDoc): void {
    if (kind === "doc") this.docIndex.set(docRow(doc!));
    if (kind === "all") this.docIndex.clear();
    this.broker.broadcast(CHANGED_EVENT, { kind, id: doc?._id } satisfies Changed);
  },
};
