/**
 * What a staff import changes: each checked row against the stored record. A file exported by the
 * platform and imported back unchanged changes nothing, so nothing is written and nobody hears of
 * it; only the rows that differ become writes.
 */
import type { StaffImportRow } from "./excel";
import type { StaffDoc } from "./personnel.types";
import { nameKeys } from "./search";

/** The fields of a staff record that an import sets. */
export type ImportedFields = Pick<
  StaffDoc,
  | "name"
  | "namePinyin"
  | "nameInitials"
  | "gender"
  | "birthDate"
  | "education"
  | "politicalStatus"
  | "title"
  | "orgId"
  | "divisionId"
  | "phone"
  | "hireDate"
  | "status"
>;

export interface StaffImportPlan {
  creates: StaffDoc[];
  /** Each with the version it was read at: the write lands only on that version. */
  updates: { id: string; version: number; set: Partial<ImportedFields> }[];
  unchanged: number;
}

export function importedFields(r: StaffImportRow): ImportedFields {
  return {
    name: r.name,
    ...nameKeys(r.name),
    gender: r.gender,
    birthDate: r.birthDate,
    education: r.education,
    politicalStatus: r.politicalStatus,
    title: r.title,
    orgId: r.orgId,
    divisionId: r.divisionId,
    phone: r.phone,
    hireDate: r.hireDate,
    status: r.status,
  };
}

/** The fields of `next` that differ from the stored record (empty: the row changes nothing). */
export function changedFields(stored: StaffDoc, next: ImportedFields): Partial<ImportedFields> {
  const out: Partial<ImportedFields> = {};
  for (const [k, v] of Object.entries(next) as [keyof ImportedFields, unknown][])
    if ((stored[k] ?? null) !== (v ?? null)) (out as Record<string, unknown>)[k] = v;
  return out;
}

/**
 * Splits checked rows into new records (with the ids reserved for them, in row order), updates
 * of what differs, and the count of rows that change nothing.
 */
export function planStaffImport(
  rows: StaffImportRow[],
  stored: Map<string, StaffDoc>,
  newIds: string[],
): StaffImportPlan {
  const plan: StaffImportPlan = { creates: [], updates: [], unchanged: 0 };
  for (const r of rows) {
    const fields = importedFields(r);
    if (!r.id) {
      plan.creates.push({ _id: newIds[plan.creates.length], postId: null, version: 1, ...fields });
      continue;
    }
    // The rows were checked against the same records: a row's 工号 is one of them.
    const current = stored.get(r.id)!;
    const set = changedFields(current, fields);
    if (Object.keys(set).length) plan.updates.push({ id: r.id, version: current.version, set });
    else plan.unchanged++;
  }
  return plan;
}
