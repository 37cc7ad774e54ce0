/** Stored plans documents as the API shows them: a task, a month's arrangement and completion. */
import type { EvidenceLog, MonthKey, MonthView, TaskView } from "../../shared/contracts/plans";
import { arrangementDue, completionDue, monthKey, monthOf, shiftMonth, type YearMonth } from "./deadlines";
import { monthId, yearPlanId, type EvidenceDoc, type MonthDoc, type TaskDoc, type YearPlanDoc } from "./data/models";
import type { This } from "./types";

export const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

export const viewMethods = {
  view(this: This, d: TaskDoc): TaskView {
    const lead = d.parts.find((p) => p.role === "lead");
    return {
      id: d._id,
      year: d.year,
      title: d.title,
      leadDivisionId: d.leadDivisionId,
      leadOrgId: d.leadOrgId,
      cooperatingDivisionIds: d.cooperatingDivisionIds,
      responsibleStaffId: d.responsibleStaffId,
      responsibleName: d.responsibleName,
      target: d.target,
      dueDate: d.dueDate,
      weight: d.weight,
      state: d.state,
      approvedAt: iso(d.approvedAt),
      approvedBy: d.approvedBy ?? null,
      version: d.version,
      parts: d.parts,
      evidenceCount: d.evidenceCount ?? 0,
      late: !!lead && lead.status !== "done" && d.dueDate < this.today(),
      createdAt: iso(d.createdAt)!,
      updatedAt: iso(d.updatedAt)!,
    };
  },

  async monthView(this: This, doc: MonthDoc | null, key: MonthKey): Promise<MonthView | null> {
    const [cal, settings] = await Promise.all([this.calendar(), this.deadlines()]);
    const m: YearMonth = { year: key.year, month: key.month };
    const base = {
      ...key,
      divisionId: doc?.divisionId ?? (key.scope === "division" ? key.ownerId : ""),
      orgId: doc?.orgId ?? "",
    };
    if (!doc) return { ...base, arrangement: null, completion: null };
    const items = doc.arrangement?.items ?? [];
    const texts = new Map(items.map((i) => [i.id, i] as const));
    const c = doc.completion;
    const monthPrefix = monthKey(m);
    // Evidence: logs linked to each reported task and dated in the month, from this division or person.
    const evidence = c ? await Promise.all(c.tasks.map((t) => this.doc<EvidenceDoc>(this.m.Evidence, t.taskId))) : [];
    const titles = new Map(items.filter((i) => i.taskId).map((i) => [i.taskId as string, i.taskTitle ?? ""]));
    const planTasks =
      c && c.tasks.some((t) => !titles.has(t.taskId))
        ? await this.yearPlanTasks("division", doc.divisionId, doc.year)
        : [];
    for (const t of planTasks) if (!titles.has(t._id)) titles.set(t._id, t.title);
    const mine = (l: EvidenceLog): boolean =>
      l.date.startsWith(monthPrefix) &&
      (key.scope === "division" ? l.divisionId === key.ownerId : l.authorStaffId === key.ownerId);
    return {
      ...base,
      arrangement: doc.arrangement
        ? {
            items,
            submittedAt: iso(doc.arrangement.submittedAt),
            submittedBy: doc.arrangement.submittedBy,
            dueDate: arrangementDue(cal, m),
          }
        : null,
      completion: c
        ? {
            items: c.items.map((i) => ({
              ...i,
              text: texts.get(i.itemId)?.text ?? "",
              taskId: texts.get(i.itemId)?.taskId ?? null,
            })),
            tasks: c.tasks.map((t, i) => {
              const logs = (evidence[i]?.logs ?? []).filter(mine).sort((a, b) => b.date.localeCompare(a.date));
              return { ...t, taskTitle: titles.get(t.taskId) ?? "", evidence: logs, evidenceCount: logs.length };
            }),
            submittedAt: iso(c.submittedAt),
            submittedBy: c.submittedBy,
            dueDate: completionDue(cal, settings, m),
          }
        : null,
    };
  },

  /** A person's or division's year plan as of `today`, with this and last month's arrangements and their views. */
  async planMonths(this: This, scope: "person" | "division", ownerId: string, today: string) {
    const m = monthOf(today);
    const last = shiftMonth(m, -1);
    const [plan, thisMonth, lastMonth] = await Promise.all([
      this.doc<YearPlanDoc>(this.m.YearPlan, yearPlanId(scope, ownerId, m.year)),
      this.doc<MonthDoc>(this.m.Month, monthId(scope, ownerId, m.year, m.month)),
      this.doc<MonthDoc>(this.m.Month, monthId(scope, ownerId, last.year, last.month)),
    ]);
    const [thisView, lastView] = await Promise.all([
      this.monthView(thisMonth, { scope, ownerId, ...m }),
      this.monthView(lastMonth, { scope, ownerId, ...last }),
    ]);
    return { m, plan, thisMonth, lastMonth, thisView, lastView };
  },
};
