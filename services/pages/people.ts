/**
 * The pages' own copy of the staff directory: every staff record and post, loaded from personnel in
 * a few bulk calls and kept fresh by its events, so a page reads a profile, its A/B post partners
 * (AB岗) and a division's members from memory. What a viewer may see of it is decided here with the
 * same shared permissions personnel applies (shared/permissions.ts).
 */
import type { CallMeta } from "../../shared/auth";
import type {
  AbRelation,
  AttendanceCounts,
  AttendanceMonthResult,
  Post,
  StaffDetail,
  StaffView,
} from "../../shared/contracts/personnel";
import { may } from "../../shared/permissions";

/** Fields of a staff record shown only to those `staff.readPrivate` allows (phone, birth date, age). */
export const PERSONAL_FIELDS = ["phone", "birthDate", "age"] as const satisfies readonly (keyof StaffView)[];

export interface People {
  staff: Map<string, StaffView>;
  /** Active members of each division, by staff id. */
  members: Map<string, StaffView[]>;
  posts: Map<string, Post>;
  /** Posts each person backs up as B holder. */
  backing: Map<string, Post[]>;
}

/** Indexes staff records (with personal fields) and posts as loaded from personnel. */
export function indexPeople(staff: StaffView[], posts: Post[]): People {
  const byId = new Map(staff.map((s) => [s.id, s]));
  const members = new Map<string, StaffView[]>();
  for (const s of [...staff].sort((a, b) => a.id.localeCompare(b.id))) {
    if (s.status !== "active") continue;
    const list = members.get(s.divisionId) ?? [];
    list.push(s);
    members.set(s.divisionId, list);
  }
  const backing = new Map<string, Post[]>();
  const sorted = [...posts].sort((a, b) => a.divisionId.localeCompare(b.divisionId) || a.order - b.order);
  for (const p of sorted)
    if (p.bHolderId) {
      const list = backing.get(p.bHolderId) ?? [];
      list.push(p);
      backing.set(p.bHolderId, list);
    }
  return { staff: byId, members, posts: new Map(posts.map((p) => [p.id, p])), backing };
}

/**
 * A staff record with its A/B post partners, as `personnel.staff.get` gives it: the B holder of the
 * post this person holds, and the A holders of the posts this person backs up.
 */
export function profileOf(people: People, staffId: string): StaffDetail | null {
  const s = people.staff.get(staffId);
  if (!s) return null;
  const person = (id: string | null): AbRelation["person"] => {
    const other = id ? people.staff.get(id) : undefined;
    return other ? { staffId: other.id, name: other.name } : null;
  };
  const own = s.postId ? people.posts.get(s.postId) : undefined;
  return {
    ...s,
    backedUpBy: own ? { postId: own.id, postTitle: own.title, person: person(own.bHolderId) } : null,
    backsUp: (people.backing.get(s.id) ?? []).map((p) => ({
      postId: p.id,
      postTitle: p.title,
      person: person(p.aHolderId),
    })),
  };
}

/** A staff record as this caller may see it: without the personal fields unless the shared rule allows. */
export function forViewer<T extends StaffView>(view: T, meta: CallMeta): T {
  if (meta.system || (meta.user && may(meta.user, "staff.readPrivate", { orgId: view.orgId }))) return view;
  const copy = { ...view };
  for (const f of PERSONAL_FIELDS) delete copy[f];
  return copy;
}

/**
 * Whether the caller may see this attendance: the division's head or an administrator of its
 * organisation (as `personnel.attendance.month`), or the person themself (as `attendance.mine`).
 */
export function seesAttendance(
  meta: CallMeta,
  orgId: string,
  divisionId: string,
  staffId: string | null = null,
): boolean {
  if (meta.system) return true;
  const user = meta.user;
  if (!user) return false;
  return may(user, "attendance.read", { orgId, divisionId, staffId });
}

/** A person's or a division's counts in an organisation's month of attendance. */
export function attendanceCounts(
  month: AttendanceMonthResult,
  who: { staffId: string } | { divisionId: string },
): AttendanceCounts | undefined {
  return "staffId" in who
    ? month.people.find((p) => p.staffId === who.staffId)?.counts
    : month.divisions.find((d) => d.divisionId === who.divisionId)?.counts;
}
