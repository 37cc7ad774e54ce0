/**
 * Reads and caches of the info service: the in-process indexes of reports and publicity (kept current
 * after each write and told to the other replicas), the items a caller may see, the caller as the
 * rules see them, the points setting, and personnel's organisations and directory.
 */
import { call } from "../../../shared/contracts/actions";
import { DEFAULT_POINTS, type PointSettings } from "../../../shared/contracts/info";
import type { ListResult } from "../../../shared/contracts/notices";
import type { DirectoryEntry } from "../../../shared/contracts/personnel";
import { ForbiddenError, NotFoundError } from "../../../shared/errors";
import { page } from "../../../shared/item-store";
import { RowIndex } from "../../../shared/store/refreshing-cache";
import { callerActor, type Actor } from "../../../shared/office";
import { orgRefs, type OrgRefs } from "../../../shared/org-refs";
import { seesPublicity, seesReport } from "../access";
import type { Changed, Ctx, InfoRow, PublicityRow, This } from "../types";
import { iso } from "../views";
import type { Points } from "../workflow";
import type { InfoDoc, PublicityDoc, SettingDoc } from "./models";

export const CHANGED_EVENT = "info.changed";

const INFO_ROW = {
  status: 1,
  stage: 1,
  authorStaffId: 1,
  orgId: 1,
  year: 1,
  reachedCity: 1,
  updatedAt: 1,
  fact: 1,
  adoption: 1,
};
const PUBLICITY_ROW = {
  status: 1,
  authorStaffId: 1,
  recordedByStaffId: 1,
  orgId: 1,
  year: 1,
  outletLevel: 1,
  updatedAt: 1,
  fact: 1,
};
const infoRow = (d: Omit<InfoRow, "level"> & Pick<InfoDoc, "adoption">): InfoRow => ({
  _id: d._id,
  status: d.status,
  stage: d.stage,
  authorStaffId: d.authorStaffId,
  orgId: d.orgId,
  year: d.year,
  reachedCity: d.reachedCity,
  updatedAt: d.updatedAt,
  fact: d.fact,
  level: d.adoption?.level ?? null,
});
const publicityRow = (d: PublicityRow): PublicityRow => ({
  _id: d._id,
  status: d.status,
  authorStaffId: d.authorStaffId,
  recordedByStaffId: d.recordedByStaffId,
  orgId: d.orgId,
  year: d.year,
  outletLevel: d.outletLevel,
  updatedAt: d.updatedAt,
  fact: d.fact,
});

/** The indexes of a new service instance, loaded on first use. */
export function createIndexes(svc: This): Pick<This, "infoIndex" | "publicityIndex"> {
  return {
    infoIndex: new RowIndex(
      async () => (await svc.m.Info.find({}, INFO_ROW).lean<InfoDoc[]>()).map((d) => infoRow(d)),
      async (id) => {
        const d = await svc.m.Info.findById(id, INFO_ROW).lean<InfoDoc>();
        return d && infoRow(d);
      },
    ),
    publicityIndex: new RowIndex(
      async () => (await svc.m.Publicity.find({}, PUBLICITY_ROW).lean<PublicityDoc[]>()).map(publicityRow),
      async (id) => {
        const d = await svc.m.Publicity.findById(id, PUBLICITY_ROW).lean<PublicityDoc>();
        return d && publicityRow(d);
      },
    ),
  };
}

/** Another replica's change (the `info.changed` event). */
export function heardChanged(svc: This, { kind, id }: Changed): void {
  if (kind === "all") [svc.infoIndex, svc.publicityIndex].forEach((i) => i.clear());
  if (!id) return;
  if (kind === "info") void svc.infoIndex.refresh(id);
  if (kind === "publicity") void svc.publicityIndex.refresh(id);
}

export const byUpdatedDesc = (a: { updatedAt: Date; _id: string }, b: { updatedAt: Date; _id: string }): number =>
  +new Date(b.updatedAt) - +new Date(a.updatedAt) || (a._id < b._id ? -1 : 1);

export const storeMethods = {
  now(this: This): Date {
    return this.clock.now();
  },

  /** Keeps this process's indexes current, and tells the other replicas. */
  changed(this: This, kind: Changed["kind"], doc?: InfoDoc | PublicityDoc): void {
    if (kind === "info") this.infoIndex.set(infoRow(doc as InfoDoc));
    if (kind === "publicity") this.publicityIndex.set(publicityRow(doc as PublicityDoc));
    if (kind === "all") [this.infoIndex, this.publicityIndex].forEach((i) => i.clear());
    this.broker.broadcast(CHANGED_EVENT, { kind, id: doc?._id } satisfies Changed);
  },

  /** One page of index rows, as full views read by `_id`. */
  async page<T extends { _id: string }, D>(
    this: This,
    rows: T[],
    p: { page?: number; limit?: number },
    load: (id: string) => Promise<D | null>,
  ): Promise<ListResult<D>> {
    const result = page(rows, p);
    const items = await Promise.all(result.items.map((r) => load(r._id)));
    return { ...result, items: items.filter((d): d is Awaited<D> => d !== null) as D[] };
  },

  /** Organisations and divisions from personnel, cached for a minute (they change rarely). */
  async refs(this: This): Promise<OrgRefs> {
    this.refsCache = await orgRefs(this.broker, this.refsCache);
    return this.refsCache;
  },

  async actor(this: This, ctx: Ctx<unknown>): Promise<Actor> {
    return callerActor(ctx.meta, () => this.refs());
  },

  async author(this: This, ctx: Ctx<unknown>): Promise<Actor & { staffId: string }> {
    const me = await this.actor(ctx);
    if (!me.staffId || !ctx.meta.user) throw new ForbiddenError("当前账号没有对应的干部档案", "NO_STAFF_RECORD");
    return me as Actor & { staffId: string };
  },

  async points(this: This): Promise<PointSettings> {
    const doc = await this.m.Setting.findById("points").lean<SettingDoc>();
    const value = (doc?.value ?? {}) as Partial<Points>;
    return {
      information: { ...DEFAULT_POINTS.information, ...(value.information ?? {}) },
      publicity: { ...DEFAULT_POINTS.publicity, ...(value.publicity ?? {}) },
      updatedAt: iso(doc?.updatedAt),
      updatedBy: doc?.updatedBy ?? null,
    };
  },

  /** A report the caller may see; any other is reported missing (ids reveal nothing). */
  async loadInfo(this: This, actor: Actor, id: string): Promise<InfoDoc> {
    const doc = await this.m.Info.findById(id).lean<InfoDoc>();
    if (!doc || !seesReport(actor, doc)) throw new NotFoundError("INFO_NOT_FOUND", "信息不存在");
    return doc;
  },

  async loadPublicity(this: This, actor: Actor, id: string): Promise<PublicityDoc> {
    const doc = await this.m.Publicity.findById(id).lean<PublicityDoc>();
    if (!doc || !seesPublicity(actor, doc)) throw new NotFoundError("PUBLICITY_NOT_FOUND", "宣传稿件不存在");
    return doc;
  },

  /** Staff from personnel's directory (everyone, or a few by id). */
  async directory(this: This, params: { ids?: string[] }): Promise<DirectoryEntry[]> {
    return call(this.broker, "personnel.staff.directory", params, { meta: { system: true } });
  },
};
