/**
 * What plans reads besides its own plans: the clock, personnel's organisations, divisions and
 * staff, the working calendar (overrides kept from the calendar channel) and the deadline settings.
 */
import type { WorkCalendar } from "../../../shared/calendar";
import { call } from "../../../shared/contracts/actions";
import type { DeadlineSettings } from "../../../shared/contracts/plans";
import { NotFoundError } from "../../../shared/errors";
import { orgRefs } from "../../../shared/org-refs";
import { localDate } from "../../../shared/time";
import { DEFAULT_DEADLINES } from "../deadlines";
import type { DivisionRef, StaffRef } from "../rules";
import type { Refs, This } from "../types";
import { iso } from "../views";
import type { SettingDoc } from "./models";

export const lookupMethods = {
  now(this: This): Date {
    return this.clock.now();
  },

  today(this: This): string {
    return localDate(this.clock.now());
  },

  /** Organisations and divisions from personnel, cached for a minute (they change rarely). */
  async refs(this: This): Promise<Refs> {
    this.refsCache = await orgRefs(this.broker, this.refsCache);
    return this.refsCache;
  },

  async division(this: This, id: string): Promise<DivisionRef> {
    const d = (await this.refs()).divisions.get(id);
    if (!d) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
    return d;
  },

  async calendar(this: This): Promise<WorkCalendar> {
    this.calendarCache ??= await this.calendarCopy.calendar();
    return this.calendarCache;
  },

  async deadlines(this: This): Promise<DeadlineSettings> {
    const doc = await this.doc<SettingDoc>(this.m.Setting, "deadlines");
    return {
      ...DEFAULT_DEADLINES,
      ...(doc?.value ?? {}),
      updatedAt: iso(doc?.updatedAt ?? null),
      updatedBy: doc?.updatedBy ?? null,
    } as DeadlineSettings;
  },

  async staffRefs(this: This, ids: string[]): Promise<Map<string, StaffRef>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (!unique.length) return new Map();
    const rows = await call(this.broker, "personnel.staff.directory", { ids: unique }, { meta: { system: true } });
    return new Map(
      rows.map((r) => [r.id, { id: r.id, name: r.name, orgId: r.orgId, divisionId: r.divisionId, status: r.status }]),
    );
  },
};
