/**
 * Writes to the counters' read model: indicator facts and attendance month counters in the person
 * documents, and the log compliance worklog computes in the organisation documents. Every write is
 * keyed by source id and version (see ../counters.ts).
 */
import type { IndicatorFact } from "../../../shared/contracts/assessment";
import { call } from "../../../shared/contracts/actions";
import {
  attendanceMonthId,
  encodeKey,
  factEntry,
  monthCount,
  monthKey,
  orgYearId,
  personDocId,
  yearOf,
  type AttendanceMonthDoc,
  type OrgYearKind,
} from "../counters";
import type { This } from "../types";
import { SYSTEM } from "./read-model";

const personInit = (staffId: string, year: number): Record<string, unknown> => ({
  staffId,
  year,
  facts: {},
  months: {},
});

export const orgYearInit = (kind: OrgYearKind, year: number, orgId: string): Record<string, unknown> => ({
  kind,
  year,
  orgId,
  entries: {},
});

export const counterStoreMethods = {
  /** The person document's counters of one month, from the month's days as stored now. */
  async recountMonth(this: This, staffId: string, year: number, month: number): Promise<void> {
    const doc = (await this.m.AttendanceMonth.collection.findOne({
      _id: attendanceMonthId(staffId, year, month),
    } as never)) as AttendanceMonthDoc | null;
    if (!doc) return;
    await this.people.apply(
      personDocId(staffId, year),
      personInit(staffId, year),
      "months",
      monthKey(month),
      monthCount(doc.days),
    );
  },

  async recordFact(this: This, f: IndicatorFact): Promise<void> {
    const year = yearOf(f.date);
    await this.people.apply(
      personDocId(f.staffId, year),
      personInit(f.staffId, year),
      "facts",
      encodeKey(f.factId),
      factEntry(f),
    );
  },

  /** Log compliance is worklog's to compute (its policies, calendar and deadlines); a burst of log events refreshes it once. */
  scheduleLogs(this: This, orgId: string, year: number, delayMs = this.settings.logRefreshMs ?? 200): void {
    const key = `${orgId}|${year}`;
    if (this.logTimers.has(key)) return;
    const sinceLast = Date.now() - (this.logStarted.get(key) ?? 0);
    this.logTimers.set(
      key,
      setTimeout(
        () => {
          this.logTimers.delete(key);
          this.logStarted.set(key, Date.now());
          const previous = this.logRuns.get(key) ?? Promise.resolve();
          const run = previous
            .then(() => this.refreshLogs(orgId, year))
            .catch((err) => this.logger.warn(`日志合规刷新失败 ${key}:`, err));
          this.logRuns.set(key, run);
          void run.finally(() => this.logRuns.get(key) === run && this.logRuns.delete(key));
        },
        Math.max(delayMs, (this.settings.logRefreshGapMs ?? 0) - sinceLast),
      ),
    );
  },

  async refreshLogs(this: This, orgId: string, year: number): Promise<void> {
    const report = await call(
      this.broker,
      "worklog.compliance.report",
      { from: `${year}-01-01`, to: `${year}-12-31`, orgId },
      SYSTEM,
    );
    const v = Date.now();
    const entries = Object.fromEntries(
      report.people.map((p) => [p.staffId, { v, due: p.due, done: p.done, onTime: p.onTime }]),
    );
    await this.orgYears.replace({ _id: orgYearId("logs", year, orgId), kind: "logs", year, orgId, entries });
  },
};
