/** Stored documents → their API views and list rows. */
import type { DocumentRow, DocumentView } from "../../shared/contracts/documents";
import type { DocDoc } from "./data/models";
import { isOverdue } from "./deadlines";
import type { DocRow, This } from "./types";

export function docRowView(row: DocRow, staffId: string | null, today: string): DocumentRow {
  const d = row.doc;
  const due = staffId ? (row.open.get(staffId) ?? null) : null;
  return {
    id: d._id,
    kind: d.kind,
    title: d.title,
    docType: d.docType,
    urgency: d.urgency,
    stage: d.stage,
    stepName: d.stage === "flow" || d.stage === "draft" ? (d.steps[d.step]?.name ?? null) : null,
    number: d.number,
    orgId: d.orgId,
    drafterName: d.drafterName,
    senderName: d.senderName,
    updatedAt: d.updatedAt,
    dueDate: due,
    overdue: isOverdue(due, today),
  };
}

export const viewMethods = {
  async docView(this: This, d: DocDoc): Promise<DocumentView> {
    const org = (await this.refs()).orgs.get(d.orgId);
    return {
      id: d._id,
      kind: d.kind,
      title: d.title,
      docType: d.docType,
      urgency: d.urgency,
      secrecy: d.secrecy,
      body: d.body,
      attachments: d.attachments,
      drafterId: d.drafterId,
      drafterName: d.drafterName,
      orgId: d.orgId,
      orgName: org?.name ?? d.orgId,
      divisionId: d.divisionId,
      mainTo: d.mainTo,
      copyTo: d.copyTo,
      countersignDivisionIds: d.countersignDivisionIds,
      handlingDivisionIds: d.handlingDivisionIds,
      stage: d.stage,
      steps: d.steps,
      step: d.step,
      tasks: d.tasks,
      timeline: d.timeline,
      number: d.number,
      issuedAt: d.issuedAt,
      distribution: d.distribution,
      source: d.source,
      senderName: d.senderName,
      result: d.result,
      published: d.published,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  },
};
