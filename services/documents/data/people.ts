/**
 * Who a flow step goes to, from personnel's directory, posts and today's attendance. An assignee who
 * is away (leave, trip, training, absent) is covered by the B holder of their post; when the post
 * has no B holder, or the B holder is away too, by the head of their division; when nobody else is
 * there the task stays with them. The task and the timeline say who covers for whom, and why.
 */
import { call } from "../../../shared/contracts/actions";
import {
  ATTENDANCE_LABELS,
  type AttendanceStatus,
  type DirectoryEntry,
  type Post,
} from "../../../shared/contracts/personnel";
import type { Assignee, FlowStep } from "../../../shared/contracts/documents";
import type { Resolved } from "../flows";
import type { DocDoc } from "./models";
import type { This } from "../types";

const PEOPLE_TTL_MS = 30_000;
const SYSTEM = { meta: { system: true } };

export interface OrgPeople {
  staff: Map<string, DirectoryEntry>;
  /** divisionId → its head's staff id */
  heads: Map<string, string>;
  /** staff id → the post they hold as A */
  postOf: Map<string, Post>;
  loadedAt: number;
}

export async function orgPeople(svc: This, orgId: string): Promise<OrgPeople> {
  const hit = svc.peopleCache.get(orgId);
  if (hit && Date.now() - hit.loadedAt < PEOPLE_TTL_MS) return hit;
  const [dir, posts] = await Promise.all([
    call(svc.broker, "personnel.staff.directory", { orgId }, SYSTEM),
    call(svc.broker, "personnel.posts.list", { orgId }, SYSTEM),
  ]);
  const active = dir.filter((s) => s.status === "active");
  const people: OrgPeople = {
    staff: new Map(active.map((s) => [s.id, s])),
    heads: new Map(active.filter((s) => s.isDivisionHead).map((s) => [s.divisionId, s.id])),
    postOf: new Map(posts.filter((p) => p.aHolderId).map((p) => [p.aHolderId!, p])),
    loadedAt: Date.now(),
  };
  svc.peopleCache.set(orgId, people);
  return people;
}

/** The staff ids an assignee spec names for a document (before covering absence). */
function named(a: Assignee, doc: DocDoc, people: OrgPeople, divisions: Map<string, { orgId: string; kind: string }>) {
  const headOf = (divisionId: string): string[] => {
    const h = people.heads.get(divisionId);
    return h ? [h] : [];
  };
  switch (a.type) {
    case "drafter":
      return [doc.drafterId];
    case "staff":
      return people.staff.has(a.staffId) ? [a.staffId] : [];
    case "post":
      return [...people.postOf.values()].filter((p) => p.id === a.postId).map((p) => p.aHolderId!);
    case "divisionHead": {
      if (a.division === "drafter") return headOf(doc.divisionId);
      if (a.division === "countersign") return doc.countersignDivisionIds.flatMap(headOf);
      if (a.division === "handling") return doc.handlingDivisionIds.flatMap(headOf);
      const kind = a.division.slice("kind:".length);
      const div = [...divisions.entries()].find(([, d]) => d.orgId === doc.orgId && d.kind === kind);
      return div ? headOf(div[0]) : [];
    }
  }
}

const away = (s: AttendanceStatus | undefined): boolean => !!s && s !== "present";

/** The people a step goes to today, each covered when away. */
export async function resolveStep(svc: This, step: FlowStep, doc: DocDoc, today: string): Promise<Resolved[]> {
  const [people, refs] = await Promise.all([orgPeople(svc, doc.orgId), svc.refs()]);
  const ids = [...new Set(step.assignees.flatMap((a) => named(a, doc, people, refs.divisions)))];
  if (!ids.length) return [];
  const { statuses } = await call(svc.broker, "personnel.attendance.today", { date: today, orgId: doc.orgId }, SYSTEM);
  const status = (id: string) => statuses[id] as AttendanceStatus | undefined;
  const entry = (id: string) => people.staff.get(id);
  return ids.map((id) => {
    const person = entry(id);
    const base: Resolved = {
      staffId: id,
      name: person?.name ?? doc.drafterName,
      divisionId: person?.divisionId ?? null,
      coversFor: null,
    };
    const st = status(id);
    if (!away(st)) return base;
    const reason = `（${ATTENDANCE_LABELS[st!]}）`;
    const b = people.postOf.get(id)?.bHolderId;
    const head = person ? people.heads.get(person.divisionId) : undefined;
    const cover = [b, head].find((c) => !!c && c !== id && entry(c) && !away(status(c)));
    if (!cover) return base;
    const label = cover === b ? `${reason}，B岗` : `${reason}，无在岗B岗，处室负责人`;
    return {
      staffId: cover,
      name: entry(cover)!.name,
      divisionId: base.divisionId,
      coversFor: { staffId: id, name: base.name, reason: label },
    };
  });
}
