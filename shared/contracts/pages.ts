/** Pages (个人主页 / 处室主页 / 单位主页): one call each, composed from the owning services. */
import type { AttendanceCounts, Division, Org, StaffDetail, StaffView } from "./personnel";
import type { DivisionPlans, OrgPlans, PersonPlans } from "./plans";
import type { GroupRate, LogView, PersonRate } from "./worklog";

/** A section that could not be shown: the caller may not see it, or its service did not answer. */
export interface Unavailable {
  unavailable: true;
  reason: "forbidden" | "error";
}

export type Section<T> = T | Unavailable;

export interface AttendanceSummary {
  year: number;
  month: number;
  /** Working days of the month up to today. */
  workingDays: number;
  counts: AttendanceCounts;
}

export interface PersonPage {
  staffId: string;
  /** The staff record, personal fields only for those allowed to see them, with A/B post partners. */
  profile: StaffDetail;
  plans: Section<PersonPlans>;
  logs: Section<{ recent: LogView[]; compliance: PersonRate | null; from: string; to: string }>;
  attendance: Section<AttendanceSummary | null>;
  /** Indicators (学习、信息、宣传) arrive with the assessment issue. */
  indicators: null;
}

export interface DivisionPage {
  division: Division;
  org: Org;
  plans: Section<DivisionPlans>;
  logs: Section<{ recent: LogView[]; compliance: GroupRate | null; from: string; to: string }>;
  members: Section<(StaffView & { compliance: PersonRate | null })[]>;
  attendance: Section<AttendanceSummary | null>;
  indicators: null;
}

export interface OrgPage {
  org: Org;
  divisions: Division[];
  plans: Section<OrgPlans>;
  compliance: Section<{ org: GroupRate | null; divisions: GroupRate[]; from: string; to: string }>;
  indicators: null;
}
