/**
 * The in-process copies of what personnel answers slowly: every staff record and post, the
 * organisations, and each organisation's month of attendance. Served from the cache, reloaded in
 * the background when they age or an event says they changed.
 */
import { dateOf } from "../../../shared/calendar";
import { call } from "../../../shared/contracts/actions";
import type {
  AttendanceMonthResult,
  Division,
  OrgWithDivisions,
  StaffDetail,
} from "../../../shared/contracts/personnel";
import { NotFoundError } from "../../../shared/errors";
import { keysUnder } from "../../../shared/store/refreshing-cache";
import { localDate } from "../../../shared/time";
import { indexPeople, profileOf, type People } from "../people";
import type { This } from "../types";

/** The cache key of an organisation's month of attendance: `attendance:<orgId>:<YYYY-MM>`. */
export const attendanceKey = (orgId: string, date: string): string => `attendance:${orgId}:${date.slice(0, 7)}`;

/** An organisation's month of attendance so far, and the day it was loaded on. */
interface LoadedMonth {
  today: string;
  month: AttendanceMonthResult;
}

const SYSTEM = { meta: { system: true }, timeout: 120_000 };
/** Staff rows per bulk call (personnel's page limit). */
const STAFF_PAGE = 200;
/**
 * Ages after which a read reloads in the background (the old value is served meanwhile). Staff changes
 * arrive as events; the age covers what personnel announces no event for (post B holders, org names).
 */
export const PEOPLE_TTL_MS = 10 * 60_000;
/** Attendance entries arrive as events; the age is a safety net. */
const ATTENDANCE_TTL_MS = 10 * 60_000;

/** This month so far: its first day and today. */
export const monthSoFar = (today: string): { from: string; to: string; year: number; month: number } => {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return { from: dateOf(year, month, 1), to: today, year, month };
};

export const copyMethods = {
  today(this: This): string {
    return localDate(this.clock.now());
  },

  orgs(this: This): Promise<OrgWithDivisions[]> {
    return this.cache.get("orgs", () => call(this.broker, "personnel.orgs.list", {}, SYSTEM));
  },

  people(this: This): Promise<People> {
    return this.cache.get("people", () => this.loadPeople());
  },

  /** Every staff record (all statuses, personal fields included) and every post, in bulk calls. */
  async loadPeople(this: This): Promise<People> {
    const page = (n: number) => call(this.broker, "personnel.staff.list", { page: n, limit: STAFF_PAGE }, SYSTEM);
    const [first, orgs] = await Promise.all([page(1), this.orgs()]);
    const pages = Math.ceil(first.total / STAFF_PAGE);
    const [rest, posts] = await Promise.all([
      Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => page(i + 2))),
      Promise.all(orgs.map((o) => call(this.broker, "personnel.posts.list", { orgId: o.id }, SYSTEM))),
    ]);
    return indexPeople(
      [first, ...rest].flatMap((r) => r.rows),
      posts.flat(),
    );
  },

  /** A profile from the copy; one newer than the copy is asked of personnel (404 when unknown). */
  async profile(this: This, staffId: string): Promise<StaffDetail> {
    const known = profileOf(await this.people(), staffId);
    if (known) return known;
    const fresh = await call(this.broker, "personnel.staff.get", { id: staffId }, SYSTEM);
    this.invalidate(["people"]);
    return fresh;
  },

  async orgOf(this: This, orgId: string): Promise<OrgWithDivisions> {
    const org = (await this.orgs()).find((o) => o.id === orgId);
    if (!org) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
    return org;
  },

  async divisionOf(this: This, divisionId: string): Promise<{ division: Division; org: OrgWithDivisions }> {
    for (const org of await this.orgs()) {
      const division = org.divisions.find((d) => d.id === divisionId);
      if (division) return { division, org };
    }
    throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
  },

  /**
   * An organisation's attendance this month, in one bulk call, kept per month. On a new day the kept
   * month is still served while the day's one loads in the background (a new working day changes little).
   */
  attendanceMonth(this: This, orgId: string, today: string): Promise<AttendanceMonthResult> {
    const m = monthSoFar(today);
    const key = attendanceKey(orgId, today);
    const load = async (): Promise<LoadedMonth> => ({
      today,
      month: await call(this.broker, "personnel.attendance.month", { year: m.year, month: m.month, orgId }, SYSTEM),
    });
    return this.cache.get(key, load, ATTENDANCE_TTL_MS).then((loaded) => {
      if (loaded.today !== today) this.cache.invalidate((k) => k === key);
      return loaded.month;
    });
  },

  /** Loads the copies a page needs, one call at a time so that start-up does not flood the services. */
  async warm(this: This): Promise<void> {
    await this.people();
    const today = this.today();
    for (const org of await this.orgs()) await this.attendanceMonth(org.id, today);
  },

  /** Reloads the cached copies named (or under a named prefix) here and on the other pages instances. */
  invalidate(this: This, keys: string[], announce = true): void {
    this.cache.invalidate(keysUnder(keys));
    if (announce)
      this.broker
        .broadcast("pages.cache.invalidate", { keys }, { groups: ["pages"] })
        .catch((err: Error) => this.logger.warn("cache invalidation not sent:", err.message));
  },
};
