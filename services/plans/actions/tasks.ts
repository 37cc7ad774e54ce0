/** Annual tasks: entry, edits with history, HR approval, the reads by task, division and person, and .xlsx import. */
import type { ServiceActionsSchema } from "moleculer";
import { audit } from "../../../shared/audit";
import { CITY_ORG_ID, type CallMeta } from "../../../shared/auth";
import type {
  DivisionPlan,
  TaskEvidence,
  TaskInput,
  TaskUpdate,
  TaskVersionView,
  TaskView,
} from "../../../shared/contracts/plans";
import { ForbiddenError } from "../../../shared/errors";
import { DATE, ID, YEAR } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import { decodeUpload, importError, readSheet } from "../../../shared/xlsx";
import type { ImportJob } from "../../../shared/contracts/jobs";
import { XLSX_MIME, contentDisposition } from "../../../shared/report-table";
import { importJobAction, startImportJob } from "../../../shared/store/import-jobs";
import type { EvidenceDoc, TaskVersionDoc } from "../data/models";
import { taskImportKey } from "../data/task-import";
import { monthOf } from "../deadlines";
import { taskAs } from "../matrix";
import { taskWorkbook, validateTaskRows, type DivisionRef } from "../rules";
import { planTaskImport, taskExportRow } from "../task-import";
import type { Ctx, FileMeta, This } from "../types";
import { iso } from "../views";

const taskFieldParams = {
  title: "string|min:1|max:200|trim",
  cooperatingDivisionIds: { type: "array", items: ID, max: 30, optional: true },
  responsibleStaffId: ID,
  partResponsibles: { type: "record", key: ID, value: ID, optional: true },
  targetText: "string|min:1|max:1000|trim",
  targetValue: { type: "number", optional: true, nullable: true, convert: true },
  targetUnit: { type: "string", max: 20, optional: true, nullable: true },
  dueDate: DATE,
  weight: { type: "number", integer: true, min: 1, max: 100, convert: true },
};
const optional = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      typeof v === "string" ? (v.includes("optional") ? v : `${v}|optional`) : { ...(v as object), optional: true },
    ]),
  );

export const taskActions: ServiceActionsSchema<This> = {
  "tasks.create": {
    rest: "POST /tasks",
    params: { $$strict: true, year: YEAR, leadDivisionId: ID, ...taskFieldParams },
    async handler(this: This, ctx: Ctx<TaskInput>): Promise<TaskView> {
      const [doc] = await this.createTasks(ctx, [ctx.params]);
      return this.view(doc);
    },
  },

  "tasks.update": {
    rest: "PATCH /tasks/:id",
    params: { $$strict: true, id: ID, ...optional(taskFieldParams) },
    async handler(this: This, ctx: Ctx<TaskUpdate>): Promise<TaskView> {
      const { id, ...changes } = ctx.params;
      const doc = await this.loadTask(id);
      if (!this.mayEditDivision(ctx, doc.leadDivisionId, doc.leadOrgId))
        throw new ForbiddenError("只有牵头处室负责人可以修改该任务", "NOT_DIVISION_HEAD");
      return this.view(await this.editTask(ctx, doc, changes));
    },
  },

  "tasks.approve": {
    rest: "POST /tasks/:id/approve",
    auth: rolesOf("plans.approve"),
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<TaskView> {
      if (!allowed(ctx.meta, "plans.approve")) throw new ForbiddenError("只有市局人教处可以审核年度任务");
      await this.loadTask(ctx.params.id);
      const by = ctx.meta.user?.accountId ?? null;
      const now = this.now();
      const doc = await this.cas(
        this.m.Task,
        ctx.params.id,
        () => null as never,
        (t) => {
          if (t.state === "approved") return null;
          t.state = "approved";
          t.approvedAt = now;
          t.approvedBy = by;
          t.updatedAt = now;
          return t;
        },
      );
      if (!doc) return this.view(await this.loadTask(ctx.params.id));
      await this.syncTask(doc);
      await audit(ctx, "plans.task.approve", "success", `task:${doc._id}`);
      await this.emitTask(doc, "approved", by, ["state"]);
      return this.view(doc);
    },
  },

  "tasks.get": {
    rest: "GET /tasks/:id",
    params: { $$strict: true, id: ID, asDivisionId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ id: string; asDivisionId?: string }>): Promise<TaskView> {
      return taskAs(this.view(await this.loadTask(ctx.params.id)), ctx.params.asDivisionId ?? null);
    },
  },

  "tasks.history": {
    rest: "GET /tasks/:id/versions",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ current: TaskView; versions: TaskVersionView[] }> {
      const doc = await this.loadTask(ctx.params.id);
      // Versions are read by _id (taskId:vN), which every backend answers from its primary key.
      const docs = await Promise.all(
        Array.from({ length: doc.version - 1 }, (_, i) =>
          this.m.TaskVersion.findById(`${doc._id}:v${i + 1}`).lean<TaskVersionDoc>(),
        ),
      );
      return {
        current: this.view(doc),
        versions: docs
          .filter((v): v is TaskVersionDoc => !!v)
          .map((v) => ({
            taskId: v.taskId,
            version: v.version,
            snapshot: {
              id: v.taskId,
              ...v.snapshot,
              approvedAt: iso(v.snapshot.approvedAt),
              createdAt: iso(v.snapshot.createdAt)!,
              updatedAt: iso(v.snapshot.updatedAt)!,
            } as TaskVersionView["snapshot"],
            replacedAt: iso(v.replacedAt)!,
            replacedBy: v.replacedBy,
          })),
      };
    },
  },

  "tasks.evidence": {
    rest: "GET /tasks/:id/evidence",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<TaskEvidence> {
      await this.loadTask(ctx.params.id);
      const ev = await this.doc<EvidenceDoc>(this.m.Evidence, ctx.params.id);
      const logs = [...(ev?.logs ?? [])].sort((a, b) => b.date.localeCompare(a.date) || b.logId.localeCompare(a.logId));
      return { taskId: ctx.params.id, count: logs.length, logs };
    },
  },

  "tasks.forDivision": {
    rest: "GET /divisions/:divisionId/tasks",
    params: { $$strict: true, divisionId: ID, year: { ...YEAR, optional: true } },
    async handler(this: This, ctx: Ctx<{ divisionId: string; year?: number }>): Promise<DivisionPlan> {
      await this.division(ctx.params.divisionId);
      const year = ctx.params.year ?? monthOf(this.today()).year;
      const tasks = (await this.yearPlanTasks("division", ctx.params.divisionId, year)).map((t) =>
        taskAs(this.view(t), ctx.params.divisionId),
      );
      return {
        divisionId: ctx.params.divisionId,
        year,
        leading: tasks.filter((t) => t.leadDivisionId === ctx.params.divisionId),
        cooperating: tasks.filter((t) => t.leadDivisionId !== ctx.params.divisionId),
      };
    },
  },

  "tasks.forPerson": {
    rest: "GET /staff/:staffId/tasks",
    params: { $$strict: true, staffId: ID, year: { ...YEAR, optional: true } },
    async handler(this: This, ctx: Ctx<{ staffId: string; year?: number }>): Promise<TaskView[]> {
      const year = ctx.params.year ?? monthOf(this.today()).year;
      const tasks = await this.yearPlanTasks("person", ctx.params.staffId, year);
      return tasks.map((t) => {
        const v = this.view(t);
        const own = v.parts.find((p) => p.responsibleStaffId === ctx.params.staffId);
        return t.responsibleStaffId === ctx.params.staffId || !own ? v : taskAs(v, own.divisionId);
      });
    },
  },

  "tasks.export": {
    rest: "GET /exports/tasks",
    auth: rolesOf("plans.import"),
    params: { $$strict: true, year: YEAR },
    async handler(this: This, ctx: Ctx<{ year: number }, FileMeta>): Promise<Buffer> {
      const { divisions, orgs } = await this.refs();
      const name = (id: string): string => {
        const d = divisions.get(id);
        return d ? `${orgs.get(d.orgId)?.name ?? d.orgId}/${d.name}` : id;
      };
      // The tasks the caller may import: those of divisions they may edit.
      const tasks = (await this.yearTasks(ctx.params.year))
        .filter((t) => this.mayEditDivision(ctx, t.leadDivisionId, t.leadOrgId))
        .sort((a, b) => a.leadDivisionId.localeCompare(b.leadDivisionId) || a._id.localeCompare(b._id));
      ctx.meta.$responseType = XLSX_MIME;
      ctx.meta.$responseHeaders = {
        "Content-Disposition": contentDisposition(`${ctx.params.year}年度任务`, "xlsx"),
      };
      await audit(ctx, "plans.task.export", "success", `year:${ctx.params.year}`, { rows: tasks.length });
      return taskWorkbook(
        tasks.map((t) => taskExportRow(t, name)),
        true,
      );
    },
  },

  "tasks.import": {
    rest: "POST /imports/tasks",
    auth: rolesOf("plans.import"),
    params: { $$strict: true, file: "string|min:1|max:14000000", year: YEAR },
    async handler(
      this: This,
      ctx: Ctx<{ file: string; year: number }, CallMeta & { $statusCode?: number }>,
    ): Promise<{ job: ImportJob }> {
      const { year } = ctx.params;
      const sheet = await readSheet(decodeUpload(ctx.params.file));
      const [{ divisions, orgs }, stored] = await Promise.all([this.refs(), this.yearTasks(year)]);
      const byId = new Map(stored.map((t) => [t._id, t]));
      const staffIds = sheet.rows.map((r) => r.cells.get("责任人工号") ?? "").filter(Boolean);
      const staff = await this.staffRefs(staffIds);
      const ownOrg = ctx.meta.user?.orgId ?? CITY_ORG_ID;
      const byName = new Map<string, DivisionRef>();
      for (const d of divisions.values()) {
        const org = orgs.get(d.orgId);
        byName.set(d.id, d);
        if (org) {
          for (const sep of ["/", "／", ""]) {
            byName.set(`${org.name}${sep}${d.name}`, d);
            byName.set(`${org.shortName}${sep}${d.name}`, d);
          }
        }
        if (d.orgId === ownOrg) byName.set(d.name, d);
      }
      const { tasks, errors } = validateTaskRows(year, sheet.headers, sheet.rows, {
        division: (id) => divisions.get(id),
        staff: (id) => staff.get(id),
        resolveDivision: (text) => byName.get(text.replace(/\s+/g, "")),
        mayEdit: (id) => this.mayEditDivision(ctx, id, divisions.get(id)!.orgId),
        taskLead: (id) => byId.get(id)?.leadDivisionId,
      });
      if (errors.length) throw importError(errors);
      return startImportJob(
        this.imports,
        taskImportKey(year),
        ctx,
        `${year} 年的任务正在导入，请等它完成后再导入`,
        () => ({ plan: planTaskImport(tasks, byId), ctx }),
      );
    },
  },

  ...importJobAction(rolesOf("plans.import")),
};
