/** A page's sections: the owner's answer, or a marker when the viewer may not see it or its service failed. */
import type { AttendanceSummary, Section, Unavailable } from "../../shared/contracts/pages";
import { monthSoFar } from "./data/copies";
import { attendanceCounts, seesAttendance } from "./people";
import type { Ctx, This } from "./types";

const isForbidden = (err: unknown): boolean => [401, 403].includes((err as { code?: number }).code ?? 0);
const unavailable = (reason: Unavailable["reason"]): Unavailable => ({ unavailable: true, reason });

export const viewMethods = {
  /** A section's data, or a marker when the caller may not see it or its service failed. */
  async section<T>(this: This, p: Promise<T>, what: string): Promise<Section<T>> {
    try {
      return await p;
    } catch (err) {
      if (isForbidden(err)) return unavailable("forbidden");
      this.logger.warn(`Page section "${what}" failed:`, (err as Error).message);
      return unavailable("error");
    }
  },

  /** This month's attendance counts of a person or a division, for the viewers personnel shows them to. */
  async attendance(
    this: This,
    ctx: Ctx<unknown>,
    scope: { orgId: string; divisionId: string; staffId?: string },
    today: string,
  ): Promise<Section<AttendanceSummary | null>> {
    if (!seesAttendance(ctx.meta, scope.orgId, scope.divisionId, scope.staffId ?? null))
      return unavailable("forbidden");
    const m = monthSoFar(today);
    return this.section(
      this.attendanceMonth(scope.orgId, today).then((month) => {
        const counts = attendanceCounts(month, scope.staffId ? { staffId: scope.staffId } : scope);
        return counts ? { year: m.year, month: m.month, workingDays: month.workingDays.length, counts } : null;
      }),
      "attendance",
    );
  },
};
