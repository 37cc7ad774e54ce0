/** A division's or a person's month: the arrangement (每月工作安排) and the completion report (上月完成情况). */
import type { ServiceActionsSchema } from "moleculer";
import {
  MONTH_SCOPES,
  PROGRESS_STATUSES,
  type ArrangementItem,
  type ArrangementItemInput,
  type CompletionItemInput,
  type CompletionTaskInput,
  type MonthKey,
  type MonthView,
} from "../../../shared/contracts/plans";
import { ValidationError, type FieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { ID, MONTH, YEAR } from "../../../shared/params";
import { localDate } from "../../../shared/time";
import { monthId, type MonthDoc } from "../data/models";
import { arrangementDue, completionDue, monthKey, monthOf } from "../deadlines";
import type { Ctx, This } from "../types";

const PROGRESS = { type: "number", integer: true, min: 0, max: 100, convert: true };
/** The month a monthly arrangement or completion belongs to: whose (a division's or a person's), which month. */
const MONTH_KEY_PARAMS = {
  $$strict: true,
  scope: { type: "enum", values: MONTH_SCOPES },
  ownerId: ID,
  year: YEAR,
  month: MONTH,
};

const entryParams = {
  status: { type: "enum", values: PROGRESS_STATUSES },
  progress: PROGRESS,
  reason: { type: "string", max: 500, optional: true, nullable: true },
  note: { type: "string", max: 1000, optional: true, nullable: true },
};

/** Checks a completion entry: delayed needs a reason; done means 100 %. */
function checkEntry(e: CompletionItemInput | CompletionTaskInput, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (e.status === "delayed" && !e.reason?.trim()) errors.push({ field: `${field}.reason`, message: "延期须填写原因" });
  if (e.status === "done" && e.progress !== 100)
    errors.push({ field: `${field}.progress`, message: "已完成的进度应为 100" });
  if (e.status === "not_started" && e.progress !== 0)
    errors.push({ field: `${field}.progress`, message: "未开始的进度应为 0" });
  return errors;
}

export const monthActions: ServiceActionsSchema<This> = {
  "months.get": {
    rest: "GET /months/:scope/:ownerId/:year/:month",
    params: MONTH_KEY_PARAMS,
    async handler(this: This, ctx: Ctx<MonthKey>): Promise<MonthView> {
      const { scope, ownerId, year, month } = ctx.params;
      if (scope === "division") await this.division(ownerId);
      const doc = await this.doc<MonthDoc>(this.m.Month, monthId(scope, ownerId, year, month));
      return (await this.monthView(doc, { scope, ownerId, year, month }))!;
    },
  },

  "arrangements.submit": {
    rest: "PUT /months/:scope/:ownerId/:year/:month/arrangement",
    params: {
      ...MONTH_KEY_PARAMS,
      items: {
        type: "array",
        min: 1,
        max: 50,
        items: {
          type: "object",
          strict: true,
          props: {
            text: "string|min:1|max:500|trim",
            taskId: { type: "string", max: 64, optional: true, nullable: true },
          },
        },
      },
    },
    async handler(this: This, ctx: Ctx<MonthKey & { items: ArrangementItemInput[] }>): Promise<MonthView> {
      const { scope, ownerId, year, month, items } = ctx.params;
      const owner = await this.monthOwner(ctx, scope, ownerId);
      const tasks = new Map(
        (await this.yearPlanTasks("division", owner.divisionId, year)).map((t) => [t._id, t] as const),
      );
      const errors: FieldError[] = [];
      items.forEach((it, i) => {
        if (it.taskId && !tasks.has(it.taskId))
          errors.push({ field: `items[${i}].taskId`, message: "该任务不存在或本处室未参与" });
      });
      if (errors.length) throw new ValidationError("工作安排有误", errors);
      const now = this.now();
      const cal = await this.calendar();
      const due = arrangementDue(cal, { year, month });
      const by = ctx.meta.user?.accountId ?? null;
      const arranged: ArrangementItem[] = items.map((it, i) => ({
        id: `i${i + 1}`,
        text: it.text,
        taskId: it.taskId || null,
        taskTitle: it.taskId ? tasks.get(it.taskId)!.title : null,
        noTask: !it.taskId,
      }));
      const late = localDate(now) > due;
      const id = monthId(scope, ownerId, year, month);
      const doc = await this.cas(
        this.m.Month,
        id,
        () => ({ _id: id, scope, ownerId, ...owner, year, month, arrangement: null, completion: null, rev: 0 }),
        (d) => ({ ...d, arrangement: { items: arranged, submittedAt: now, submittedBy: by, late } }),
      );
      if (scope === "division")
        await this.written(this.m.MonthStatus, monthKey({ year, month }), () =>
          this.m.MonthStatus.updateOne(
            { _id: monthKey({ year, month }) },
            { $set: { [`arrangement.${ownerId}`]: now } },
            { upsert: true },
          ),
        );
      await publish(this.broker, "plans.arrangement.submitted", {
        scope,
        ownerId,
        year,
        month,
        ...owner,
        items: arranged.length,
        itemsWithoutTask: arranged.filter((a) => a.noTask).length,
        submittedAt: now.toISOString(),
        late,
        by,
      });
      return (await this.monthView(doc, { scope, ownerId, year, month }))!;
    },
  },

  "completion.submit": {
    rest: "PUT /months/:scope/:ownerId/:year/:month/completion",
    params: {
      ...MONTH_KEY_PARAMS,
      items: {
        type: "array",
        max: 50,
        optional: true,
        items: { type: "object", strict: true, props: { itemId: ID, ...entryParams } },
      },
      tasks: {
        type: "array",
        max: 100,
        optional: true,
        items: { type: "object", strict: true, props: { taskId: ID, ...entryParams } },
      },
    },
    async handler(
      this: This,
      ctx: Ctx<MonthKey & { items?: CompletionItemInput[]; tasks?: CompletionTaskInput[] }>,
    ): Promise<MonthView> {
      const { scope, ownerId, year, month } = ctx.params;
      const items = ctx.params.items ?? [];
      const taskEntries = ctx.params.tasks ?? [];
      const owner = await this.monthOwner(ctx, scope, ownerId);
      const id = monthId(scope, ownerId, year, month);
      const [existing, planTasks] = await Promise.all([
        this.m.Month.findById(id).lean<MonthDoc>(),
        this.yearPlanTasks("division", owner.divisionId, year),
      ]);
      const tasks = new Map(planTasks.map((t) => [t._id, t] as const));
      const itemIds = new Set((existing?.arrangement?.items ?? []).map((i) => i.id));
      const errors: FieldError[] = [];
      if (!items.length && !taskEntries.length) errors.push({ field: "tasks", message: "请至少填写一项完成情况" });
      items.forEach((e, i) => {
        if (!itemIds.has(e.itemId)) errors.push({ field: `items[${i}].itemId`, message: "该月工作安排中没有这一项" });
        errors.push(...checkEntry(e, `items[${i}]`));
      });
      const seen = new Set<string>();
      taskEntries.forEach((e, i) => {
        if (!tasks.has(e.taskId)) errors.push({ field: `tasks[${i}].taskId`, message: "该任务不存在或本处室未参与" });
        if (seen.has(e.taskId)) errors.push({ field: `tasks[${i}].taskId`, message: "任务重复" });
        seen.add(e.taskId);
        errors.push(...checkEntry(e, `tasks[${i}]`));
      });
      const current = monthOf(this.today());
      if (year * 12 + month > current.year * 12 + current.month)
        errors.push({ field: "month", message: "不能填报未来月份的完成情况" });
      if (errors.length) throw new ValidationError("完成情况有误", errors);

      const now = this.now();
      const by = ctx.meta.user?.accountId ?? null;
      const cal = await this.calendar();
      const late = localDate(now) > completionDue(cal, await this.deadlines(), { year, month });
      const clean = <T extends { reason?: string | null; note?: string | null; status: string }>(e: T) => ({
        ...e,
        reason: e.status === "delayed" ? (e.reason?.trim() ?? null) : null,
        note: e.note?.trim() || null,
      });
      const doc = await this.cas(
        this.m.Month,
        id,
        () => ({ _id: id, scope, ownerId, ...owner, year, month, arrangement: null, completion: null, rev: 0 }),
        (d) => ({
          ...d,
          completion: {
            items: items.map((e) => clean(e)) as NonNullable<MonthDoc["completion"]>["items"],
            tasks: taskEntries.map((e) => clean(e)) as NonNullable<MonthDoc["completion"]>["tasks"],
            submittedAt: now,
            submittedBy: by,
            late,
          },
        }),
      );
      if (scope === "division") {
        await this.written(this.m.MonthStatus, monthKey({ year, month }), () =>
          this.m.MonthStatus.updateOne(
            { _id: monthKey({ year, month }) },
            { $set: { [`completion.${ownerId}`]: now } },
            { upsert: true },
          ),
        );
        // The division's part of each task follows its newest report (an older month's report does not undo it).
        const reported = monthKey({ year, month });
        for (const e of taskEntries) {
          const after = await this.cas(
            this.m.Task,
            e.taskId,
            () => null as never,
            (t) => {
              const part = t.parts.find((p) => p.divisionId === ownerId);
              if (!part || (part.reportedMonth && part.reportedMonth > reported)) return null;
              part.status = e.status;
              part.progress = e.status === "done" ? 100 : e.progress;
              part.reason = e.status === "delayed" ? (e.reason?.trim() ?? null) : null;
              part.reportedMonth = reported;
              t.updatedAt = now;
              return t;
            },
          );
          if (after) {
            await this.syncTask(after);
            await this.emitTask(after, "progress", by, [`parts.${ownerId}`]);
          }
        }
      }
      await publish(this.broker, "plans.completion.submitted", {
        scope,
        ownerId,
        year,
        month,
        ...owner,
        tasks: taskEntries.map((e) => ({ taskId: e.taskId, status: e.status, progress: e.progress })),
        items: items.length,
        itemsDone: items.filter((i) => i.status === "done").length,
        submittedAt: now.toISOString(),
        late,
        by,
      });
      return (await this.monthView(doc, { scope, ownerId, year, month }))!;
    },
  },
};
