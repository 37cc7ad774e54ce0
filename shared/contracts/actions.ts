/**
 * The actions one service calls on another, each with its params and its result, typed once.
 * `call()` takes the action name from this map, so a wrong name or a wrong params shape is a
 * compile error (test/unit/shared/typed-calls.test.ts holds that to account). A service adds its
 * action here when another service starts calling it.
 */
import type { CallingOptions } from "moleculer";
import type { DayInfo } from "../calendar";
import type { AgeBand } from "../time";
import type { CalendarOverride } from "./calendar";
import type { FactsParams, FactsResult } from "./info";
import type {
  AttendanceMonthResult,
  AttendanceStatus,
  DemoPeople,
  DirectoryEntry,
  OrgWithDivisions,
  Post,
  StaffDetail,
  StaffListResult,
  StaffMonthDays,
} from "./personnel";
import type {
  CompletionMatrix,
  DeadlineSettings,
  DivisionPlans,
  MonthKey,
  MonthView,
  OrgPlans,
  OverdueReport,
  PersonPlans,
} from "./plans";
import type { TickResult } from "./reminders";
import type {
  ComplianceParams,
  ComplianceReport,
  FeedParams,
  FeedResult,
  LogInput,
  LogPolicy,
  LogView,
  OverdueItem,
} from "./worklog";

interface Action<P, R> {
  params: P;
  result: R;
}
type NoParams = Record<string, never>;
type Month = { year: number; month: number };

export interface Actions {
  "personnel.orgs.list": Action<NoParams, OrgWithDivisions[]>;
  "personnel.posts.list": Action<{ orgId?: string; divisionId?: string }, Post[]>;
  "personnel.staff.get": Action<{ id: string }, StaffDetail>;
  "personnel.staff.list": Action<
    {
      q?: string;
      orgId?: string;
      divisionId?: string;
      postId?: string;
      ageBand?: AgeBand;
      education?: string;
      status?: string;
      page?: number;
      limit?: number;
    },
    StaffListResult
  >;
  "personnel.staff.directory": Action<{ orgId?: string; ids?: string[] }, DirectoryEntry[]>;
  "personnel.attendance.month": Action<Month & { orgId?: string; divisionId?: string }, AttendanceMonthResult>;
  "personnel.attendance.monthAll": Action<Month, StaffMonthDays[]>;
  "personnel.demo.people": Action<NoParams, DemoPeople>;
  "personnel.attendance.today": Action<
    { date?: string; orgId?: string },
    { date: string; statuses: Record<string, AttendanceStatus> }
  >;
  "personnel.calendar.days": Action<{ from: string; to: string }, DayInfo[]>;
  "personnel.calendar.overrides.list": Action<{ from?: string; to?: string }, CalendarOverride[]>;
  "worklog.logs.create": Action<LogInput, LogView>;
  "worklog.logs.get": Action<{ id: string }, LogView>;
  "worklog.logs.feed": Action<FeedParams, FeedResult>;
  "worklog.policies.list": Action<NoParams, LogPolicy[]>;
  "worklog.compliance.report": Action<ComplianceParams, ComplianceReport>;
  "worklog.compliance.overdue": Action<{ orgId?: string }, OverdueItem[]>;
  "plans.summary.person": Action<{ staffId: string; date?: string }, PersonPlans>;
  "plans.summary.division": Action<{ divisionId: string; date?: string }, DivisionPlans>;
  "plans.summary.org": Action<{ orgId: string; date?: string }, OrgPlans>;
  "plans.months.get": Action<MonthKey, MonthView>;
  "plans.matrix": Action<{ year?: number; orgId?: string }, CompletionMatrix>;
  "plans.deadlines.get": Action<
    Partial<Month>,
    DeadlineSettings & { month: string; arrangementDue: string; completionDue: string }
  >;
  "plans.overdue.list": Action<{ date?: string; orgId?: string }, OverdueReport[]>;
  "info.facts.list": Action<FactsParams, FactsResult>;
  "reminders.tick": Action<{ at?: string }, TickResult>;
  /** Asked by the gateway before a download (gateway/uploads.ts): may the caller see a document holding the file? */
  "documents.files.authorize": Action<{ id: string }, { allowed: boolean }>;
}
export type ActionName = keyof Actions;
export type ParamsOf<A extends ActionName> = Actions[A]["params"];
export type ResultOf<A extends ActionName> = Actions[A]["result"];

/** Anything that can call an action: a broker, or a handler's context. */
interface Caller {
  call<R, P>(action: string, params?: P, opts?: CallingOptions): Promise<R>;
}

/** Calls an action of another service, with its params and result types from `Actions`. */
export function call<A extends ActionName>(
  caller: Caller,
  action: A,
  params: ParamsOf<A>,
  opts?: CallingOptions,
): Promise<ResultOf<A>> {
  return caller.call<ResultOf<A>, ParamsOf<A>>(action, params, opts);
}
