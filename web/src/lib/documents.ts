/** The 公文 pages' shared helpers: labels, and who acts as the office or edits flows. */
import type { AuthUser } from "@shared/auth";
import type { DocStage, DocumentView } from "@shared/contracts/documents";
import { may } from "@shared/permissions";
import type { Lookup } from "./hooks";
import { officeOf } from "./info";

export const STAGE_LABELS: Record<DocStage, string> = {
  draft: "草稿",
  flow: "流转中",
  signed: "已签发",
  issued: "已分发",
  done: "已办结",
  archived: "已归档",
};

export const EVENT_LABELS: Record<string, string> = {
  submit: "送出",
  approve: "同意",
  sign: "签发",
  receive: "签收",
  propose: "拟办",
  assign: "批办",
  handle: "承办",
  return: "退回",
  withdraw: "撤回",
  delegate: "代办",
  issue: "编号",
  distribute: "分发",
  register: "登记",
  feedback: "反馈",
  archive: "归档",
  skip: "跳过",
  end: "流程结束",
  done: "办结",
};

/** Acts as the office of the organisation (issues, registers, archives). */
export const isDocOffice = (user: AuthUser, lookup: Pick<Lookup, "division">, orgId = user.orgId): boolean =>
  may(user, "documents.office", { orgId, officeOf: officeOf(user, lookup) });

/** The caller's open task on the document, if any. */
export const myOpenTask = (d: DocumentView, staffId: string | null) =>
  d.tasks.find((t) => t.status === "open" && t.assigneeId === staffId && (d.stage === "flow" || d.stage === "draft"));
