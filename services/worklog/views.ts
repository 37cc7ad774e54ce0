/** Stored documents → the API's views (shared/contracts/worklog). */
import type { CommentView, LogPolicy, LogVersionView, LogView } from "../../shared/contracts/worklog";
import type { IndexedLog } from "./data/log-index";
import type { CommentDoc, PolicyDoc, VersionDoc } from "./data/models";

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toView(d: IndexedLog): LogView {
  return {
    id: d._id,
    kind: d.kind,
    status: d.status,
    authorStaffId: d.authorStaffId,
    authorName: d.authorName,
    orgId: d.orgId,
    divisionId: d.divisionId,
    date: d.date,
    done: d.status === "withdrawn" ? "" : d.done,
    thoughts: d.status === "withdrawn" ? "" : d.thoughts,
    tags: d.tags ?? [],
    taskIds: d.taskIds ?? [],
    version: d.version,
    edited: d.edited,
    publishedAt: iso(d.publishedAt),
    editedAt: iso(d.editedAt),
    withdrawnAt: iso(d.withdrawnAt),
    withdrawReason: d.withdrawReason ?? null,
    late: d.late,
    readCount: d.readCount,
    usefulCount: d.usefulCount,
    commentCount: d.commentCount,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

export const policyView = (d: PolicyDoc): LogPolicy => ({
  orgId: d._id,
  personal: d.personal,
  orgLogWeekly: d.orgLogWeekly,
  orgLogAuthors: d.orgLogAuthors ?? [],
  deadline: d.deadline,
  graceMinutes: d.graceMinutes,
  updatedAt: iso(d.updatedAt),
  updatedBy: d.updatedBy ?? null,
});

export const versionView = (v: VersionDoc): LogVersionView => ({
  logId: v.logId,
  version: v.version,
  date: v.date,
  done: v.done,
  thoughts: v.thoughts,
  tags: v.tags,
  taskIds: v.taskIds,
  replacedAt: new Date(v.replacedAt).toISOString(),
  replacedBy: v.replacedBy,
});

export const commentView = (c: CommentDoc): CommentView => ({
  id: c._id,
  logId: c.logId,
  authorStaffId: c.authorStaffId,
  authorName: c.authorName,
  body: c.body,
  mentions: c.mentions ?? [],
  createdAt: new Date(c.createdAt).toISOString(),
});
