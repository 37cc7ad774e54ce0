/** The pages service's settings, state and methods, shared by its action, data and view modules. */
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { CallMeta } from "../../shared/auth";
import type { Clock } from "../../shared/clock";
import type { AttendanceSummary, Section } from "../../shared/contracts/pages";
import type { AttendanceMonthResult, Division, OrgWithDivisions, StaffDetail } from "../../shared/contracts/personnel";
import type { RefreshingCache } from "../../shared/store/refreshing-cache";
import type { People } from "./people";

export interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

export type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

export interface Vars {
  clock: Clock;
  cache: RefreshingCache;
}

export interface Methods {
  today(): string;
  section<T>(p: Promise<T>, what: string): Promise<Section<T>>;
  orgs(): Promise<OrgWithDivisions[]>;
  people(): Promise<People>;
  loadPeople(): Promise<People>;
  profile(staffId: string): Promise<StaffDetail>;
  orgOf(orgId: string): Promise<OrgWithDivisions>;
  divisionOf(divisionId: string): Promise<{ division: Division; org: OrgWithDivisions }>;
  attendanceMonth(orgId: string, today: string): Promise<AttendanceMonthResult>;
  attendance(
    ctx: Ctx<unknown>,
    scope: { orgId: string; divisionId: string; staffId?: string },
    today: string,
  ): Promise<Section<AttendanceSummary | null>>;
  warm(): Promise<void>;
  invalidate(keys: string[], announce?: boolean): void;
}

export type This = Service<Settings> & Vars & Methods;
