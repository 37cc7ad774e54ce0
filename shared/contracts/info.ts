/**
 * The `info` service: information reports sent upwards and reviewed by the office (信息报送), and
 * publicity items verified by the office (宣传), the indicator facts both produce for the assessment
 * service, and the points per level. REST: every action below is under /api/info (see each action's
 * `rest` in the service).
 *
 * Who "the office" is (审核人): the members of an organisation's office division (办公室, division kind
 * `office`), that organisation's county administrator, and system administrators. A county's item is
 * reviewed first by its own county office, which returns it or forwards it (报送) to the city office;
 * the city office returns it or adopts it (采用) at city, province or national level. City items go
 * straight to the city office. Publicity items are verified by the office of the author's organisation.
 *
 * Visibility: adopted reports and verified publicity are public to every signed-in member (indicators
 * are public work information). A draft is its author's alone. A pending or returned item is seen by
 * its author, the offices that review it (the city office once it was sent up) and city-wide roles.
 *
 * Points per level are a setting (`settings.get` / `settings.update`), stored with each decision:
 * changing the setting applies to later decisions, so earlier facts and their rebuild agree.
 *
 * Every mutating command takes an optional `commandId` (client-chosen, ≤ 64 chars). A command re-sent
 * with the same id changes nothing, returns the current item and re-sends that step's events with their
 * original ids (consumers ignore duplicates). Without one, a repeat of an adoption or verification with
 * the same values is a no-op too; other repeats meet a 409 (the item is no longer in that state).
 *
 * Actions (`info.<name>`, REST under /api/info):
 * - reports: `info.create` POST /info · `info.update` PATCH /info/:id · `info.submit` POST /info/:id/submit ·
 *   `info.return` POST /info/:id/return · `info.forward` POST /info/:id/forward ·
 *   `info.adopt` POST /info/:id/adopt · `info.revoke` POST /info/:id/revoke · `info.get` GET /info/:id ·
 *   `info.list` GET /info
 * - publicity: `publicity.create` POST /publicity · `publicity.update` PATCH /publicity/:id ·
 *   `publicity.verify` / `publicity.reject` / `publicity.revoke` POST /publicity/:id/<step> ·
 *   `publicity.get` GET /publicity/:id · `publicity.list` GET /publicity
 * - `facts.list` GET /facts · `settings.get` GET /settings · `settings.update` PUT /settings
 *
 * Errors: 422 VALIDATION_ERROR with `fields`, 403 (NOT_AUTHOR, NOT_REVIEWER, NOT_OFFICE, NOT_OWNER,
 * NO_STAFF_RECORD), 404 (INFO_NOT_FOUND, PUBLICITY_NOT_FOUND, also for items the caller may not see),
 * 409 INVALID_STATE.
 */
import type { IndicatorFact, IndicatorKind } from "./assessment";

// ---------- settings ----------

/** 信息采用级别 */
export const INFO_LEVELS = ["city", "province", "national"] as const;
export type InfoLevel = (typeof INFO_LEVELS)[number];
export const INFO_LEVEL_LABELS: Record<InfoLevel, string> = { city: "市级", province: "省级", national: "国家级" };

/** 宣传媒体级别 */
export const OUTLET_LEVELS = ["county", "city", "province", "national"] as const;
export type OutletLevel = (typeof OUTLET_LEVELS)[number];
export const OUTLET_LEVEL_LABELS: Record<OutletLevel, string> = {
  county: "县级",
  city: "市级",
  province: "省级",
  national: "国家级",
};

export interface PointSettings {
  /** Points per adopted information report, by adoption level. */
  information: Record<InfoLevel, number>;
  /** Points per verified publicity item, by outlet level. */
  publicity: Record<OutletLevel, number>;
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * Defaults until an administrator changes them. The seed report gives no figures; these follow the
 * common practice of provincial finance departments' information-work rules (higher level, more points).
 */
export const DEFAULT_POINTS: Pick<PointSettings, "information" | "publicity"> = {
  information: { city: 1, province: 3, national: 5 },
  publicity: { county: 0.5, city: 1, province: 3, national: 5 },
};

/** `settings.update` (city HR admin or system admin; audited): any subset of the levels. */
export interface PointSettingsUpdate {
  information?: Partial<Record<InfoLevel, number>>;
  publicity?: Partial<Record<OutletLevel, number>>;
}

// ---------- information reports (信息报送) ----------

export const INFO_STATUSES = ["draft", "submitted", "returned", "adopted"] as const;
export type InfoStatus = (typeof INFO_STATUSES)[number];
export const INFO_STATUS_LABELS: Record<InfoStatus, string> = {
  draft: "草稿",
  submitted: "待审核",
  returned: "已退回",
  adopted: "已采用",
};

/** Whose desk a submitted report is on: its county office, or the city office. */
export const REVIEW_STAGES = ["county", "city"] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];
export const REVIEW_STAGE_LABELS: Record<ReviewStage, string> = { county: "县区办公室审核", city: "市局办公室审核" };

export const INFO_CATEGORIES = ["工作动态", "经验做法", "问题建议", "调研分析", "典型案例", "其他"] as const;
export type InfoCategory = (typeof INFO_CATEGORIES)[number];

/**
 * Steps of a report's trail. `adopt` also covers a change of level or place of use on an adopted
 * report; `revoke` withdraws an adoption (撤销采用), putting the report back on the city office's desk.
 */
export const INFO_ACTIONS = ["create", "edit", "submit", "return", "forward", "adopt", "revoke"] as const;
export type InfoAction = (typeof INFO_ACTIONS)[number];
export const INFO_ACTION_LABELS: Record<InfoAction, string> = {
  create: "起草",
  edit: "修改",
  submit: "报送",
  return: "退回",
  forward: "转报市局",
  adopt: "采用",
  revoke: "撤销采用",
};

export interface Adoption {
  level: InfoLevel;
  /** Where it was used, e.g. 《河北财政信息》2026年第12期 */
  usedIn: string;
  points: number;
  adoptedAt: string;
  adoptedByName: string;
}

export interface TrailEntry {
  at: string;
  action: InfoAction | PublicityAction;
  actorStaffId: string | null;
  actorName: string;
  fromStatus: string | null;
  toStatus: string;
  /** For reports: the desk the report is on after this step. */
  stage: ReviewStage | null;
  comment: string | null;
  level: string | null;
  usedIn: string | null;
  points: number | null;
}

export interface InfoReportView {
  id: string;
  title: string;
  body: string;
  category: InfoCategory | null;
  status: InfoStatus;
  /** The desk a submitted report is on; null for drafts, returned and adopted reports. */
  stage: ReviewStage | null;
  authorStaffId: string;
  authorName: string;
  orgId: string;
  divisionId: string;
  /** Year of its first submission (or creation, for a draft). */
  year: number;
  submittedAt: string | null;
  /** When its county office sent it up to the city office; null for city reports. */
  forwardedAt: string | null;
  adoption: Adoption | null;
  /** The latest reviewer comment (a return's reasons), for the author. */
  lastComment: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  trail: TrailEntry[];
  /** What the caller may do with it now, for the web client's buttons. */
  allowed: InfoAction[];
}

export interface InfoCreateParams {
  title: string;
  body: string;
  category?: InfoCategory | null;
  /** Submit at once (default) or keep as a draft only the author sees. */
  submit?: boolean;
  commandId?: string;
}

/** `info.update`: the author, while a draft or returned. */
export interface InfoUpdateParams {
  id: string;
  title?: string;
  body?: string;
  category?: InfoCategory | null;
}

export interface InfoCommandParams {
  id: string;
  /** Required for `return` and `revoke`. */
  comment?: string;
  commandId?: string;
}

export interface InfoAdoptParams extends InfoCommandParams {
  level: InfoLevel;
  usedIn: string;
}

/**
 * `info.list`. `box`: `mine` (the caller's reports), `review` (submitted reports on a desk the caller
 * reviews), `all` (every report the caller may see, the default).
 */
export interface InfoListParams {
  box?: "mine" | "review" | "all";
  year?: number;
  status?: InfoStatus;
  orgId?: string;
  level?: InfoLevel;
  page?: number;
  limit?: number;
}

// ---------- publicity (宣传) ----------

export const PUBLICITY_STATUSES = ["pending", "verified", "rejected"] as const;
export type PublicityStatus = (typeof PUBLICITY_STATUSES)[number];
export const PUBLICITY_STATUS_LABELS: Record<PublicityStatus, string> = {
  pending: "待核实",
  verified: "已核实",
  rejected: "未通过",
};

/** `revoke` withdraws a verification (撤销核实), putting the item back to pending. */
export const PUBLICITY_ACTIONS = ["record", "edit", "verify", "reject", "revoke"] as const;
export type PublicityAction = (typeof PUBLICITY_ACTIONS)[number];
export const PUBLICITY_ACTION_LABELS: Record<PublicityAction, string> = {
  record: "登记",
  edit: "修改",
  verify: "核实",
  reject: "退回",
  revoke: "撤销核实",
};

export interface PublicityView {
  id: string;
  title: string;
  outlet: string;
  outletLevel: OutletLevel;
  /** The day the article appeared, YYYY-MM-DD. */
  publishedOn: string;
  url: string | null;
  summary: string | null;
  authorStaffId: string;
  authorName: string;
  orgId: string;
  divisionId: string;
  year: number;
  status: PublicityStatus;
  /** Points of the verification (from the setting at that time); null unless verified. */
  points: number | null;
  verifiedAt: string | null;
  verifiedByName: string | null;
  lastComment: string | null;
  recordedByName: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  trail: TrailEntry[];
  allowed: PublicityAction[];
}

export interface PublicityCreateParams {
  title: string;
  outlet: string;
  outletLevel: OutletLevel;
  publishedOn: string;
  url?: string | null;
  summary?: string | null;
  /** Office members may record an article for a staff member of their organisation; default: the caller. */
  authorStaffId?: string;
  commandId?: string;
}

/** `publicity.update`: the author or recorder, while pending or rejected (a rejected item becomes pending again). */
export interface PublicityUpdateParams {
  id: string;
  title?: string;
  outlet?: string;
  outletLevel?: OutletLevel;
  publishedOn?: string;
  url?: string | null;
  summary?: string | null;
}

export interface PublicityCommandParams {
  id: string;
  /** Required for `reject` and `revoke`. */
  comment?: string;
  commandId?: string;
}

export interface PublicityListParams {
  box?: "mine" | "review" | "all";
  year?: number;
  status?: PublicityStatus;
  orgId?: string;
  outletLevel?: OutletLevel;
  page?: number;
  limit?: number;
}

// ---------- indicator facts for the assessment service ----------

/**
 * `facts.list` (system calls, HR, leaders, system admins): every fact this service has published whose
 * date falls in the year, at its current version; retracted facts come with `value` 0. Ordered by
 * `factId`; pass `nextCursor` back as `cursor` for the next page.
 */
export interface FactsParams {
  year: number;
  kind?: Extract<IndicatorKind, "information" | "publicity">;
  cursor?: string;
  limit?: number;
}

export interface FactsResult {
  facts: IndicatorFact[];
  nextCursor: string | null;
}

/** Web-client paths the service puts into notifications (`notification.requested`). */
export const INFO_LINKS = {
  info: (id: string): string => `/info/reports/${id}`,
  publicity: (id: string): string => `/info/publicity/${id}`,
};

/** Kinds of `notification.requested` this service sends to an author (named before the split from notices). */
export const NOTIFICATION_KINDS = {
  info: "notices.info",
  publicity: "notices.publicity",
} as const;

export interface InfoSeedResult {
  seeded: boolean;
  reports?: number;
  adopted?: number;
  publicity?: number;
  verified?: number;
  facts?: number;
  ms?: number;
}
