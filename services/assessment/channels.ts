/** Durable channels: the counters' sources. Every write is keyed by source id and version. */
import type { ChannelSchema } from "moleculer";
import type { ArrangementSubmitted, CompletionSubmitted } from "../../shared/contracts/plans";
import type { DomainEvent } from "../../shared/events";
import { attendanceMonths, orgYearId, submissionKey, taskEntry, yearOf, type Versioned } from "./counters";
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
    handler(this: This, event: DomainEvent<"personnel.staff.changed">) {
      this.invalidateRefs();
      this.scheduleLogs(event.data.orgId, this.currentYear(), this.settings.staffSettleMs);
    },
  },
  "worklog.log.published": {
    group: "assessment",
    handler(this: This, event: DomainEvent<"worklog.log.published">) {
      this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
    },
  },
  "worklog.log.edited": {
    group: "assessment",
    handler(this: This, event: DomainEvent<"worklog.log.edited">) {
      this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
      this.scheduleLogs(event.data.orgId, yearOf(event.data.previousDate));
    },
  },
  "worklog.log.withdrawn": {
    group: "assessment",
    handler(this: This, event: DomainEvent<"worklog.log.withdrawn">) {
      this.scheduleLogs(event.data.orgId, yearOf(event.data.date));
    },
  },
  "calendar.override.changed": {
    group: "assessment",
    async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
      const year = yearOf(event.data.date);
      this.deadlineCache.delete(year);
      for (const orgId of (await this.refs()).orgs.keys()) this.scheduleLogs(orgId, year);
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
