/**
 * Plans: annual tasks (年度任务) with lead and cooperating divisions, HR approval and history,
 * .xlsx import, HR's completion matrix, monthly arrangements (每月工作安排) and completion reports
 * (上月完成情况) with deadlines and overdue lists, and evidence: the work logs linked to each task,
 * kept from the worklog channels. Owns the `<namespace>_plans` database.
 */
import { DATE, ID, MONTH, YEAR, isDuplicateKey } from "../../shared/params";
import { randomBytes } from "node:crypto";
import type { Model } from "mongoose";
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import { audit } from "../../shared/audit";
import { CITY_ORG_ID, canAdministerOrg, hasRole, isCityWide, type CallMeta, type Role } from "../../shared/auth";
import { WorkCalendar, addDays } from "../../shared/calendar";
import { systemClock, type Clock } from "../../shared/clock";
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";
import {
  MONTH_SCOPES,
  PROGRESS_STATUSES,
  type ArrangementItem,
  type ArrangementItemInput,
  type CompletionItemInput,
  type CompletionMatrix,
  type CompletionTaskInput,
  type DeadlineSettings,
  type DivisionPlan,
  type DivisionPlans,
  type EvidenceLog,
  type ImportResult,
  type MonthKey,
  type MonthScope,
  type MonthView,
  type OrgPlans,
  type OverdueReport,
  type PersonPlans,
  type PlansSeedResult,
  type TaskEvidence,
  type TaskInput,
  type TaskPart,
  type TaskUpdate,
  type TaskVersionView,
  type TaskView,
} from "../../shared/contracts/plans";
import type { LogView } from "../../shared/contracts/worklog";
import { dbMixin, emptyModels, type DbVars } from "../../shared/db";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../../shared/errors";
import { publish, type DomainEvent } from "../../shared/events";
import { orgRefs, type OrgRefs } from "../../shared/org-refs";
import { XLSX_MIME, contentDisposition, tablesHtml, tablesWorkbook } from "../../shared/report-table";
import { localDate } from "../../shared/time";
import {
  DEFAULT_DEADLINES,
  arrangementDue,
  completionDue,
  monthKey,
  monthOf,
  overdueReports,
  shiftMonth,
  type YearMonth,
} from "./deadlines";
import { generatePlansDemo, logTitle } from "./demo-data";
import { DocCache } from "./data/doc-cache";
import { completionMatrix, matrixTables, summarize, taskAs } from "./matrix";
import {
  monthId,
  registerModels,
  yearPlanId,
  type EvidenceDoc,
  type LogLinkDoc,
  type Models,
  type MonthDoc,
  type MonthStatusDoc,
  type SettingDoc,
  type TaskDoc,
  type TaskVersionDoc,
  type YearPlanDoc,
} from "./data/models";
import { checkTask, validateTaskRows, type DivisionRef, type StaffRef } from "./rules";
import { decodeUpload, importError, readSheet } from "../../shared/xlsx";

interface Settings extends ServiceSettingSchema {
  /** Source of "now"; tests put a ManualClock here. Kept out of the registry by $secureSettings. */
  clock?: Clock;
}

type Ctx<P = Record<string, never>, M extends object = CallMeta> = Context<P, M>;
/** Meta of an action that answers a file: the gateway sends it with this type and these headers. */
type FileMeta = CallMeta & { $responseType?: string; $responseHeaders?: Record<string, string> };

type Refs = OrgRefs;

interface Vars {
  m: Models;
  clock: Clock;
  refsCache: Refs | null;
  calendarCache: WorkCalendar | null;
  docs: DocCache;
  reloadTimer: NodeJS.Timeout | null;
}

interface Methods {
  now(): Date;
  today(): string;
  refs(): Promise<Refs>;
  division(id: string): Promise<DivisionRef>;
  calendar(): Promise<WorkCalendar>;
  deadlines(): Promise<DeadlineSettings>;
  staffRefs(ids: string[]): Promise<Map<string, StaffRef>>;
  mayEditDivision(ctx: Ctx<unknown>, divisionId: string, orgId: string): boolean;
  isHr(ctx: Ctx<unknown>): boolean;
  loadTask(id: string): Promise<TaskDoc>;
  completionMatrix(ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix>;
  doc<T extends { _id: string }>(model: Model<T>, id: string): Promise<T | null>;
  cached(collection: string, doc: { _id: string }, announce?: boolean): void;
  written<T extends { _id: string }>(model: Model<T>, id: string, write: () => Promise<unknown>): Promise<void>;
  preload(): Promise<void>;
  view(doc: TaskDoc): TaskView;
  cas<T extends { _id: string; rev: number }>(
    model: Model<T>,
    id: string,
    init: () => T,
    mutate: (doc: T) => T | null,
  ): Promise<T | null>;
  syncTask(doc: TaskDoc, previous?: TaskDoc): Promise<void>;
  createTasks(ctx: Ctx<unknown>, inputs: TaskInput[]): Promise<TaskDoc[]>;
  emitTask(
    doc: TaskDoc,
    change: "created" | "edited" | "approved" | "progress",
    by: string | null,
    fields?: string[],
  ): Promise<void>;
  monthView(doc: MonthDoc | null, key: MonthKey): Promise<MonthView | null>;
  planMonths(
    scope: "person" | "division",
    ownerId: string,
    today: string,
  ): Promise<{
    m: { year: number; month: number };
    plan: YearPlanDoc | null;
    thisMonth: MonthDoc | null;
    lastMonth: MonthDoc | null;
    thisView: MonthView | null;
    lastView: MonthView | null;
  }>;
  monthOwner(ctx: Ctx<unknown>, scope: MonthScope, ownerId: string): Promise<{ divisionId: string; orgId: string }>;
  yearPlanTasks(scope: MonthScope, ownerId: string, year: number): Promise<TaskDoc[]>;
  applyLog(event: DomainEvent, logId: string, version: number, taskIds: string[] | null): Promise<void>;
  overdue(date: string | undefined, orgId: string | undefined): Promise<OverdueReport[]>;
  linkDemoLogs(tasks: TaskDoc[], staff: DirectoryEntry[]): Promise<number>;
}

type This = Service<Settings> & DbVars & Vars & Methods;

const PROGRESS = { type: "number", integer: true, min: 0, max: 100, convert: true };
/** Collections the pages and the matrix read, held in memory (see doc-cache.ts). */
const CACHED = new Set(["year_plans", "months", "month_status", "evidence", "settings", "tasks"]);
/** The month a monthly arrangement or completion belongs to: whose (a division's or a person's), which month. */
const MONTH_KEY_PARAMS = {
  $$strict: true,
  scope: { type: "enum", values: MONTH_SCOPES },
  ownerId: ID,
  year: YEAR,
  month: MONTH,
};
const MATRIX_PARAMS = { $$strict: true, year: { ...YEAR, optional: true }, orgId: `${ID}|optional` };
/** Full reload of the held documents, in case a replica's change broadcast was lost. */
const RELOAD_MS = 10 * 60_000;
const BATCH = 1000;
/** Roles that see the whole completion matrix of an organisation (HR, leaders, county admins). */
const MATRIX_ROLES: Role[] = ["hr_admin", "leader", "county_admin", "sys_admin"];

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

const entryParams = {
  status: { type: "enum", values: PROGRESS_STATUSES },
  progress: PROGRESS,
  reason: { type: "string", max: 500, optional: true, nullable: true },
  note: { type: "string", max: 1000, optional: true, nullable: true },
};

const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

/** Parts of a task, in order: the lead's first, then the cooperating divisions' as listed. */
function buildParts(
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

const PlansService: ServiceSchema<Settings, Methods, Vars, This> = {
  name: "plans",
  mixins: [dbMixin("plans")],

  /** Settings */
  settings: {
    $secureSettings: ["clock"],
  },

  /** Actions */
  actions: {
    // ---------- annual tasks ----------
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
        if (!fields.length) return this.view(doc);
        const by = ctx.meta.user?.accountId ?? null;
        const now = this.now();
        let before: TaskDoc | null = null;
        const after = await this.cas(
          this.m.Task,
          id,
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
              coopIds.map((c) => divisions.get(c)!),
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
        await audit(ctx, "plans.task.update", "success", `task:${id}`, { fields });
        await this.emitTask(after, "edited", by, fields);
        return this.view(after);
      },
    },

    "tasks.approve": {
      rest: "POST /tasks/:id/approve",
      auth: { roles: ["hr_admin", "sys_admin"] },
      params: { $$strict: true, id: ID },
      async handler(this: This, ctx: Ctx<{ id: string }>): Promise<TaskView> {
        if (!this.isHr(ctx)) throw new ForbiddenError("只有市局人教处可以审核年度任务");
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
        const logs = [...(ev?.logs ?? [])].sort(
          (a, b) => b.date.localeCompare(a.date) || b.logId.localeCompare(a.logId),
        );
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

    "tasks.import": {
      rest: "POST /imports/tasks",
      auth: { roles: ["division_head", "hr_admin", "county_admin", "sys_admin", "leader"] },
      params: { $$strict: true, file: "string|min:1|max:14000000", year: YEAR },
      async handler(this: This, ctx: Ctx<{ file: string; year: number }>): Promise<ImportResult> {
        const sheet = await readSheet(decodeUpload(ctx.params.file));
        const { divisions, orgs } = await this.refs();
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
        const { tasks, errors } = validateTaskRows(ctx.params.year, sheet.headers, sheet.rows, {
          division: (id) => divisions.get(id),
          staff: (id) => staff.get(id),
          resolveDivision: (text) => byName.get(text.replace(/\s+/g, "")),
          mayEdit: (id) => this.mayEditDivision(ctx, id, divisions.get(id)!.orgId),
        });
        if (errors.length) throw importError(errors);
        const docs = await this.createTasks(ctx, tasks);
        await audit(ctx, "plans.task.import", "success", null, { created: docs.length });
        return { created: docs.length, taskIds: docs.map((d) => d._id) };
      },
    },

    matrix: {
      rest: "GET /matrix",
      auth: { roles: MATRIX_ROLES },
      params: MATRIX_PARAMS,
      async handler(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix> {
        return this.completionMatrix(ctx);
      },
    },

    "matrix.export": {
      rest: "GET /matrix/export",
      auth: { roles: MATRIX_ROLES },
      params: { ...MATRIX_PARAMS, format: { type: "enum", values: ["xlsx", "html"], optional: true } },
      async handler(
        this: This,
        ctx: Ctx<{ year?: number; orgId?: string; format?: "xlsx" | "html" }, FileMeta>,
      ): Promise<Buffer | string> {
        const m = await this.completionMatrix(ctx);
        const { divisions, orgs } = await this.refs();
        const scope = m.orgId ? (orgs.get(m.orgId)?.name ?? m.orgId) : "全市财政系统";
        const tables = matrixTables(m, {
          scope,
          org: (id) => orgs.get(id)?.name ?? id,
          division: (id) => divisions.get(id)?.name ?? id,
          generated: this.today(),
        });
        const name = `${m.year}年度${scope}年度任务完成情况`;
        await audit(ctx, "plans.matrix.export", "success", m.orgId ? `org:${m.orgId}` : null, { year: m.year });
        if (ctx.params.format === "html") {
          ctx.meta.$responseType = "text/html; charset=utf-8";
          return tablesHtml(name, tables, "“逾期”指过了完成时限仍未完成的任务；加权进度按任务权重计算。");
        }
        ctx.meta.$responseType = XLSX_MIME;
        ctx.meta.$responseHeaders = { "Content-Disposition": contentDisposition(name, "xlsx") };
        return tablesWorkbook(tables);
      },
    },

    // ---------- monthly arrangement and completion ----------
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

    // ---------- deadlines and overdue lists ----------
    "deadlines.get": {
      rest: "GET /deadlines",
      params: { $$strict: true, year: { ...YEAR, optional: true }, month: { ...MONTH, optional: true } },
      async handler(
        this: This,
        ctx: Ctx<{ year?: number; month?: number }>,
      ): Promise<DeadlineSettings & { month: string; arrangementDue: string; completionDue: string }> {
        const m =
          ctx.params.year && ctx.params.month
            ? { year: ctx.params.year, month: ctx.params.month }
            : monthOf(this.today());
        const [settings, cal] = await Promise.all([this.deadlines(), this.calendar()]);
        return {
          ...settings,
          month: monthKey(m),
          arrangementDue: arrangementDue(cal, m),
          completionDue: completionDue(cal, settings, m),
        };
      },
    },

    "deadlines.set": {
      rest: "PUT /deadlines",
      auth: { roles: ["hr_admin", "sys_admin"] },
      params: {
        $$strict: true,
        completionDueDay: { type: "number", integer: true, min: 1, max: 28, convert: true, optional: true },
        completionRollsToWorkingDay: "boolean|optional",
      },
      async handler(
        this: This,
        ctx: Ctx<{ completionDueDay?: number; completionRollsToWorkingDay?: boolean }>,
      ): Promise<DeadlineSettings> {
        if (!this.isHr(ctx)) throw new ForbiddenError("只有市局人教处可以设置填报时限");
        const current = await this.deadlines();
        const value = {
          completionDueDay: ctx.params.completionDueDay ?? current.completionDueDay,
          completionRollsToWorkingDay: ctx.params.completionRollsToWorkingDay ?? current.completionRollsToWorkingDay,
          arrangementDueLastWorkingDay: true,
        };
        const now = this.now();
        const by = ctx.meta.user?.accountId ?? null;
        await this.written(this.m.Setting, "deadlines", () =>
          this.m.Setting.updateOne(
            { _id: "deadlines" },
            { $set: { value, updatedAt: now, updatedBy: by } },
            { upsert: true },
          ),
        );
        await audit(ctx, "plans.deadlines.set", "success", "settings:deadlines", value);
        return { ...value, updatedAt: now.toISOString(), updatedBy: by };
      },
    },

    "overdue.list": {
      auth: "internal",
      params: { $$strict: true, date: `${DATE}|optional`, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ date?: string; orgId?: string }>): Promise<OverdueReport[]> {
        return this.overdue(ctx.params.date, ctx.params.orgId);
      },
    },

    "overdue.report": {
      rest: "GET /overdue",
      auth: { roles: ["hr_admin", "county_admin", "sys_admin", "leader", "division_head"] },
      params: { $$strict: true, orgId: `${ID}|optional` },
      async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<OverdueReport[]> {
        const user = ctx.meta.user!;
        const orgId = ctx.params.orgId ?? (isCityWide(user) ? undefined : user.orgId);
        if (orgId && !isCityWide(user) && orgId !== user.orgId) throw new ForbiddenError("无权查看其他单位");
        const list = await this.overdue(undefined, orgId);
        // A division head without an admin role sees their own division's items.
        return canAdministerOrg(user, orgId ?? user.orgId)
          ? list
          : list.filter((r) => r.divisionId === user.divisionId);
      },
    },

    // ---------- what the pages show ----------
    "summary.person": {
      params: { $$strict: true, staffId: ID, date: `${DATE}|optional` },
      async handler(this: This, ctx: Ctx<{ staffId: string; date?: string }>): Promise<PersonPlans> {
        const today = ctx.params.date ?? this.today();
        const { staffId } = ctx.params;
        const { m, plan, thisMonth, lastMonth, thisView, lastView } = await this.planMonths("person", staffId, today);
        const tasks = (plan?.tasks ?? []).map((t) => {
          const v = this.view(t);
          const own = v.parts.find((p) => p.responsibleStaffId === staffId);
          return t.responsibleStaffId === staffId || !own ? v : taskAs(v, own.divisionId);
        });
        return {
          staffId,
          year: m.year,
          month: m.month,
          tasks,
          summary: summarize(tasks, m.year, today),
          thisMonth: thisMonth ? thisView : null,
          lastMonth: lastMonth ? lastView : null,
        };
      },
    },

    "summary.division": {
      params: { $$strict: true, divisionId: ID, date: `${DATE}|optional` },
      async handler(this: This, ctx: Ctx<{ divisionId: string; date?: string }>): Promise<DivisionPlans> {
        const { divisionId } = ctx.params;
        await this.division(divisionId);
        const today = ctx.params.date ?? this.today();
        const { m, plan, thisView, lastView } = await this.planMonths("division", divisionId, today);
        const tasks = (plan?.tasks ?? []).map((t) => taskAs(this.view(t), divisionId));
        return {
          divisionId,
          year: m.year,
          month: m.month,
          plan: {
            divisionId,
            year: m.year,
            leading: tasks.filter((t) => t.leadDivisionId === divisionId),
            cooperating: tasks.filter((t) => t.leadDivisionId !== divisionId),
          },
          summary: summarize(tasks, m.year, today, divisionId),
          thisMonth: thisView,
          lastMonth: lastView,
        };
      },
    },

    "summary.org": {
      params: { $$strict: true, orgId: ID, date: `${DATE}|optional` },
      async handler(this: This, ctx: Ctx<{ orgId: string; date?: string }>): Promise<OrgPlans> {
        const { orgId } = ctx.params;
        const { divisions, orgs } = await this.refs();
        if (!orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
        const today = ctx.params.date ?? this.today();
        const m = monthOf(today);
        const last = shiftMonth(m, -1);
        const own = [...divisions.values()].filter((d) => d.orgId === orgId).sort((a, b) => a.order - b.order);
        const [plans, thisStatus, lastStatus] = await Promise.all([
          Promise.all(own.map((d) => this.doc<YearPlanDoc>(this.m.YearPlan, yearPlanId("division", d.id, m.year)))),
          this.doc<MonthStatusDoc>(this.m.MonthStatus, monthKey(m)),
          this.doc<MonthStatusDoc>(this.m.MonthStatus, monthKey(last)),
        ]);
        const byTask = new Map<string, TaskView>();
        const rows = own.map((d, i) => {
          const tasks = (plans[i]?.tasks ?? []).map((t) => this.view(t));
          for (const t of tasks) if (t.leadOrgId === orgId) byTask.set(t.id, t);
          return {
            divisionId: d.id,
            ...summarize(tasks, m.year, today, d.id),
            arrangementSubmitted: !!thisStatus?.arrangement?.[d.id],
            completionSubmitted: !!lastStatus?.completion?.[d.id],
          };
        });
        return {
          orgId,
          year: m.year,
          month: m.month,
          summary: summarize([...byTask.values()], m.year, today),
          divisions: rows,
        };
      },
    },

    // ---------- demo data ----------
    "demo.seed": {
      auth: "internal",
      params: { $$strict: true, reset: "boolean|optional" },
      async handler(this: This, ctx: Ctx<{ reset?: boolean }>): Promise<PlansSeedResult> {
        const started = Date.now();
        const hasData = (await this.m.Task.countDocuments({}).limit(1)) > 0;
        if (hasData && !ctx.params.reset) return { seeded: false };
        await emptyModels(Object.values(this.m));
        this.refsCache = null;
        this.calendarCache = null;
        this.docs.clear();
        const meta = { meta: { system: true } };
        const [{ divisions, orgs }, directory, people, cal] = await Promise.all([
          this.refs(),
          this.broker.call<DirectoryEntry[], object>("personnel.staff.directory", {}, meta),
          this.broker.call<DemoPeople, object>("personnel.demo.people", {}, meta),
          this.calendar(),
        ]);
        const demo = generatePlansDemo({
          today: this.today(),
          divisions: [...divisions.values()],
          orgs: [...orgs.values()],
          staff: directory,
          people: Object.values(people),
          logs: [],
          cal,
          settings: DEFAULT_DEADLINES,
        });
        const insert = async (coll: { insertMany(d: never[], o: object): Promise<unknown> }, docs: object[]) => {
          for (let i = 0; i < docs.length; i += BATCH)
            await coll.insertMany(docs.slice(i, i + BATCH) as never[], { ordered: false });
        };
        await insert(this.m.Task.collection, demo.tasks);
        await insert(this.m.YearPlan.collection, demo.yearPlans);
        await insert(this.m.Month.collection, demo.months);
        await insert(this.m.MonthStatus.collection, demo.monthStatus);
        await insert(this.m.Evidence.collection, demo.evidence);
        await insert(this.m.LogLink.collection, demo.links);
        await this.preload();
        await this.broker.broadcast("plans.cache.changed", { keys: [], reset: true }, { groups: ["plans"] });
        const evidenceLinks = await this.linkDemoLogs(demo.tasks, directory);
        const result: PlansSeedResult = {
          seeded: true,
          tasks: demo.tasks.length,
          sharedTasks: demo.tasks.filter((t) => t.cooperatingDivisionIds.length).length,
          months: demo.months.length,
          evidenceLinks,
          ms: Date.now() - started,
        };
        this.logger.info("Demo plans seeded", result);
        return result;
      },
    },
  },

  /** Events: another plans replica wrote these documents (not durable; the periodic reload covers a loss). */
  events: {
    "plans.cache.changed": {
      params: {
        keys: { type: "array", items: { type: "object", props: { collection: "string", id: "string" } } },
        reset: "boolean|optional",
      },
      async handler(this: This, ctx: Context<{ keys: { collection: string; id: string }[]; reset?: boolean }>) {
        if (ctx.nodeID === this.broker.nodeID) return;
        if (ctx.params.reset) {
          this.docs.clear();
          await this.preload();
          return;
        }
        for (const { collection, id } of ctx.params.keys) {
          const fresh = await this.db.collection(collection).findOne({ _id: id } as never);
          this.docs.put(collection, id, fresh as { _id: string } | null);
        }
      },
    },
  },

  /** Durable channels */
  channels: {
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
        const { date, working } = event.data;
        if (working === null) await this.m.Override.deleteOne({ _id: date });
        else await this.m.Override.updateOne({ _id: date }, { $set: { working } }, { upsert: true });
        this.calendarCache = null;
      },
    },
  },

  /** Methods */
  methods: {
    now(this: This): Date {
      return this.clock.now();
    },

    today(this: This): string {
      return localDate(this.clock.now());
    },

    /** Organisations and divisions from personnel, cached for a minute (they change rarely). */
    async refs(this: This): Promise<Refs> {
      this.refsCache = await orgRefs(this.broker, this.refsCache);
      return this.refsCache;
    },

    async division(this: This, id: string): Promise<DivisionRef> {
      const d = (await this.refs()).divisions.get(id);
      if (!d) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
      return d;
    },

    async calendar(this: This): Promise<WorkCalendar> {
      if (!this.calendarCache) {
        const docs = await this.m.Override.find().lean<{ _id: string; working: boolean }[]>();
        this.calendarCache = new WorkCalendar(new Map(docs.map((d) => [d._id, d.working])));
      }
      return this.calendarCache;
    },

    async deadlines(this: This): Promise<DeadlineSettings> {
      const doc = await this.doc<SettingDoc>(this.m.Setting, "deadlines");
      return {
        ...DEFAULT_DEADLINES,
        ...(doc?.value ?? {}),
        updatedAt: iso(doc?.updatedAt ?? null),
        updatedBy: doc?.updatedBy ?? null,
      } as DeadlineSettings;
    },

    async staffRefs(this: This, ids: string[]): Promise<Map<string, StaffRef>> {
      const unique = [...new Set(ids.filter(Boolean))];
      if (!unique.length) return new Map();
      const rows = await this.broker.call<DirectoryEntry[], object>(
        "personnel.staff.directory",
        { ids: unique },
        { meta: { system: true } },
      );
      return new Map(
        rows.map((r) => [r.id, { id: r.id, name: r.name, orgId: r.orgId, divisionId: r.divisionId, status: r.status }]),
      );
    },

    /** The division's head, or an administrator of its organisation (or a city-wide role). */
    mayEditDivision(this: This, ctx: Ctx<unknown>, divisionId: string, orgId: string): boolean {
      if (ctx.meta.system) return true;
      const user = ctx.meta.user;
      if (!user) return false;
      if (canAdministerOrg(user, orgId)) return true;
      return hasRole(user, "division_head") && user.divisionId === divisionId;
    },

    /** City HR (人教处) or a system administrator: approves tasks and sets deadlines. */
    isHr(this: This, ctx: Ctx<unknown>): boolean {
      const user = ctx.meta.user;
      if (ctx.meta.system) return true;
      return !!user && (hasRole(user, "sys_admin") || (user.orgId === CITY_ORG_ID && hasRole(user, "hr_admin")));
    },

    /** A document by `_id`, from memory for the collections the pages read. */
    doc<T extends { _id: string }>(this: This, model: Model<T>, id: string): Promise<T | null> {
      const read = () => model.findById(id).lean<T>().exec() as Promise<T | null>;
      return CACHED.has(model.collection.collectionName)
        ? this.docs.get(model.collection.collectionName, id, read)
        : read();
    },

    /** Keeps a document this process wrote, and tells the other plans replicas to re-read it. */
    cached(this: This, collection: string, doc: { _id: string }, announce = true): void {
      if (!CACHED.has(collection)) return;
      this.docs.put(collection, doc._id, structuredClone(doc));
      if (announce)
        this.broker
          .broadcast("plans.cache.changed", { keys: [{ collection, id: doc._id }] }, { groups: ["plans"] })
          .catch((err: Error) => this.logger.warn("cache change not sent:", err.message));
    },

    /** Runs an update of one document by `_id`, then keeps the document as written. */
    async written<T extends { _id: string }>(
      this: This,
      model: Model<T>,
      id: string,
      write: () => Promise<unknown>,
    ): Promise<void> {
      await write();
      const doc = await model.collection.findOne({ _id: id } as never);
      if (doc) this.cached(model.collection.collectionName, doc as unknown as { _id: string });
    },

    /** Loads this year's plans, this and last month's documents and the small collections in bulk. */
    async preload(this: This): Promise<void> {
      const current = monthOf(this.today());
      const months = [current, shiftMonth(current, -1)];
      const load = async <T extends { _id: string }>(model: Model<T>, scope: string, filter: object) => {
        const since = this.docs.readStarts();
        const docs = await model.collection.find(filter as never).toArray();
        this.docs.loaded(model.collection.collectionName, scope, docs as unknown as { _id: string }[], since);
      };
      await load(this.m.YearPlan, String(current.year), { year: current.year });
      await load(this.m.Task, String(current.year), { year: current.year });
      for (const m of months) await load(this.m.Month, monthKey(m), { year: m.year, month: m.month });
      await load(this.m.MonthStatus, "*", {});
      await load(this.m.Evidence, "*", {});
      await load(this.m.Setting, "*", {});
    },

    /** HR's completion matrix for a year (default this one) and an organisation (default: the caller's scope). */
    async completionMatrix(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix> {
      const user = ctx.meta.user;
      const year = ctx.params.year ?? monthOf(this.today()).year;
      let orgId = ctx.params.orgId ?? null;
      const { divisions, orgs } = await this.refs();
      if (orgId && !orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      if (user && !ctx.meta.system) {
        if (!orgId && !isCityWide(user)) orgId = user.orgId;
        if (orgId && !canAdministerOrg(user, orgId)) throw new ForbiddenError("无权查看其他单位的完成情况");
      }
      // A whole-bureau read over this year's tasks (a few thousand documents): from memory when the
      // year is held (the current one is), else one pass over the collection.
      const wanted = (t: TaskDoc) => t.year === year && (!orgId || t.participantOrgIds.includes(orgId));
      const tasks =
        this.docs.select<TaskDoc>("tasks", String(year), wanted) ??
        (await this.m.Task.find(orgId ? { year, participantOrgIds: orgId } : { year }).lean<TaskDoc[]>());
      const rows = [...divisions.values()]
        .filter((d) => !orgId || d.orgId === orgId)
        .filter((d) => d.kind !== "leadership" || tasks.some((t) => t.participantDivisionIds.includes(d.id)))
        .sort((a, b) => (orgs.get(a.orgId)?.order ?? 0) - (orgs.get(b.orgId)?.order ?? 0) || a.order - b.order);
      return completionMatrix(
        tasks.map((t) => this.view(t)),
        rows,
        year,
        orgId,
        this.today(),
      );
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

    async loadTask(this: This, id: string): Promise<TaskDoc> {
      const doc = await this.doc(this.m.Task, id);
      if (!doc) throw new NotFoundError("TASK_NOT_FOUND", "任务不存在");
      return structuredClone(doc); // the held copy stays as stored, whatever the caller does
    },

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

    /**
     * Read–modify–write of one document guarded by its `rev`, retried on a concurrent change.
     * The filter is `_id` equality (plus `rev` on that one document), which every backend answers fast.
     */
    async cas<T extends { _id: string; rev: number }>(
      this: This,
      model: Model<T>,
      id: string,
      init: () => T,
      mutate: (doc: T) => T | null,
    ): Promise<T | null> {
      const coll = model.collection;
      for (let attempt = 0; attempt < 20; attempt++) {
        const cur = (await coll.findOne({ _id: id } as never)) as unknown as T | null;
        if (!cur) {
          const fresh = init();
          if (!fresh) return null;
          const next = mutate(fresh);
          if (!next) return null;
          try {
            await coll.insertOne({ ...next, _id: id, rev: 1 } as never);
            this.cached(coll.collectionName, { ...next, _id: id, rev: 1 });
            return { ...next, rev: 1 };
          } catch (err) {
            if (isDuplicateKey(err)) continue;
            throw err;
          }
        }
        const next = mutate(structuredClone(cur));
        if (!next) return null;
        const { _id, rev: _rev, ...rest } = next;
        const r = await coll.updateOne(
          { _id: id, rev: cur.rev } as never,
          { $set: { ...rest, rev: cur.rev + 1 } } as never,
        );
        if (r.matchedCount === 1) {
          this.cached(coll.collectionName, { ...next, _id: id, rev: cur.rev + 1 });
          return { ...next, rev: cur.rev + 1 };
        }
      }
      throw new Error(`plans: too many concurrent changes to ${model.collection.name}/${id}`);
    },

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

    /** Where a month's arrangement belongs, after checking the caller may write it. */
    async monthOwner(
      this: This,
      ctx: Ctx<unknown>,
      scope: MonthScope,
      ownerId: string,
    ): Promise<{ divisionId: string; orgId: string }> {
      if (scope === "division") {
        const d = await this.division(ownerId);
        if (!this.mayEditDivision(ctx, d.id, d.orgId))
          throw new ForbiddenError("只有本处室负责人可以填报处室的工作安排和完成情况", "NOT_DIVISION_HEAD");
        return { divisionId: d.id, orgId: d.orgId };
      }
      const s = (await this.staffRefs([ownerId])).get(ownerId);
      if (!s) throw new NotFoundError("STAFF_NOT_FOUND", "人员不存在");
      if (ctx.meta.user?.staffId !== ownerId && !this.mayEditDivision(ctx, s.divisionId, s.orgId))
        throw new ForbiddenError("只能填报自己的工作安排和完成情况", "NOT_OWNER");
      return { divisionId: s.divisionId, orgId: s.orgId };
    },

    async yearPlanTasks(this: This, scope: MonthScope, ownerId: string, year: number): Promise<TaskDoc[]> {
      const doc = await this.doc<YearPlanDoc>(this.m.YearPlan, yearPlanId(scope, ownerId, year));
      return doc?.tasks ?? [];
    },

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
      let title = link?.title ?? "";
      let log: LogView | null = null;
      if (taskIds !== null && (next.length || link?.taskIds.length)) {
        log = await this.broker
          .call<LogView, object>("worklog.logs.get", { id: logId }, { meta: { system: true } })
          .catch(() => null);
        if (log) title = logTitle(log.done);
      }
      const d = event.data as { authorStaffId: string; authorName: string; divisionId: string; date: string };
      const entry: EvidenceLog = {
        logId,
        title,
        authorStaffId: d.authorStaffId,
        authorName: d.authorName,
        divisionId: d.divisionId,
        date: log?.date ?? d.date,
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
        { $set: { version, taskIds: next, title, withdrawn: taskIds === null } },
        { upsert: true },
      );
      await this.m.Seen.collection.insertOne({ _id: event.id, at: this.now() } as never).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
    },

    async overdue(this: This, date: string | undefined, orgId: string | undefined): Promise<OverdueReport[]> {
      const today = date ?? this.today();
      const [{ divisions }, cal, settings] = await Promise.all([this.refs(), this.calendar(), this.deadlines()]);
      const scoped = [...divisions.values()].filter((d) => (!orgId || d.orgId === orgId) && d.kind !== "leadership");
      const current = monthOf(today);
      const keys = Array.from({ length: 5 }, (_, i) => monthKey(shiftMonth(current, 1 - i)));
      const statuses = await Promise.all(keys.map((k) => this.doc<MonthStatusDoc>(this.m.MonthStatus, k)));
      const byKey = new Map(keys.map((k, i) => [k, statuses[i]]));
      return overdueReports({
        today,
        cal,
        settings,
        divisions: scoped,
        submitted: (kind, m) => new Set(Object.keys(byKey.get(monthKey(m))?.[kind] ?? {})),
      });
    },
    /**
     * Demo evidence: members of the city divisions write a few logs this week through worklog's own
     * action, each linked to a task of their division; the links reach plans over the log channels
     * like any real log's. (The 32,000 seeded logs carry no task ids: linking them needs worklog's
     * demo generator to know the task ids, see the plans issue note.)
     */
    async linkDemoLogs(this: This, tasks: TaskDoc[], staff: DirectoryEntry[]): Promise<number> {
      const cal = await this.calendar();
      const today = this.today();
      const days = cal.workingDays(addDays(today, -6), today).slice(-3);
      const month = Number(today.slice(5, 7));
      let linked = 0;
      for (const kind of ["budget", "treasury", "office", "hr", "assets", "debt", "it", "general"]) {
        const divisionId = `${CITY_ORG_ID}-${kind}`;
        const led = tasks.filter((t) => t.leadDivisionId === divisionId);
        const current = led.filter((t) => Number(t.dueDate.slice(5, 7)) >= month);
        const own = current.length ? current : led;
        const writers = staff.filter((s) => s.divisionId === divisionId && s.status === "active").slice(0, 3);
        if (!own.length) continue;
        for (const [i, writer] of writers.entries())
          for (const [j, date] of days.entries()) {
            const task = own[(i + j) % own.length];
            const user = {
              accountId: `demo-${writer.id}`,
              sessionId: "demo-seed",
              staffId: writer.id,
              name: writer.name,
              orgId: writer.orgId,
              divisionId: writer.divisionId,
              roles: ["staff" as Role],
            };
            await this.broker
              .call(
                "worklog.logs.create",
                {
                  date,
                  done: `推进“${task.title}”：梳理进度台账，形成阶段小结\n对照年度目标（${task.target.text}）查找差距`,
                  thoughts: "对照任务节点倒排工期，问题当日梳理、当日协调。",
                  taskIds: [task._id],
                },
                { meta: { user } },
              )
              .then(
                () => (linked += 1),
                (err: Error) => this.logger.warn("Demo plans: a linked log was not written:", err.message),
              );
          }
      }
      return linked;
    },
  },

  /** Lifecycle */
  created(this: This) {
    this.m = registerModels(this.db);
    this.clock = this.settings.clock ?? systemClock;
    this.refsCache = null;
    this.calendarCache = null;
    this.docs = new DocCache();
    this.reloadTimer = null;
  },

  started(this: This) {
    const reload = () =>
      this.preload().catch((err: Error) => this.logger.warn("Plans documents not preloaded:", err.message));
    // In the background: a page that comes first reads its documents by `_id`.
    void reload();
    this.reloadTimer = setInterval(reload, RELOAD_MS);
    this.reloadTimer.unref();
  },

  stopped(this: This) {
    if (this.reloadTimer) clearInterval(this.reloadTimer);
  },
};

export default PlansService as unknown as ServiceSchema;
