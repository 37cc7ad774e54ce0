/**
 * Writes of annual tasks: creating and editing them, keeping their copies in each participant's
 * year documents, and announcing the change.
 */
import { randomBytes } from "node:crypto";
import { audit } from "../../../shared/audit";
import type { MonthScope, TaskInput, TaskPart, TaskUpdate } from "../../../shared/contracts/plans";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { isDuplicateKey } from "../../../shared/params";
import { checkTask, type DivisionRef, type StaffRef } from "../rules";
import type { Ctx, This } from "../types";
import { yearPlanId, type TaskDoc, type TaskVersionDoc } from "./models";

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

  /** Every task of a year, from the source collection (an import or export reads them all). */
  async yearTasks(this: This, year: number): Promise<TaskDoc[]> {
    return (await this.m.Task.collection.find({ year } as never).toArray()) as unknown as TaskDoc[];
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

  /**
   * Edits a task the caller may edit (the form's PATCH and an import's row): checked, written on
   * the version read, with the replaced version kept once HR has approved it, the copies synced and
   * the change announced. No field given: nothing happens.
   */
  async editTask(this: This, ctx: Ctx<unknown>, doc: TaskDoc, changes: Omit<TaskUpdate, "id">): Promise<TaskDoc> {
    const { divisions } = await this.refs();
    const staffIds = [changes.responsibleStaffId, ...Object.values(changes.partResponsibles ?? {})].filter(
      (x): x is string => !!x,
    );
    const staff = await this.staffRefs(staffIds);
    const current: Partial<TaskInput> = {
      year: doc.year,
      leadDivisionId: doc.leadDivisionId,
      cooperatingDivisionIds: doc.cooperatingDivisionIds,
      targetValue: doc.target.value,
    };
    const errors = checkTask(changes, current, { division: (i) => divisions.get(i), staff: (i) => staff.get(i) });
    if (errors.length) throw new ValidationError("任务信息有误", errors);
    const fields = Object.keys(changes).filter((k) => (changes as Record<string, unknown>)[k] !== undefined);
    if (!fields.length) return doc;
    const by = ctx.meta.user?.accountId ?? null;
    const now = this.now();
    let before: TaskDoc | null = null;
    const after = await this.cas(
      this.m.Task,
      doc._id,
      () => doc,
      (t) => {
        before = structuredClone(t);
        if (changes.title !== undefined) t.title = changes.title;
        if (changes.targetText !== undefined) t.target.text = changes.targetText;
        if (changes.targetValue !== undefined) t.target.value = changes.targetValue;
        if (changes.targetUnit !== undefined) t.target.unit = changes.targetUnit || null;
        if (changes.dueDate !== undefined) t.dueDate = changes.dueDate;
        if (changes.weight !== undefined) t.weight = changes.weight;
        if (changes.responsibleStaffId !== undefined) {
          t.responsibleStaffId = changes.responsibleStaffId;
          t.responsibleName = staff.get(changes.responsibleStaffId)!.name;
        }
        const coopIds = changes.cooperatingDivisionIds ?? t.cooperatingDivisionIds;
        const responsibles: Record<string, string> = {
          ...Object.fromEntries(
            t.parts.filter((p) => p.responsibleStaffId).map((p) => [p.divisionId, p.responsibleStaffId as string]),
          ),
          ...(changes.partResponsibles ?? {}),
        };
        const known = new Map(t.parts.map((p) => [p.responsibleStaffId ?? "", p]));
        for (const p of t.parts)
          if (p.responsibleStaffId && !staff.has(p.responsibleStaffId))
            staff.set(p.responsibleStaffId, {
              id: p.responsibleStaffId,
              name: known.get(p.responsibleStaffId)?.responsibleName ?? "",
              orgId: p.orgId,
              divisionId: p.divisionId,
              status: "active",
            });
        const lead = divisions.get(t.leadDivisionId)!;
        t.parts = buildParts(
          lead,
          coopIds.map((c: string) => divisions.get(c)!),
          {
            id: t.responsibleStaffId,
            name: t.responsibleName,
            orgId: lead.orgId,
            divisionId: lead.id,
            status: "active",
          },
          responsibles,
          staff,
          t.parts,
        );
        t.cooperatingDivisionIds = coopIds;
        t.participantDivisionIds = t.parts.map((p) => p.divisionId);
        t.participantOrgIds = [...new Set(t.parts.map((p) => p.orgId))];
        t.version += 1;
        t.updatedAt = now;
        return t;
      },
    );
    const prev = before as TaskDoc | null;
    if (!after || !prev) throw new NotFoundError("TASK_NOT_FOUND", "任务不存在");
    // History is kept once HR has approved the task; drafts change freely.
    if (prev.state === "approved") {
      const { _id, parts: _p, evidenceCount: _e, rev: _r, ...snapshot } = prev;
      const version: TaskVersionDoc = {
        _id: `${_id}:v${prev.version}`,
        taskId: _id,
        version: prev.version,
        snapshot,
        replacedAt: now,
        replacedBy: by,
      };
      await this.m.TaskVersion.collection.insertOne(version as never).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    }
    await this.syncTask(after, prev);
    await audit(ctx, "plans.task.update", "success", `task:${doc._id}`, { fields });
    await this.emitTask(after, "edited", by, fields);
    return after;
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
