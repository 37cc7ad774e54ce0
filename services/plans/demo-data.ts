/**
 * Deterministic demo plans: 8–15 tasks a year per division (about one in eight shared with other
 * divisions, some across organisations), monthly arrangements and completion reports with gaps, late
 * reports and delays with reasons, and work logs linked to tasks as evidence.
 */
import { type WorkCalendar, addDays, dateOf, daysInMonth } from "../../shared/calendar";
import type {
  ArrangementItem,
  DeadlineSettings,
  EvidenceLog,
  ProgressStatus,
  TaskPart,
} from "../../shared/contracts/plans";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import { arrangementDue, completionDue, monthKey } from "./deadlines";
import {
  monthId,
  yearPlanId,
  type EvidenceDoc,
  type LogLinkDoc,
  type MonthDoc,
  type MonthStatusDoc,
  type TaskDoc,
  type YearPlanDoc,
} from "./data/models";
import { int, mulberry32, pick, type Rng } from "../../shared/random";

export const PLANS_DEMO_SEED = 20260105;

export type DemoLog = EvidenceLog;

/** Task titles per kind of division; [title, target, value, unit]. */
type Template = [string, string, number | null, string | null];
const KIND_TASKS: Record<string, Template[]> = {
  office: [
    ["局务会议定事项督办", "议定事项按期办结率", 95, "%"],
    ["公文处理规范化建设", "公文差错率下降", 50, "%"],
    ["财政信息报送", "报送财政信息", 120, "篇"],
    ["档案数字化", "完成文书档案数字化", 600, "卷"],
    ["机关后勤保障", "全年保障无责任事故", null, null],
  ],
  hr: [
    ["干部年度考核", "完成全局干部年度考核", null, null],
    ["干部网络学习", "人均网络学习时长", 50, "学时"],
    ["竞争上岗组织", "完成中层岗位竞争上岗", 12, "个岗位"],
    ["干部人事档案专项审核", "完成档案审核", 300, "卷"],
    ["新入职人员培训", "组织岗前培训", 2, "期"],
  ],
  budget: [
    ["部门预算编制", "按时完成下年度部门预算编制", null, null],
    ["预算绩效管理扩面", "绩效目标覆盖项目", 100, "%"],
    ["预算执行进度督导", "全年预算支出进度", 95, "%"],
    ["三保支出保障", "三保支出足额保障", null, null],
    ["零基预算改革试点", "试点部门", 10, "个"],
  ],
  treasury: [
    ["国库集中支付电子化", "电子化支付覆盖率", 100, "%"],
    ["暂付款清理", "压减暂付款", 20, "%"],
    ["库款调度", "库款保障水平保持合理区间", null, null],
    ["预算管理一体化支付模块上线", "全市上线", null, null],
  ],
  assets: [
    ["行政事业单位资产清查", "完成资产清查单位", 150, "家"],
    ["闲置资产盘活", "盘活闲置资产", 3000, "万元"],
    ["国有资产年报编报", "按时报送国有资产年报", null, null],
  ],
  agriculture: [
    ["高标准农田建设资金保障", "拨付资金", 8000, "万元"],
    ["衔接推进乡村振兴资金监管", "资金支出进度", 90, "%"],
    ["农业保险保费补贴", "完成保费补贴结算", null, null],
  ],
  social: [
    ["养老保险基金预算管理", "编制基金预算并按月分析", null, null],
    ["就业补助资金绩效评价", "完成绩效评价项目", 8, "个"],
    ["困难群众救助资金发放", "资金按时足额发放", null, null],
  ],
  economic: [
    ["重点项目资金保障", "保障重点项目", 30, "个"],
    ["专项债券项目储备", "储备项目", 40, "个"],
    ["交通基础设施资金监管", "完成资金监管检查", 12, "次"],
  ],
  education: [
    ["义务教育经费保障", "生均公用经费按标准拨付", null, null],
    ["科技创新资金管理", "完成项目验收", 20, "个"],
  ],
  accounting: [
    ["会计人员继续教育", "参训人数", 2000, "人"],
    ["会计信息质量检查", "检查单位", 30, "家"],
  ],
  debt: [
    ["政府债务风险防控", "债务风险等级保持绿色", null, null],
    ["专项债券资金支出", "专项债支出进度", 95, "%"],
  ],
  procurement: [
    ["政府采购意向公开", "公开率", 100, "%"],
    ["采购代理机构监督评价", "评价代理机构", 25, "家"],
  ],
  it: [
    ["财政业务系统等级保护测评", "通过三级等保测评", null, null],
    ["县区服务器运维巡检", "巡检县区", 20, "个"],
    ["日志平台推广应用", "县区单位日志周报率", 100, "%"],
  ],
};
const GENERIC_TASKS: Template[] = [
  ["党风廉政建设责任落实", "全年无违纪违规问题", null, null],
  ["业务学习与培训", "组织专题学习", 12, "次"],
  ["财政政策调研", "形成调研报告", 3, "篇"],
  ["内控制度建设", "修订内控制度", 5, "项"],
  ["信息宣传工作", "报送信息宣传稿件", 24, "篇"],
  ["重点工作月度调度", "按月调度并通报", 12, "次"],
  ["日清日结工作日志", "日志按时填报率", 95, "%"],
  ["档案资料规范管理", "年度资料按期归档", null, null],
  ["效能监督自查", "开展自查", 4, "次"],
  ["政务服务事项办理", "按时办结率", 100, "%"],
  ["基层调研走访", "走访县区", 10, "个"],
  ["财政资金专项检查配合", "完成检查任务", null, null],
];
const OTHER_ITEMS = [
  "完成领导交办的临时性工作",
  "参加局机关集中学习",
  "配合做好来访接待",
  "整理本处室月度工作台账",
  "参加全市财政系统业务培训",
];
const DELAY_REASONS = [
  "上级政策调整，方案需重新报批",
  "配合单位资料报送滞后",
  "项目单位前期手续未完成",
  "系统升级改造，业务暂停两周",
  "涉及多部门会签，协调时间较长",
];

export interface DemoInput {
  today: string;
  divisions: { id: string; orgId: string; name: string; kind: string }[];
  orgs: { id: string }[];
  staff: DirectoryEntry[];
  /** Demo login people, who get personal arrangements too. */
  people: string[];
  logs: DemoLog[];
  cal: WorkCalendar;
  settings: Pick<DeadlineSettings, "completionDueDay" | "completionRollsToWorkingDay">;
}

export interface DemoPlans {
  tasks: TaskDoc[];
  yearPlans: YearPlanDoc[];
  months: MonthDoc[];
  monthStatus: MonthStatusDoc[];
  evidence: EvidenceDoc[];
  links: LogLinkDoc[];
}

interface Course {
  /** Month work starts, month it is due */
  start: number;
  end: number;
  /** Runs late and is reported as delayed from this month on (0: never). */
  delayedFrom: number;
  reason: string;
}

/** Status and progress of a part at the end of month `m`. */
function stateAt(c: Course, m: number): { status: ProgressStatus; progress: number; reason: string | null } {
  if (m < c.start) return { status: "not_started", progress: 0, reason: null };
  if (c.delayedFrom && m >= c.delayedFrom) {
    const progress = Math.min(90, Math.round(((c.delayedFrom - c.start) / (c.end - c.start + 1)) * 100) + 10);
    return { status: "delayed", progress, reason: c.reason };
  }
  if (m >= c.end) return { status: "done", progress: 100, reason: null };
  return {
    status: "in_progress",
    progress: Math.round(((m - c.start + 1) / (c.end - c.start + 1)) * 90),
    reason: null,
  };
}

/** A submission time near a due date: mostly a day or three early, sometimes a few days late. */
function submittedAt(rng: Rng, due: string, lateChance: number): { at: Date; late: boolean } {
  const late = rng() < lateChance;
  const date = late ? addDays(due, int(rng, 1, 6)) : addDays(due, -int(rng, 0, 3));
  return { at: new Date(`${date}T0${int(rng, 1, 9)}:${String(int(rng, 10, 59))}:00Z`), late };
}

export function generatePlansDemo(input: DemoInput, seed = PLANS_DEMO_SEED): DemoPlans {
  const rng = mulberry32(seed);
  const year = Number(input.today.slice(0, 4));
  const currentMonth = Number(input.today.slice(5, 7));
  const lastMonth = currentMonth - 1;
  const byDivision = new Map<string, DirectoryEntry[]>();
  for (const s of input.staff)
    if (s.status === "active") byDivision.set(s.divisionId, [...(byDivision.get(s.divisionId) ?? []), s]);
  const headOf = (divisionId: string): DirectoryEntry | undefined => {
    const members = byDivision.get(divisionId) ?? [];
    return members.find((s) => s.isDivisionHead) ?? members[0];
  };
  const working = input.divisions.filter((d) => d.kind !== "leadership" && byDivision.has(d.id));
  const sameKind = new Map<string, typeof working>();
  for (const d of working) sameKind.set(d.kind, [...(sameKind.get(d.kind) ?? []), d]);

  const tasks: TaskDoc[] = [];
  const courses = new Map<string, Course>();
  const created = new Date(`${year}-01-10T02:00:00Z`);
  for (const d of working) {
    const head = headOf(d.id)!;
    const pool = [...(KIND_TASKS[d.kind] ?? []), ...GENERIC_TASKS];
    const n = int(rng, 8, Math.min(15, pool.length));
    for (let i = 0; i < n; i++) {
      const [title, target, value, unit] = pool[i];
      const end = int(rng, 3, 12);
      const course: Course = {
        start: int(rng, 1, Math.max(1, end - 2)),
        end,
        delayedFrom: rng() < 0.12 ? int(rng, Math.max(2, end - 2), end) : 0,
        reason: pick(rng, DELAY_REASONS),
      };
      // About one task in eight is shared: with a division of the same organisation, or (for city
      // divisions) with the same kind of division in one or two counties.
      const coop: typeof working = [];
      if (rng() < 0.13) {
        const sameOrg = working.filter((o) => o.orgId === d.orgId && o.id !== d.id);
        const counterparts = (sameKind.get(d.kind) ?? []).filter((o) => o.orgId !== d.orgId);
        if (d.orgId === "city" && counterparts.length && rng() < 0.5)
          coop.push(...new Set([pick(rng, counterparts), pick(rng, counterparts)]));
        else if (sameOrg.length) coop.push(pick(rng, sameOrg));
      }
      const id = `t-${year}-${d.id}-${String(i + 1).padStart(2, "0")}`;
      const mk = (div: (typeof working)[number], role: TaskPart["role"]): TaskPart => {
        const who = role === "lead" ? head : headOf(div.id);
        return {
          divisionId: div.id,
          orgId: div.orgId,
          role,
          responsibleStaffId: who?.id ?? null,
          responsibleName: who?.name ?? null,
          status: "not_started",
          progress: 0,
          reason: null,
          reportedMonth: null,
          evidenceCount: 0,
        };
      };
      const parts = [mk(d, "lead"), ...coop.map((c) => mk(c, "cooperating"))];
      tasks.push({
        _id: id,
        year,
        title: coop.length ? `${title}（联合推进）` : title,
        leadDivisionId: d.id,
        leadOrgId: d.orgId,
        cooperatingDivisionIds: coop.map((c) => c.id),
        participantDivisionIds: parts.map((p) => p.divisionId),
        participantOrgIds: [...new Set(parts.map((p) => p.orgId))],
        responsibleStaffId: head.id,
        responsibleName: head.name,
        target: { text: value === null ? target : `${target}${value}${unit}`, value, unit },
        dueDate: dateOf(year, end, daysInMonth(year, end) > 28 ? 28 : daysInMonth(year, end)),
        weight: int(rng, 1, 4) * 5,
        state: rng() < 0.92 ? "approved" : "draft",
        approvedAt: new Date(`${year}-01-20T03:00:00Z`),
        approvedBy: "demo-hr",
        version: 1,
        parts,
        evidenceCount: 0,
        createdAt: created,
        updatedAt: created,
        createdBy: null,
        rev: 1,
      });
      courses.set(id, course);
    }
  }
  for (const t of tasks) if (t.state === "draft") Object.assign(t, { approvedAt: null, approvedBy: null });

  const tasksOf = new Map<string, TaskDoc[]>();
  for (const t of tasks) for (const p of t.parts) tasksOf.set(p.divisionId, [...(tasksOf.get(p.divisionId) ?? []), t]);
  const active = (t: TaskDoc, m: number): boolean => {
    const c = courses.get(t._id)!;
    return m >= c.start && m <= Math.max(c.end, c.delayedFrom ? currentMonth : c.end);
  };

  // ---- months: division arrangements and completion reports ----
  const months: MonthDoc[] = [];
  const status = new Map<string, MonthStatusDoc>();
  const statusOf = (m: number): MonthStatusDoc => {
    const key = monthKey({ year, month: m });
    if (!status.has(key)) status.set(key, { _id: key, arrangement: {}, completion: {} });
    return status.get(key)!;
  };
  const arrangementFor = (divisionId: string, m: number, scopeTasks: TaskDoc[]): ArrangementItem[] => {
    const serving = scopeTasks.filter((t) => active(t, m));
    const chosen = serving.slice(0, int(rng, 2, 5));
    const items: ArrangementItem[] = chosen.map((t, i) => ({
      id: `i${i + 1}`,
      text: `${pick(rng, ["推进", "落实", "继续做好", "完成阶段性"])}${t.title.replace("（联合推进）", "")}工作`,
      taskId: t._id,
      taskTitle: t.title,
      noTask: false,
    }));
    if (rng() < 0.6 || !items.length)
      items.push({
        id: `i${items.length + 1}`,
        text: pick(rng, OTHER_ITEMS),
        taskId: null,
        taskTitle: null,
        noTask: true,
      });
    void divisionId;
    return items;
  };
  // Divisions that go quiet: miss the last month's report (they show on the overdue list).
  for (const d of working) {
    const scopeTasks = tasksOf.get(d.id) ?? [];
    const laxity = rng() < 0.15 ? 0.2 : 0.03;
    for (let m = 1; m <= currentMonth; m++) {
      const doc: MonthDoc = {
        _id: monthId("division", d.id, year, m),
        scope: "division",
        ownerId: d.id,
        divisionId: d.id,
        orgId: d.orgId,
        year,
        month: m,
        arrangement: null,
        completion: null,
        rev: 1,
      };
      if (rng() >= laxity) {
        const { at, late } = submittedAt(rng, arrangementDue(input.cal, { year, month: m }), laxity);
        doc.arrangement = { items: arrangementFor(d.id, m, scopeTasks), submittedAt: at, submittedBy: null, late };
        statusOf(m).arrangement[d.id] = at;
      }
      const missesReport = m === lastMonth ? rng() < laxity * 3 : rng() < laxity;
      if (m <= lastMonth && !missesReport) {
        const { at, late } = submittedAt(rng, completionDue(input.cal, input.settings, { year, month: m }), laxity * 2);
        const reported = scopeTasks.filter((t) => active(t, m) || courses.get(t._id)!.end === m);
        doc.completion = {
          items: (doc.arrangement?.items ?? []).map((it) => {
            const c = it.taskId ? stateAt(courses.get(it.taskId)!, m) : null;
            const s: ProgressStatus = c?.status === "delayed" ? "delayed" : rng() < 0.85 ? "done" : "in_progress";
            return {
              itemId: it.id,
              status: s,
              progress: s === "done" ? 100 : int(rng, 30, 80),
              reason: s === "delayed" ? c!.reason : null,
              note: null,
            };
          }),
          tasks: reported.map((t) => {
            const s = stateAt(courses.get(t._id)!, m);
            return { taskId: t._id, status: s.status, progress: s.progress, reason: s.reason, note: null };
          }),
          submittedAt: at,
          submittedBy: null,
          late,
        };
        statusOf(m).completion[d.id] = at;
        for (const t of reported) {
          const part = t.parts.find((p) => p.divisionId === d.id)!;
          const s = stateAt(courses.get(t._id)!, m);
          Object.assign(part, {
            ...s,
            progress: s.status === "done" ? 100 : s.progress,
            reportedMonth: monthKey({ year, month: m }),
          });
        }
      }
      months.push(doc);
    }
  }

  // ---- personal arrangements: task responsibles and the demo people, this month and last ----
  const byId = new Map(input.staff.map((s) => [s.id, s]));
  const personTasks = new Map<string, TaskDoc[]>();
  for (const t of tasks)
    for (const id of new Set([t.responsibleStaffId, ...t.parts.map((p) => p.responsibleStaffId)]))
      if (id) personTasks.set(id, [...(personTasks.get(id) ?? []), t]);
  for (const id of new Set([...personTasks.keys(), ...input.people])) {
    const s = byId.get(id);
    if (!s) continue;
    const own = personTasks.get(id) ?? (tasksOf.get(s.divisionId) ?? []).slice(0, 3);
    for (const m of [lastMonth, currentMonth]) {
      if (m < 1) continue;
      const items = arrangementFor(s.divisionId, m, own);
      const doc: MonthDoc = {
        _id: monthId("person", id, year, m),
        scope: "person",
        ownerId: id,
        divisionId: s.divisionId,
        orgId: s.orgId,
        year,
        month: m,
        arrangement: null,
        completion: null,
        rev: 1,
      };
      const arranged = submittedAt(rng, arrangementDue(input.cal, { year, month: m }), 0.1);
      doc.arrangement = { items, submittedAt: arranged.at, submittedBy: null, late: arranged.late };
      if (m === lastMonth) {
        const { at, late } = submittedAt(rng, completionDue(input.cal, input.settings, { year, month: m }), 0.1);
        doc.completion = {
          items: items.map((it) => ({
            itemId: it.id,
            status: "done" as ProgressStatus,
            progress: 100,
            reason: null,
            note: null,
          })),
          tasks: own
            .filter((t) => active(t, m))
            .map((t) => ({ taskId: t._id, ...stateAt(courses.get(t._id)!, m), note: null })),
          submittedAt: at,
          submittedBy: null,
          late,
        };
      }
      months.push(doc);
    }
  }

  // ---- evidence: logs linked to a task their author's division works on that month ----
  const evidence = new Map<string, EvidenceDoc>();
  const links: LogLinkDoc[] = [];
  for (const log of input.logs) {
    const m = Number(log.date.slice(5, 7));
    if (Number(log.date.slice(0, 4)) !== year || rng() < 0.35) continue;
    const candidates = (personTasks.get(log.authorStaffId) ?? tasksOf.get(log.divisionId) ?? []).filter((t) =>
      active(t, m),
    );
    if (!candidates.length) continue;
    const task = pick(rng, candidates);
    const ev = evidence.get(task._id) ?? { _id: task._id, logs: [], rev: 1 };
    ev.logs.push(log);
    evidence.set(task._id, ev);
    links.push({ _id: log.logId, version: 1, taskIds: [task._id], title: log.title, withdrawn: false });
  }
  for (const t of tasks) {
    const logs = evidence.get(t._id)?.logs ?? [];
    t.evidenceCount = logs.length;
    for (const p of t.parts) p.evidenceCount = logs.filter((l) => l.divisionId === p.divisionId).length;
  }

  // ---- year documents: copies of each participant's tasks ----
  const yearPlans = new Map<string, YearPlanDoc>();
  const addTo = (scope: "division" | "person", ownerId: string, t: TaskDoc): void => {
    const id = yearPlanId(scope, ownerId, year);
    const doc = yearPlans.get(id) ?? { _id: id, scope, ownerId, year, tasks: [], rev: 1 };
    const { rev: _rev, ...copy } = t;
    doc.tasks.push(copy as TaskDoc);
    yearPlans.set(id, doc);
  };
  for (const t of tasks) {
    for (const p of t.parts) addTo("division", p.divisionId, t);
    for (const id of new Set([t.responsibleStaffId, ...t.parts.map((p) => p.responsibleStaffId)]))
      if (id) addTo("person", id, t);
  }

  return {
    tasks,
    yearPlans: [...yearPlans.values()],
    months,
    monthStatus: [...status.values()],
    evidence: [...evidence.values()],
    links,
  };
}
