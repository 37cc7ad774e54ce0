/** Durable channels: the counters' sources. Every write is keyed by source id and version. */
import type { ChannelSchema } from "moleculer";
import type { ArrangementSubmitted, CompletionSubmitted } from "../../shared/contracts/plans";
import type { DomainEvent } from "../../shared/events";
import {
  attendanceMonths,
  orgYearId,
  submissionKey,
  taskEntry,
  yearOf,
  type LogEntry,
  type Versioned,
} from "./counters";
import { orgYearInit } from "./data/counters-store";
import type { This } from "./types";

/** A division's monthly arrangement or completion report, as its timeliness counts it. */
async function recordSubmission(
  svc: This,
  kind: "arrangement" | "completion",
  s: ArrangementSubmitted | CompletionSubmitted,
): Promise<void> {
  if (s.scope !== "division") return; // timeliness is assessed per division
  await svc.orgYears.apply(
    orgYearId("subs", s.year, s.orgId),
    orgYearInit("subs", s.year, s.orgId),
    "entries",
    submissionKey(s.ownerId, kind, s.month),
    {
      v: Date.parse(s.submittedAt),
      late: s.late ? 1 : 0,
    } as Versioned,
  );
}

export const channels: Record<string, ChannelSchema<This>> = {
  "indicator.fact.recorded": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"indicator.fact.recorded">) {
      await this.recordFact(event.data);
    },
  },
  "personnel.attendance.changed": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"personnel.attendance.changed">) {
      await Promise.all(
        attendanceMonths(event.data).map(async (m) => {
          const init = { staffId: m.staffId, year: m.year, month: m.month, days: {} };
          await Promise.all(m.days.map((d) => this.attendanceMonths.apply(m.docId, init, "days", d.key, d.entry)));
          // Also when nothing changed (a redelivery): the recount may be what failed last time.
          await this.recountMonth(m.staffId, m.year, m.month);
        }),
      );
    },
  },
  "personnel.staff.changed": {
    group: "assessment",
    // The person's log compliance follows from worklog (`worklog.compliance.changed`) once its own
    // staff copy has the change: nothing to wait for here.
    handler(this: This) {
      this.invalidateRefs();
    },
  },
  /**
   * Log compliance is worklog's to compute (its policies, calendar and deadlines); it publishes a
   * person's year after every change, and the entry is stored before the event is acknowledged.
   * An organisation's own weekly log (no `staffId`) is not assessed.
   */
  "worklog.compliance.changed": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"worklog.compliance.changed">) {
      const { orgId, staffId, year, counts, version } = event.data;
      if (!staffId) return;
      await this.orgYears.apply(orgYearId("logs", year, orgId), orgYearInit("logs", year, orgId), "entries", staffId, {
        v: version,
        ...counts,
      } as LogEntry);
    },
  },
  "calendar.override.changed": {
    group: "assessment",
    // Only plans' deadlines here: worklog republishes the compliance the change moved.
    handler(this: This, event: DomainEvent<"calendar.override.changed">) {
      this.deadlineCache.delete(yearOf(event.data.date));
    },
  },
  "plans.task.created": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"plans.task.created">) {
      const t = event.data;
      const entry = taskEntry(Date.parse(event.occurredAt), {
        ...t,
        state: "draft",
        parts: [t.leadDivisionId, ...t.cooperatingDivisionIds].map((d) => ({
          divisionId: d,
          status: "not_started" as const,
          progress: 0,
        })),
      });
      await this.orgYears.apply(
        orgYearId("tasks", t.year, t.leadOrgId),
        orgYearInit("tasks", t.year, t.leadOrgId),
        "entries",
        t.taskId,
        entry,
      );
    },
  },
  "plans.task.changed": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"plans.task.changed">) {
      const t = event.data;
      await this.orgYears.apply(
        orgYearId("tasks", t.year, t.leadOrgId),
        orgYearInit("tasks", t.year, t.leadOrgId),
        "entries",
        t.taskId,
        taskEntry(Date.parse(event.occurredAt), t),
      );
    },
  },
  "plans.arrangement.submitted": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"plans.arrangement.submitted">) {
      await recordSubmission(this, "arrangement", event.data);
    },
  },
  "plans.completion.submitted": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"plans.completion.submitted">) {
      await recordSubmission(this, "completion", event.data);
    },
  },
};
