/**
 * Writes to the counters' read model: indicator facts and attendance month counters in the person
 * documents, and the log compliance worklog computes (and publishes) in the organisation documents.
 * Every write is keyed by source id and version (see ../counters.ts).
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
  type LogEntry,
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

  /**
   * The sweep's read of an organisation's year (what is due grows as days pass, with no event). Each
   * entry is versioned with the time the report was asked for, so an event computed after that wins
   * and one computed before loses, whatever order they land in.
   */
  async refreshLogs(this: This, orgId: string, year: number): Promise<void> {
    const v = Date.now();
    const report = await call(
      this.broker,
      "worklog.compliance.report",
      { from: `${year}-01-01`, to: `${year}-12-31`, orgId },
      SYSTEM,
    );
    const id = orgYearId("logs", year, orgId);
    await Promise.all(
      report.people.map((p) =>
        this.orgYears.apply(id, orgYearInit("logs", year, orgId), "entries", p.staffId, {
          v,
          due: p.due,
          done: p.done,
          onTime: p.onTime,
        } as LogEntry),
      ),
    );
  },

  /** Every organisation's current year, one after another (the hourly sweep); skipped while one runs. */
  sweepLogs(this: This): void {
    if (this.logSweepRun) return;
    const run = (async () => {
      const year = this.currentYear();
      for (const orgId of (await this.refs()).orgs.keys()) await this.refreshLogs(orgId, year);
    })()
      .catch((err) => this.logger.warn("日志合规定时刷新失败:", err))
      .finally(() => (this.logSweepRun = null));
    this.logSweepRun = run;
  },
};
