/**
 * Writes of annual tasks: creating them, keeping their copies in each participant's year
 * documents, and announcing the change.
 */
import { randomBytes } from "node:crypto";
import { audit } from "../../../shared/audit";
import type { MonthScope, TaskInput, TaskPart } from "../../../shared/contracts/plans";
import { ForbiddenError, ValidationError, type FieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { checkTask, type DivisionRef, type StaffRef } from "../rules";
import type { Ctx, This } from "../types";
import { yearPlanId, type TaskDoc } from "./models";

/** Parts of a task, in order: the lead's first, then the cooperating divisions' as listed. */
export function buildParts(
  lead: DivisionRef,
  coop: DivisionRef[],
  responsible: StaffRef,
  partResponsibles: Record<string, string>,
  staff: Map<string, StaffRef>,
  previous: TaskPart[] = [],
): TaskPart[] {
  const kept = new Map(previous.map((p) => [p.divisionId, p]));
  const part = (d: DivisionRef, role: TaskPart["role"], who: StaffRef | undefined): TaskPart => ({
    divisionId: d.id,
    orgId: d.orgId,
    role,
    responsibleStaffId: who?.id ?? null,
    responsibleName: who?.name ?? null,
    status: kept.get(d.id)?.status ?? "not_started",
    progress: kept.get(d.id)?.progress ?? 0,
    reason: kept.get(d.id)?.reason ?? null,
    reportedMonth: kept.get(d.id)?.reportedMonth ?? null,
    evidenceCount: kept.get(d.id)?.evidenceCount ?? 0,
  });
  return [
    part(lead, "lead", responsible),
    ...coop.map((d) => {
      const who = partResponsibles[d.id] ?? kept.get(d.id)?.responsibleStaffId;
      return part(d, "cooperating", who ? staff.get(who) : undefined);
    }),
  ];
}

/** People with their own copy of the task: the responsible person and each part's. */
const taskPeople = (t: TaskDoc): string[] =>
  [...new Set([t.responsibleStaffId, ...t.parts.map((p) => p.responsibleStaffId)])].filter((x): x is string => !!x);

export const taskStoreMethods = {
  /** Refreshes the copies of a task in each participant's year documents (and drops stale ones). */
  async syncTask(this: This, doc: TaskDoc, previous?: TaskDoc): Promise<void> {
    const owners: [MonthScope, string][] = [
      ...doc.participantDivisionIds.map((d) => ["division", d] as [MonthScope, string]),
      ...taskPeople(doc).map((p) => ["person", p] as [MonthScope, string]),
    ];
    const keep = new Set(owners.map(([s, o]) => `${s}:${o}`));
    const gone: [MonthScope, string][] = previous
      ? [
          ...previous.participantDivisionIds.map((d) => ["division", d] as [MonthScope, string]),
          ...taskPeople(previous).map((p) => ["person", p] as [MonthScope, string]),
        ].filter(([s, o]) => !keep.has(`${s}:${o}`))
      : [];
    const { rev: _rev, ...copy } = doc;
    await Promise.all([
      ...owners.map(([scope, ownerId]) => {
        const id = yearPlanId(scope, ownerId, doc.year);
        return this.cas(
          this.m.YearPlan,
          id,
          () => ({ _id: id, scope, ownerId, year: doc.year, tasks: [], rev: 0 }),
          (p) => {
            const i = p.tasks.findIndex((t) => t._id === doc._id);
            if (i >= 0) p.tasks[i] = copy as TaskDoc;
            else p.tasks.push(copy as TaskDoc);
            return p;
          },
        );
      }),
      ...gone.map(([scope, ownerId]) =>
        this.cas(
          this.m.YearPlan,
          yearPlanId(scope, ownerId, doc.year),
          () => null as never,
          (p) => ({ ...p, tasks: p.tasks.filter((t) => t._id !== doc._id) }),
        ),
      ),
    ]);
  },

  async createTasks(this: This, ctx: Ctx<unknown>, inputs: TaskInput[]): Promise<TaskDoc[]> {
    const { divisions } = await this.refs();
    const staff = await this.staffRefs(
      inputs.flatMap((i) => [i.responsibleStaffId, ...Object.values(i.partResponsibles ?? {})]),
    );
    const errors: FieldError[] = [];
    for (const [n, input] of inputs.entries()) {
      const lead = divisions.get(input.leadDivisionId);
      for (const e of checkTask(input, {}, { division: (i) => divisions.get(i), staff: (i) => staff.get(i) }))
        errors.push(inputs.length > 1 ? { ...e, field: `tasks[${n}].${e.field}` } : e);
      if (lead && !this.mayEditDivision(ctx, lead.id, lead.orgId))
        throw new ForbiddenError("只能为本处室录入年度任务", "NOT_DIVISION_HEAD");
    }
    if (errors.length) throw new ValidationError("任务信息有误", errors);
    const now = this.now();
    const by = ctx.meta.user?.accountId ?? null;
    const docs: TaskDoc[] = inputs.map((input) => {
      const lead = divisions.get(input.leadDivisionId)!;
      const coop = (input.cooperatingDivisionIds ?? []).map((c) => divisions.get(c)!);
      const responsible = staff.get(input.responsibleStaffId)!;
      const parts = buildParts(lead, coop, responsible, input.partResponsibles ?? {}, staff);
      return {
        _id: `t-${input.year}-${randomBytes(5).toString("hex")}`,
        year: input.year,
        title: input.title,
        leadDivisionId: lead.id,
        leadOrgId: lead.orgId,
        cooperatingDivisionIds: coop.map((c) => c.id),
        participantDivisionIds: parts.map((p) => p.divisionId),
        participantOrgIds: [...new Set(parts.map((p) => p.orgId))],
        responsibleStaffId: responsible.id,
        responsibleName: responsible.name,
        target: { text: input.targetText, value: input.targetValue ?? null, unit: input.targetUnit || null },
        dueDate: input.dueDate,
        weight: input.weight,
        state: "draft",
        approvedAt: null,
        approvedBy: null,
        version: 1,
        parts,
        evidenceCount: 0,
        createdAt: now,
        updatedAt: now,
        createdBy: by,
        rev: 1,
      };
    });
    await this.m.Task.collection.insertMany(docs as never[], { ordered: true });
    for (const d of docs) {
      this.cached("tasks", d);
      await this.syncTask(d);
      await this.emitTask(d, "created", by);
    }
    if (inputs.length === 1)
      await audit(ctx, "plans.task.create", "success", `task:${docs[0]._id}`, {
        leadDivisionId: docs[0].leadDivisionId,
      });
    return docs;
  },

  async emitTask(
    this: This,
    d: TaskDoc,
    change: "created" | "edited" | "approved" | "progress",
    by: string | null,
    fields: string[] = [],
  ): Promise<void> {
    const base = {
      taskId: d._id,
      year: d.year,
      title: d.title,
      leadDivisionId: d.leadDivisionId,
      leadOrgId: d.leadOrgId,
      cooperatingDivisionIds: d.cooperatingDivisionIds,
      responsibleStaffId: d.responsibleStaffId,
      dueDate: d.dueDate,
      weight: d.weight,
      version: d.version,
      by,
    };
    if (change === "created") await publish(this.broker, "plans.task.created", base, `${d._id}:created`);
    else
      await publish(this.broker, "plans.task.changed", {
        ...base,
        change,
        fields,
        state: d.state,
        parts: d.parts.map((p) => ({ divisionId: p.divisionId, status: p.status, progress: p.progress })),
      });
  },
};
