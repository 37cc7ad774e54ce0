/** Stored shapes of the personnel service (what `lean()` returns) and the types its modules share. */
import type { AttendanceImportResult, StaffImportResult } from "../../shared/contracts/personnel";
import type { JobReport, Jobs } from "../../shared/store/jobs";
import type { AttendancePlan } from "./attendance-import";
import type { PersonnelImport, PersonnelImportResult } from "./data/imports";
import type { StaffImportPlan } from "./staff-import";
import type { Context, Service, ServiceSettingSchema } from "moleculer";
import type { Model } from "mongoose";
import type { CallMeta } from "../../shared/auth";
import type { WorkCalendar } from "../../shared/calendar";
import type { Clock } from "../../shared/clock";
import type {
  AttendanceStatus,
  Division,
  EducationLevel,
  Gender,
  Org,
  PoliticalStatus,
  Post,
  StaffStatus,
} from "../../shared/contracts/personnel";
import type { DbVars } from "../../shared/db";
import type { Models } from "./data/models";

export type OrgDoc = Omit<Org, "id"> & { _id: string };
export type DivisionDoc = Omit<Division, "id"> & { _id: string };
export type PostDoc = Omit<Post, "id"> & { _id: string };

export interface StaffDoc {
  _id: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  gender: Gender;
  birthDate: string;
  education: EducationLevel;
  politicalStatus: PoliticalStatus;
  title: string;
  orgId: string;
  divisionId: string;
  postId: string | null;
  phone: string | null;
  hireDate: string;
  status: StaffStatus;
  version: number;
}

/** One person's attendance for one month; `_id` is the staff id; `days` maps "01".."31" to a status. */
export interface AttendanceDoc {
  _id: string;
  staffId: string;
  orgId: string;
  divisionId: string;
  year: number;
  month: number;
  days: Record<string, AttendanceStatus>;
}

/** A working-day override (调休); `_id` is the date. */
export interface OverrideDoc {
  _id: string;
  working: boolean;
  note: string;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The service's settings. */
export interface Settings extends ServiceSettingSchema {
  /** Source of "today"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

/** Call meta; `$status…` and `$response…` tell the gateway how to answer (202 for a started job, a file). */
export type Meta = CallMeta & {
  $statusCode?: number;
  $responseType?: string;
  $responseHeaders?: Record<string, string>;
};
export type Ctx<P = Record<string, never>> = Context<P, Meta>;

export interface Vars {
  m: Models;
  clock: Clock;
  orgs: Map<string, Org>;
  divisions: Map<string, Division>;
  /** Month collections ensured (collection and indexes) by this process, or being ensured, by name. */
  attendanceReady: Map<string, Promise<void>>;
  /** Moves the writable attendance months on with the calendar (data/attendance.ts). */
  attendanceTimer: NodeJS.Timeout | null;
  /** Staff and attendance imports, written as background jobs (data/imports.ts). */
  imports: Jobs<PersonnelImport, PersonnelImportResult>;
}

/** The editable fields of a post. */
export interface PostFields {
  title?: string;
  responsibilities?: string;
  aHolderId?: string | null;
  bHolderId?: string | null;
}

/** One day of one person's attendance, as entered or imported. */
export interface AttendanceEntry {
  staffId: string;
  orgId: string;
  divisionId: string;
  date: string;
  status: AttendanceStatus;
}

/** Days of one person's month to set ("01".."31" → status), with where the person belongs. */
export interface AttendanceDays {
  staffId: string;
  orgId: string;
  divisionId: string;
  days: Record<string, AttendanceStatus>;
}

export interface Methods {
  today(): string;
  calendar(): Promise<WorkCalendar>;
  loadRefs(): Promise<void>;
  ensureOrgs(): Promise<void>;
  mayAdminister(ctx: Ctx<unknown>, orgId: string): boolean;
  requireAdmin(ctx: Ctx<unknown>, orgId: string): void;
  checkHolders(p: PostFields, orgId: string): Promise<void>;
  seesPersonal(ctx: Ctx<unknown>, orgId: string): boolean;
  getStaff(id: string): Promise<StaffDoc>;
  getDivision(id: string): Division;
  scopeOrgs(ctx: Ctx<unknown>, orgId?: string): string[] | null;
  statusesOn(date: string, orgIds: string[] | null): Promise<Map<string, AttendanceStatus>>;
  attendance(year: number, month: number): Model<AttendanceDoc>;
  attendanceWritable(year: number, month: number): boolean;
  attendanceForWrite(year: number, month: number): Promise<Model<AttendanceDoc>>;
  ensureAttendanceMonth(year: number, month: number): Promise<void>;
  ensureAttendanceMonths(): Promise<void>;
  dropAttendance(): Promise<void>;
  writeAttendance(entries: AttendanceEntry[]): Promise<void>;
  upsertAttendance(year: number, month: number, people: AttendanceDays[]): Promise<void>;
  announceAttendance(entries: AttendanceEntry[]): Promise<void>;
  staffChanged(ctx: Ctx<unknown>, doc: StaffDoc): Promise<void>;
  setAHolder(ctx: Ctx<unknown>, post: PostDoc, staffId: string | null): Promise<void>;
  nextStaffId(): Promise<string>;
  reserveStaffIds(n: number): Promise<string[]>;
  runImport(input: PersonnelImport, report: JobReport): Promise<PersonnelImportResult>;
  applyStaffImport(plan: StaffImportPlan, ctx: Ctx<unknown>, report: JobReport): Promise<StaffImportResult>;
  applyAttendanceImport(plan: AttendancePlan, ctx: Ctx<unknown>, report: JobReport): Promise<AttendanceImportResult>;
}

export type This = Service<Settings> & DbVars & Vars & Methods;
