/** Document circulation (公文流转): the types the documents service, its callers and the web client share. */

export const DOC_KINDS = ["outgoing", "incoming", "request"] as const;
/** 发文, 收文, 签报/请示 */
export type DocKind = (typeof DOC_KINDS)[number];
export const DOC_KIND_LABELS: Record<DocKind, string> = { outgoing: "发文", incoming: "收文", request: "签报" };

/** 文种 */
export const DOC_TYPES = ["通知", "请示", "报告", "函", "纪要", "意见", "批复", "决定"] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const URGENCIES = ["平件", "加急", "特急"] as const;
export type Urgency = (typeof URGENCIES)[number];

/** 密级: only these two; classified documents (秘密/机密/绝密) are refused. */
export const SECRECY_LEVELS = ["公开", "内部"] as const;
export type Secrecy = (typeof SECRECY_LEVELS)[number];

/**
 * Who a flow step goes to:
 * - `drafter`: the drafter (拟稿), or for an incoming document the office that signed for it;
 * - `divisionHead`: the head of a division: the drafter's (`drafter`), each countersigning division
 *   (`countersign`, chosen on the draft), each handling division (`handling`, chosen at 批办), or the
 *   organisation's division of a kind (`kind:office`, `kind:leadership`);
 * - `post`: the A holder of a named post;
 * - `staff`: a named person.
 * An assignee who is away that day (attendance) is covered by the B holder of their post, else by their division's head.
 */
export type Assignee =
  | { type: "drafter" }
  | { type: "divisionHead"; division: "drafter" | "countersign" | "handling" | `kind:${string}` }
  | { type: "post"; postId: string }
  | { type: "staff"; staffId: string };

/** What a step does beyond an opinion. */
export const STEP_ACTIONS = ["approve", "sign", "receive", "propose", "assign", "handle"] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export interface FlowStep {
  key: string;
  /** 核稿, 会签, 签发, 签收, 拟办, 批办, 承办… */
  name: string;
  /** `parallel`: one task per assignee, all must act; `serial`: one task (the first assignee found). */
  mode: "serial" | "parallel";
  assignees: Assignee[];
  /** May the step's assignee return the document to an earlier step? */
  mayReturn: boolean;
  action: StepAction;
}

/** One flow per document kind per organisation: data an administrator edits. */
export interface Flow {
  orgId: string;
  kind: DocKind;
  steps: FlowStep[];
  /** 发文机关代字 per 文种, e.g. 张财办 → 张财办〔2026〕12号 */
  numberPrefix: string;
  /** Working days for handling (承办) per urgency. */
  dueWorkingDays: Record<Urgency, number>;
  updatedAt: string | null;
}

export type TaskStatus = "open" | "done" | "returned" | "withdrawn" | "cancelled";

export interface Task {
  id: string;
  step: number;
  assigneeId: string;
  assigneeName: string;
  /** The person the step named, when someone covers for them (A/B post, absence). */
  coversFor: { staffId: string; name: string; reason: string } | null;
  /** For a handling task: its division. */
  divisionId: string | null;
  status: TaskStatus;
  opinion: string | null;
  createdAt: string;
  actedAt: string | null;
  dueDate: string | null;
}

export interface TimelineEntry {
  at: string;
  /** submit, approve, return, withdraw, delegate, issue, distribute, receive, handle, done, archive, register */
  event: string;
  step: string | null;
  staffId: string | null;
  name: string;
  opinion: string | null;
  detail: string | null;
}

export type DocStage = "draft" | "flow" | "signed" | "issued" | "done" | "archived";

export interface Attachment {
  id: string;
  name: string;
  size: number;
  mime: string;
}

/** A recipient of an issued document: an organisation (it gets a 收文), a division, or a person. */
export interface Distribution {
  type: "org" | "division" | "staff";
  id: string;
  name: string;
  /** The 收文 created for an organisation. */
  incomingId: string | null;
  receivedAt: string | null;
  receivedBy: string | null;
  result: string | null;
  doneAt: string | null;
}

export interface DocumentView {
  id: string;
  kind: DocKind;
  title: string;
  docType: DocType;
  urgency: Urgency;
  secrecy: Secrecy;
  /** Sanitised HTML. */
  body: string;
  attachments: Attachment[];
  drafterId: string;
  drafterName: string;
  orgId: string;
  orgName: string;
  divisionId: string;
  mainTo: string;
  copyTo: string;
  countersignDivisionIds: string[];
  handlingDivisionIds: string[];
  stage: DocStage;
  steps: FlowStep[];
  /** Index of the current step (while in flow). */
  step: number;
  tasks: Task[];
  timeline: TimelineEntry[];
  number: string | null;
  issuedAt: string | null;
  distribution: Distribution[];
  /** A 收文 from another organisation on the platform: the outgoing document's id and sender. */
  source: { id: string; orgId: string; orgName: string; number: string | null } | null;
  /** A 收文's sender as registered (paper or email). */
  senderName: string;
  result: string | null;
  published: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A row of a list (待办, 已办, 查询…). */
export interface DocumentRow {
  id: string;
  kind: DocKind;
  title: string;
  docType: DocType;
  urgency: Urgency;
  stage: DocStage;
  stepName: string | null;
  number: string | null;
  orgId: string;
  drafterName: string;
  senderName: string;
  updatedAt: string;
  /** The caller's open task's due date (待办). */
  dueDate: string | null;
  overdue: boolean;
}

export interface DocumentList {
  items: DocumentRow[];
  total: number;
  page: number;
  limit: number;
}

export interface DraftInput {
  kind: DocKind;
  title: string;
  docType: DocType;
  urgency: Urgency;
  secrecy: string;
  body: string;
  mainTo?: string;
  copyTo?: string;
  countersignDivisionIds?: string[];
  attachmentIds?: string[];
}

/** 效能监督: on-time handling per organisation and division. */
export interface EfficiencyRow {
  orgId: string;
  divisionId: string;
  handled: number;
  onTime: number;
  open: number;
  overdue: number;
}

export const DOCUMENT_LINKS = { document: (id: string): string => `/documents/items/${id}` };
