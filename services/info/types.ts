/** The info service's settings, state and methods, shared by its modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { Clock } from "../../shared/clock";
import type { IndicatorFact } from "../../shared/contracts/assessment";
import type { InfoLevel, InfoReportView, PointSettings, PublicityView } from "../../shared/contracts/info";
import type { ListResult } from "../../shared/contracts/notices";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { DbVars } from "../../shared/db";
import type { RevWriter } from "../../shared/store/rev-writer";
import type { RowIndex } from "../../shared/store/refreshing-cache";
import type { Actor } from "../../shared/office";
import type { OrgRefs } from "../../shared/org-refs";
import type { InfoDoc, Models, PublicityDoc } from "./data/models";
import type { InfoStep, PublicityStep } from "./workflow";

export interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

/** What lists and the facts listing filter on, kept in memory (see RowIndex in shared/store/refreshing-cache.ts). */
export type InfoRow = Pick<
  InfoDoc,
  "_id" | "status" | "stage" | "authorStaffId" | "orgId" | "year" | "reachedCity" | "updatedAt" | "fact"
> & { level: InfoLevel | null };
export type PublicityRow = Pick<
  PublicityDoc,
  "_id" | "status" | "authorStaffId" | "recordedByStaffId" | "orgId" | "year" | "outletLevel" | "updatedAt" | "fact"
>;

/** Moleculer event (all replicas): an item changed (`id`), or everything did (after a seed). */
export interface Changed {
  kind: "info" | "publicity" | "all";
  id?: string;
}

export interface Vars {
  m: Models;
  clock: Clock;
  writer: RevWriter;
  infoIndex: RowIndex<InfoRow>;
  publicityIndex: RowIndex<PublicityRow>;
  /** Organisations and divisions, from personnel. */
  refsCache: OrgRefs | null;
}

export interface Methods {
  now(): Date;
  changed(kind: Changed["kind"], doc?: InfoDoc | PublicityDoc): void;
  page<T extends { _id: string }, D>(
    rows: T[],
    p: { page?: number; limit?: number },
    load: (id: string) => Promise<D | null>,
  ): Promise<ListResult<D>>;
  refs(): Promise<OrgRefs>;
  actor(ctx: Ctx<unknown>): Promise<Actor>;
  author(ctx: Ctx<unknown>): Promise<Actor & { staffId: string }>;
  points(): Promise<PointSettings>;
  loadInfo(actor: Actor, id: string): Promise<InfoDoc>;
  loadPublicity(actor: Actor, id: string): Promise<PublicityDoc>;
  directory(params: { ids?: string[] }): Promise<DirectoryEntry[]>;
  infoView(d: InfoDoc, actor: Actor): InfoReportView;
  publicityView(d: PublicityDoc, actor: Actor): PublicityView;
  stepInfo(ctx: Ctx<unknown>, id: string, step: InfoStep, commandId: string | undefined): Promise<InfoReportView>;
  stepPublicity(
    ctx: Ctx<unknown>,
    id: string,
    step: PublicityStep,
    commandId: string | undefined,
  ): Promise<PublicityView>;
  emitStep(kind: "info" | "publicity", doc: InfoDoc | PublicityDoc, index: number): Promise<void>;
  publishFact(fact: IndicatorFact): Promise<void>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
