/** Work logs (工作日志): what the actions take and give, and the durable event payloads. */

export const LOG_KINDS = ["personal", "org"] as const;
/** `org` is an organisation log (单位日志), written by a designated author on the organisation's behalf. */
export type LogKind = (typeof LOG_KINDS)[number];

export const LOG_STATUSES = ["draft", "published", "withdrawn"] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** How often a person must write a personal log. */
export const PERSONAL_RULES = ["daily", "weekly", "optional"] as const;
export type PersonalRule = (typeof PERSONAL_RULES)[number];

/** Days a log may be dated back from today (today − 7 … today). */
export const BACKDATE_DAYS = 7;
export const MAX_CONTENT = 20_000;

export interface LogInput {
  /** Local date (Asia/Shanghai), YYYY-MM-DD; defaults to today. */
  date?: string;
  kind?: LogKind;
  /** 所干: what was done */
  done: string;
  /** 所想: reflections and lessons */
  thoughts?: string;
  tags?: string[];
  /** Plan task ids (the plans service fills in what they mean). */
  taskIds?: string[];
  /** Publish at once (default) or keep as a private draft. */
  publish?: boolean;
}

export type LogUpdate = Partial<Omit<LogInput, "kind" | "publish">> & { id: string };

export interface LogView {
  id: string;
  kind: LogKind;
  status: LogStatus;
  authorStaffId: string;
  authorName: string;
  orgId: string;
  divisionId: string;
  date: string;
  /** Empty for a withdrawn log (its tombstone); earlier versions stay readable in the history. */
  done: string;
  thoughts: string;
  tags: string[];
  taskIds: string[];
  version: number;
  /** Changed after it was first published (已编辑). */
  edited: boolean;
  publishedAt: string | null;
  editedAt: string | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
  /** Published after its date's deadline and grace period. */
  late: boolean;
  readCount: number;
  usefulCount: number;
  commentCount: number;
  createdAt: string;
}

/** One earlier version of a log, kept when it was edited or withdrawn. */
export interface LogVersionView {
  logId: string;
  version: number;
  date: string;
  done: string;
  thoughts: string;
  tags: string[];
  taskIds: string[];
  /** When this version was replaced. */
  replacedAt: string;
  replacedBy: "edit" | "withdraw";
}

export interface FeedParams {
  orgId?: string;
  divisionId?: string;
  authorId?: string;
  from?: string;
  to?: string;
  tag?: string;
  kind?: LogKind;
  /** Keyword; a feed with a keyword is a search (ranked, page-numbered). */
  q?: string;
  cursor?: string;
  limit?: number;
}

export interface FeedResult {
  items: LogView[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
}

export interface SearchParams extends Omit<FeedParams, "cursor" | "q"> {
  q: string;
  page?: number;
}

export interface SearchHit extends LogView {
  score: number;
}

export interface SearchResult {
  items: SearchHit[];
  /** Matches found (capped at the candidate limit). */
  total: number;
  page: number;
  limit: number;
}

export interface MonthCount {
  year: number;
  month: number;
  count: number;
}

export interface CommentView {
  id: string;
  logId: string;
  authorStaffId: string;
  authorName: string;
  body: string;
  mentions: { staffId: string; name: string }[];
  createdAt: string;
}

export interface UsefulTopItem {
  log: LogView;
  usefulCount: number;
}

export interface LogPolicy {
  orgId: string;
  personal: PersonalRule;
  /** The organisation must publish an organisation log (单位日志) each ISO week. */
  orgLogWeekly: boolean;
  /** Staff who may publish organisation logs on its behalf (besides its administrators). */
  orgLogAuthors: string[];
  /** Local time "HH:MM" by which a day's log is due. */
  deadline: string;
  graceMinutes: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type PolicyInput = Partial<Omit<LogPolicy, "orgId" | "updatedAt" | "updatedBy">>;

export interface ComplianceParams {
  from: string;
  to: string;
  orgId?: string;
}

/** Due = what the rule asked for in the period (up to now); done = what was published for it. */
export interface RateRow {
  due: number;
  done: number;
  onTime: number;
  /** done / due, or null when nothing was due. */
  rate: number | null;
}

export interface PersonRate extends RateRow {
  staffId: string;
  name: string;
  orgId: string;
  divisionId: string;
  rule: PersonalRule;
}

export interface GroupRate extends RateRow {
  id: string;
  people: number;
}

export interface CountyRank {
  rank: number;
  orgId: string;
  /** Weeks with at least one organisation log, of the weeks due. */
  orgLog: RateRow;
  personal: RateRow;
}

export interface OverdueItem {
  kind: "personal" | "org";
  /** The person, or for an organisation log the organisation's id. */
  staffId: string | null;
  name: string;
  orgId: string;
  divisionId: string | null;
  rule: PersonalRule | "orgWeekly";
  /** The first missed day (or week's Monday) of the current run of misses. */
  missingSince: string;
  /** When that first miss became overdue (deadline + grace). */
  overdueSince: string;
  missed: number;
}

export interface ComplianceReport {
  from: string;
  to: string;
  people: PersonRate[];
  divisions: GroupRate[];
  orgs: GroupRate[];
  ranking: {
    /** The 20 counties by weekly organisation-log compliance (then personal rate). */
    orgLog: CountyRank[];
    /** The 20 counties by personal-log rate. */
    personal: CountyRank[];
  };
}

export interface WorklogSeedResult {
  seeded: boolean;
  logs?: number;
  comments?: number;
  usefulMarks?: number;
  staff?: number;
  tokenizeMs?: number;
  /** Time spent inserting the logs, and building the service's in-memory read index of them afterwards. */
  insertLogsMs?: number;
  indexMs?: number;
  ms?: number;
}

// ---------- durable event payloads ----------

export interface LogEventBase {
  logId: string;
  kind: LogKind;
  authorStaffId: string;
  authorName: string;
  orgId: string;
  divisionId: string;
  date: string;
  version: number;
}

/** A log's title wherever it is listed elsewhere (task evidence, cards): its first line, at most 40 characters. */
export function logTitle(done: string): string {
  const line =
    done
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? "";
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}

export interface LogPublished extends LogEventBase {
  /** logTitle() of the published text, so that consumers need not ask for the log. */
  title: string;
  publishedAt: string;
  late: boolean;
  tags: string[];
  taskIds: string[];
}

export interface LogEdited extends LogEventBase {
  /** logTitle() of the edited text. */
  title: string;
  editedAt: string;
  /** The date before the edit, when the edit moved the log to another date. */
  previousDate: string;
  tags: string[];
  taskIds: string[];
}

export interface LogWithdrawn extends LogEventBase {
  withdrawnAt: string;
  reason: string | null;
}

export interface CommentAdded {
  commentId: string;
  logId: string;
  logAuthorStaffId: string;
  authorStaffId: string;
  authorName: string;
  mentionedStaffIds: string[];
  /** The comment's first 140 characters, for the log author's notification. */
  excerpt: string;
  createdAt: string;
}

export interface NotificationRequested {
  recipientStaffId: string;
  /** e.g. "worklog.mention" */
  kind: string;
  title: string;
  body: string;
  /** A web-client path, e.g. /worklog/logs/<id> */
  link: string;
}

/** Log compliance counts: units due (up to now, or met early), met, met on time. */
export interface ComplianceCounts {
  due: number;
  done: number;
  onTime: number;
}

/**
 * A person's (or, without `staffId`, an organisation's weekly organisation-log) compliance after a
 * log of `month` was published, edited or withdrawn, or after what it is measured by changed (the
 * person's organisation, a policy, the calendar). `counts` are the whole year's, as
 * `compliance.report` for the year would give them for that person (their row) or organisation
 * (its organisation-log rule) when they were computed. `version` grows with each computation: a
 * consumer keeps the counts of the highest one (events may be redelivered or arrive out of order).
 * What is due also grows as days pass without any log: that is not published.
 */
export interface ComplianceChanged {
  orgId: string;
  staffId?: string;
  year: number;
  /** The month whose logs changed; 0 when the change was not a log's (a move, a policy, the calendar). */
  month: number;
  counts: ComplianceCounts;
  /** When worklog computed the counts (epoch ms, strictly increasing per worklog process). */
  version: number;
}
