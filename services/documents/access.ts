/**
 * Who sees a document and who acts as an organisation's office: pure functions over the caller,
 * with the rules of shared/permissions.ts. Everyone else is told the document does not exist.
 */
import type { Actor } from "../../shared/office";
import { may } from "../../shared/permissions";
import type { DocRow } from "./types";

/** Acts as the organisation's office (issues, registers incoming documents, archives). */
export const isOffice = (a: Actor, orgId: string): boolean =>
  a.system || (!!a.user && may(a.user, "documents.office", { orgId, officeOf: a.officeOf }));

export function sees(a: Actor, row: DocRow): boolean {
  if (a.system) return true;
  // The office issues, distributes and archives what its organisation has signed.
  if (!["draft", "flow"].includes(row.doc.stage) && isOffice(a, row.doc.orgId)) return true;
  const published = row.doc.published && ["issued", "done", "archived"].includes(row.doc.stage);
  return (
    !!a.user &&
    may(a.user, "documents.read", { participants: row.participants, involvedOrgIds: row.involvedOrgs, published })
  );
}
