/** Personnel contracts: organisations, divisions, posts, staff and attendance. */
import type { ImportCounts, JobView } from "./jobs";
import type { Role } from "../auth";
import type { AgeBand } from "../time";

export const STAFF_STATUSES = ["active", "left", "retired"] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export const STAFF_STATUS_LABELS: Record<StaffStatus, string> = { active: "在职", left: "离职", retired: "退休" };

export const GENDERS = ["male", "female"] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<Gender, string> = { male: "男", female: "女" };

/** 学历 */
export const EDUCATION_LEVELS = ["研究生-博士", "研究生-硕士", "本科", "大专", "中专", "高中及以下"] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** 政治面貌 */
export const POLITICAL_STATUSES = ["中共党员", "共青团员", "民主党派", "群众"] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];

export const ORG_KINDS = ["city", "district", "county", "zone"] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** What a division does; later features (log templates) key on it. `leadership` is the 局领导 group. */
export const DIVISION_KINDS = [
  "leadership",
  "office",
  "hr",
  "budget",
  "treasury",
  "assets",
  "tax_policy",
  "agriculture",
  "social",
  "economic",
  "admin_law",
  "education",
  "accounting",
  "finance",
  "supervision",
  "debt",
  "procurement",
  "it",
  "general",
] as const;
export type DivisionKind = (typeof DIVISION_KINDS)[number];

export interface Division {
  id: string;
  orgId: string;
  name: string;
  kind: DivisionKind;
  order: number;
}

export interface Org {
  id: string;
  name: string;
  /** e.g. 张北县 */
  shortName: string;
  kind: OrgKind;
  parentId: string | null;
  order: number;
}

export interface OrgWithDivisions extends Org {
  divisions: Division[];
}

/** 出勤状态 */
export const ATTENDANCE_STATUSES = [
  "present",
  "leave_personal", // 事假
  "leave_sick", // 病假
  "leave_annual", // 年假
  "business_trip", // 出差
  "training", // 培训
  "absent", // 缺勤
] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
  present: "出勤",
  leave_personal: "事假",
  leave_sick: "病假",
  leave_annual: "年假",
  business_trip: "出差",
  training: "培训",
  absent: "缺勤",
};

/** 岗位, with its A holder (primary) and B holder (AB岗 backup). */
export interface Post {
  id: string;
  orgId: string;
  divisionId: string;
  title: string;
  /** 岗位职责 */
  responsibilities: string;
  /** The division's head post (处长/股长) */
  isHead: boolean;
  aHolderId: string | null;
  bHolderId: string | null;
  order: number;
}

export interface PersonRef {
  staffId: string;
  name: string;
}

/** One A/B relation as shown on a staff record. */
export interface AbRelation {
  postId: string;
  postTitle: string;
  /** The other person in the relation (the A holder for `backsUp`, the B holder for `backedUpBy`). */
  person: PersonRef | null;
}

/** A staff record as anyone signed in may see it. */
export interface StaffPublic {
  id: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  gender: Gender;
  education: EducationLevel;
  politicalStatus: PoliticalStatus;
  /** 职务/职级 */
  title: string;
  orgId: string;
  divisionId: string;
  postId: string | null;
  hireDate: string;
  status: StaffStatus;
  ageBand: AgeBand;
  version: number;
}

/** With personal fields, for HR, admins and leaders of the staff member's organisation. */
export interface StaffView extends StaffPublic {
  phone?: string | null;
  birthDate?: string;
  age?: number;
}

export interface StaffDetail extends StaffView {
  /** The post this person holds as A, with its B holder (who backs them up). */
  backedUpBy: AbRelation | null;
  /** Posts where this person is the B holder, with their A holders (whom they back up). */
  backsUp: AbRelation[];
}

export interface StaffListResult {
  rows: StaffView[];
  total: number;
  page: number;
  limit: number;
}

/** Published on `personnel.staff.changed` whenever a staff record is created or changed. */
export interface StaffChanged {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
  postId: string | null;
  phone: string | null;
  status: StaffStatus;
  /** Monotonic per staff record; consumers keep the newest copy only. */
  version: number;
}

/** A row of the internal staff directory other services use to keep their own copies. */
export interface DirectoryEntry {
  id: string;
  name: string;
  orgId: string;
  divisionId: string;
  postId: string | null;
  phone: string | null;
  status: StaffStatus;
  /** Heads its division (处长/股长) */
  isDivisionHead: boolean;
}

export interface StaffStats {
  total: number;
  byOrg: Record<string, number>;
  byDivision: Record<string, number>;
  byEducation: Record<string, number>;
  byAgeBand: Record<string, number>;
}

export interface CoverageRow {
  post: Post;
  aHolder: PersonRef | null;
  bHolder: PersonRef | null;
  aStatus: AttendanceStatus | null;
  bStatus: AttendanceStatus | null;
}

export interface CoverageResult {
  date: string;
  /** Posts with no B holder. */
  noBackup: CoverageRow[];
  /** Posts whose A and B holders are both away today. */
  bothAbsent: CoverageRow[];
}

export type AttendanceCounts = Record<AttendanceStatus | "notRecorded", number>;

export interface AttendancePersonMonth {
  staffId: string;
  name: string;
  divisionId: string;
  days: Record<string, AttendanceStatus>;
  counts: AttendanceCounts;
}

/** One person's recorded days of a month (the whole bureau at once, for rebuilds). */
export type StaffMonthDays = Pick<AttendancePersonMonth, "staffId" | "days">;

export interface AttendanceMonthResult {
  year: number;
  month: number;
  /** Working days of the month up to today (Mon–Fri for now). */
  workingDays: string[];
  people: AttendancePersonMonth[];
  divisions: { divisionId: string; people: number; counts: AttendanceCounts }[];
}

export interface ImportRowError {
  /** 1-based row number as Excel shows it */
  row: number;
  column: string;
  message: string;
}

export interface SeedResult {
  seeded: boolean;
  orgs?: number;
  divisions?: number;
  posts?: number;
  staff?: number;
  attendanceDocs?: number;
  ms?: number;
}

/** `demo.people`: the staff id of the demo person for each role; the accounts service gives them logins. */
export type DemoPeople = Record<Role, string>;

/** A demo person with their unit (the generator's view of `DemoPeople`). */
export interface DemoPerson {
  role: Role;
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
}

/** What a staff import changed: rows that matched their record exactly count as unchanged. */
export type StaffImportResult = ImportCounts;

/** An attendance import, by person-months of the file; `days`: the day cells written. */
export type AttendanceImportResult = ImportCounts & { days: number };

/** `POST /imports/staff` checks the file at once (422 with the row errors) and then writes as a job. */
export type StaffImportJob = JobView<StaffImportResult>;
