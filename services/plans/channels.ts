/**
 * What plans keeps from other services' durable channels: the work logs linked to each task
 * (evidence), from worklog, and the working-calendar overrides, from personnel.
 */
import type { ChannelSchema } from "moleculer";
import type { EvidenceLog } from "../../shared/contracts/plans";
import type { LogEventBase } from "../../shared/contracts/worklog";
import type { DomainEvent } from "../../shared/events";
import { isDuplicateKey } from "../../shared/params";
import type { LogLinkDoc } from "./data/models";
import type { This } from "./types";

export const channels: Record<string, ChannelSchema<This>> = {
  "worklog.log.published": {
    group: "plans",
    async handler(this: This, event: DomainEvent<"worklog.log.published">) {
      // Most logs link no task, and a log just published was never linked (drafts send no events):
      // nothing to record, and no database read for it (this consumer ran on every publish).
      if (!event.data.taskIds?.length) return;
      await this.applyLog(event, event.data.logId, event.data.version, event.data.taskIds);
    },
  },
  "worklog.log.edited": {
    group: "plans",
    async handler(this: This, event: DomainEvent<"worklog.log.edited">) {
      await this.applyLog(event, event.data.logId, event.data.version, event.data.taskIds ?? []);
    },
  },
  "worklog.log.withdrawn": {
    group: "plans",
    async handler(this: This, event: DomainEvent<"worklog.log.withdrawn">) {
      await this.applyLog(event, event.data.logId, event.data.version, null);
    },
  },
  "calendar.override.changed": {
    group: "plans",
    async handler(this: This, event: DomainEvent<"calendar.override.changed">) {
      await this.calendarCopy.apply(event.data);
      this.calendarCache = null;
    },
  },
};

export const evidenceMethods = {
  /**
   * Applies a log's current links (null: withdrawn) to the tasks' evidence lists. Idempotent: an
   * event id seen before is skipped, and an older version than the one applied changes nothing.
   */
  async applyLog(
    this: This,
    event: DomainEvent,
    logId: string,
    version: number,
    taskIds: string[] | null,
  ): Promise<void> {
    if (await this.m.Seen.exists({ _id: event.id })) return;
    const link = await this.m.LogLink.findById(logId).lean<LogLinkDoc>();
    if (link && link.version > version) {
      await this.m.Seen.collection.insertOne({ _id: event.id, at: this.now() } as never).catch(() => undefined);
      return;
    }
    const wanted = [...new Set(taskIds ?? [])];
    const existing = await Promise.all(wanted.map((id) => this.m.Task.exists({ _id: id })));
    const next = wanted.filter((_, i) => existing[i]);
    // Most logs serve no task: with nothing linked before or now there is nothing to record.
    if (!link && !next.length) return;
    const d = event.data as LogEventBase & { title?: string };
    const entry: EvidenceLog = {
      logId,
      // The event carries the log's title; a withdrawal (and an event from before titles) keeps the stored one.
      title: d.title ?? link?.title ?? "",
      authorStaffId: d.authorStaffId,
      authorName: d.authorName,
      divisionId: d.divisionId,
      date: d.date,
    };
    for (const taskId of new Set([...(link?.taskIds ?? []), ...next])) {
      const ev = await this.cas(
        this.m.Evidence,
        taskId,
        () => ({ _id: taskId, logs: [], rev: 0 }),
        (e) => {
          e.logs = e.logs.filter((l) => l.logId !== logId);
          if (next.includes(taskId)) e.logs.push(entry);
          return e;
        },
      );
      const logs = ev?.logs ?? [];
      const task = await this.cas(
        this.m.Task,
        taskId,
        () => null as never,
        (t) => {
          t.evidenceCount = logs.length;
          for (const p of t.parts) p.evidenceCount = logs.filter((l) => l.divisionId === p.divisionId).length;
          return t;
        },
      );
      if (task) await this.syncTask(task);
    }
    await this.m.LogLink.updateOne(
      { _id: logId },
      { $set: { version, taskIds: next, title: entry.title, withdrawn: taskIds === null } },
      { upsert: true },
    );
    await this.m.Seen.collection.insertOne({ _id: event.id, at: this.now() } as never).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  },
};
