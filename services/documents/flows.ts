/**
 * The flow engine, pure: a document's steps (a copy of its organisation's flow, taken when the
 * flow starts, so an edited flow changes only new documents), its tasks and its timeline. Who a
 * step goes to is resolved outside (data/people.ts) and passed in; these functions only move the
 * state and say what is allowed. Unit-tested in test/unit/documents/flows.test.ts.
 */
import type { DocKind, Flow, FlowStep, Task, TaskStatus, TimelineEntry } from "../../shared/contracts/documents";

/** A person a step goes to, found by data/people.ts. */
export interface Resolved {
  staffId: string;
  name: string;
  divisionId: string | null;
  coversFor: Task["coversFor"];
}

export interface FlowState {
  steps: FlowStep[];
  step: number;
  tasks: Task[];
  timeline: TimelineEntry[];
}

export class FlowError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: 403 | 409 | 422 = 409,
  ) {
    super(message);
  }
}

const step = (key: string, name: string, s: Partial<FlowStep> & Pick<FlowStep, "assignees">): FlowStep => ({
  key,
  name,
  mode: "serial",
  mayReturn: true,
  action: "approve",
  ...s,
});

/** The flows an organisation starts with, until an administrator edits them. */
export function defaultFlow(orgId: string, kind: DocKind, numberPrefix: string): Flow {
  const head = (division: "drafter" | "countersign" | "handling" | `kind:${string}`) => ({
    type: "divisionHead" as const,
    division,
  });
  const steps: Record<DocKind, FlowStep[]> = {
    outgoing: [
      step("draft", "拟稿", { assignees: [{ type: "drafter" }], mayReturn: false }),
      step("review", "核稿", { assignees: [head("drafter")] }),
      step("countersign", "会签", { assignees: [head("countersign")], mode: "parallel" }),
      step("check", "审核", { assignees: [head("kind:office")] }),
      step("sign", "签发", { assignees: [head("kind:leadership")], action: "sign" }),
    ],
    incoming: [
      step("receive", "签收", { assignees: [head("kind:office")], mayReturn: false, action: "receive" }),
      step("propose", "拟办", { assignees: [head("kind:office")], action: "propose" }),
      step("assign", "批办", { assignees: [head("kind:leadership")], action: "assign" }),
      step("handle", "承办", { assignees: [head("handling")], mode: "parallel", action: "handle" }),
    ],
    request: [
      step("draft", "拟稿", { assignees: [{ type: "drafter" }], mayReturn: false }),
      step("review", "核稿", { assignees: [head("drafter")] }),
      step("sign", "审批", { assignees: [head("kind:leadership")], action: "sign" }),
    ],
  };
  return {
    orgId,
    kind,
    steps: steps[kind],
    numberPrefix,
    dueWorkingDays: { 平件: 10, 加急: 5, 特急: 2 },
    updatedAt: null,
  };
}

/** A flow's steps are sound: a first step, unique keys, the handling step after the assigning one. */
export function checkSteps(steps: FlowStep[]): string | null {
  if (!steps.length) return "流程至少要有一个步骤";
  const keys = new Set(steps.map((s) => s.key));
  if (keys.size !== steps.length) return "步骤标识不能重复";
  const assign = steps.findIndex((s) => s.action === "assign");
  const handling = steps.findIndex((s) =>
    s.assignees.some((a) => a.type === "divisionHead" && a.division === "handling"),
  );
  if (handling >= 0 && (assign < 0 || assign > handling)) return "承办步骤之前要有批办步骤";
  return null;
}

export const openTasks = (s: FlowState, at = s.step): Task[] =>
  s.tasks.filter((t) => t.step === at && t.status === "open");

/** The caller's open task at the current step. */
export function myTask(s: FlowState, staffId: string | null): Task | undefined {
  return staffId ? openTasks(s).find((t) => t.assigneeId === staffId) : undefined;
}

let seq = 0;
const taskId = (): string => `t${Date.now().toString(36)}${(seq++ % 1296).toString(36).padStart(2, "0")}`;

/** Opens the tasks of a step for the people resolved for it (one for a serial step). */
export function enterStep(
  s: FlowState,
  at: number,
  people: Resolved[],
  now: string,
  dueDate: string | null = null,
): FlowState {
  const st = s.steps[at];
  const who = st.mode === "parallel" ? people : people.slice(0, 1);
  const tasks: Task[] = who.map((p) => ({
    id: taskId(),
    step: at,
    assigneeId: p.staffId,
    assigneeName: p.name,
    coversFor: p.coversFor,
    divisionId: p.divisionId,
    status: "open",
    opinion: null,
    createdAt: now,
    actedAt: null,
    dueDate,
  }));
  const delegated: TimelineEntry[] = who
    .filter((p) => p.coversFor)
    .map((p) => ({
      at: now,
      event: "delegate",
      step: st.name,
      staffId: p.staffId,
      name: p.name,
      opinion: null,
      detail: `${p.coversFor!.name}${p.coversFor!.reason}，由${p.name}代为办理`,
    }));
  return { ...s, step: at, tasks: [...s.tasks, ...tasks], timeline: [...s.timeline, ...delegated] };
}

const setStatus = (
  tasks: Task[],
  pick: (t: Task) => boolean,
  status: TaskStatus,
  now: string,
  opinion?: string | null,
) =>
  tasks.map((t) =>
    pick(t) ? { ...t, status, actedAt: now, opinion: opinion === undefined ? t.opinion : opinion } : t,
  );

/** The caller completes their task with an opinion. `complete`: every task of the step is done. */
export function act(
  s: FlowState,
  staffId: string,
  name: string,
  opinion: string | null,
  event: string,
  now: string,
  detail: string | null = null,
): { state: FlowState; task: Task; complete: boolean } {
  const task = myTask(s, staffId);
  if (!task) throw new FlowError("NOT_YOUR_STEP", "当前步骤不是你办理", 403);
  const tasks = setStatus(s.tasks, (t) => t.id === task.id, "done", now, opinion);
  const state: FlowState = {
    ...s,
    tasks,
    timeline: [...s.timeline, { at: now, event, step: s.steps[s.step].name, staffId, name, opinion, detail }],
  };
  return { state, task: { ...task, status: "done", opinion, actedAt: now }, complete: openTasks(state).length === 0 };
}

/** Returns the document to an earlier step, with a reason; the current step's other tasks are cancelled. */
export function returnTo(
  s: FlowState,
  staffId: string,
  name: string,
  to: number,
  reason: string,
  now: string,
): FlowState {
  const task = myTask(s, staffId);
  if (!task) throw new FlowError("NOT_YOUR_STEP", "当前步骤不是你办理", 403);
  if (!s.steps[s.step].mayReturn) throw new FlowError("RETURN_NOT_ALLOWED", "该步骤不能退回", 403);
  if (!Number.isInteger(to) || to < 0 || to >= s.step) throw new FlowError("RETURN_STEP", "只能退回到之前的步骤", 422);
  const tasks = s.tasks.map((t) =>
    t.id === task.id
      ? { ...t, status: "returned" as const, opinion: reason, actedAt: now }
      : t.step === s.step && t.status === "open"
        ? { ...t, status: "cancelled" as const, actedAt: now }
        : t,
  );
  const entry: TimelineEntry = {
    at: now,
    event: "return",
    step: s.steps[s.step].name,
    staffId,
    name,
    opinion: reason,
    detail: `退回至「${s.steps[to].name}」`,
  };
  return { ...s, tasks, timeline: [...s.timeline, entry] };
}

/**
 * Who may withdraw (撤回): the person whose action moved the document on, until anyone after them
 * has acted. `finished`: the flow has ended (signed, waiting to be issued): its last actor may take it back.
 */
export function withdrawer(s: FlowState, finished: boolean): Task | null {
  const prev = finished ? s.step : s.step - 1;
  if (prev < 0) return null;
  if (!finished && s.tasks.some((t) => t.step === s.step && t.status !== "open" && t.createdAt >= lastEntry(s, prev)))
    return null;
  const done = s.tasks.filter((t) => t.step === prev && t.status === "done");
  if (!done.length) return null;
  return done.reduce((a, b) => ((b.actedAt ?? "") > (a.actedAt ?? "") ? b : a));
}

const lastEntry = (s: FlowState, step: number): string =>
  s.tasks
    .filter((t) => t.step === step && t.status === "done")
    .reduce((m, t) => ((t.actedAt ?? "") > m ? (t.actedAt ?? "") : m), "");

/** Withdraws: the next step's open tasks go, and the withdrawer's task is open again. */
export function withdraw(s: FlowState, staffId: string, name: string, finished: boolean, now: string): FlowState {
  const mine = withdrawer(s, finished);
  if (!mine || mine.assigneeId !== staffId)
    throw new FlowError("WITHDRAW_NOT_ALLOWED", "只能在下一步办理人处理之前由上一步办理人撤回", 409);
  const tasks = s.tasks.map((t) =>
    t.id === mine.id
      ? { ...t, status: "withdrawn" as const }
      : !finished && t.step === s.step && t.status === "open"
        ? { ...t, status: "withdrawn" as const, actedAt: now }
        : t,
  );
  const reopened: Task = { ...mine, id: taskId(), status: "open", opinion: null, actedAt: null, createdAt: now };
  const entry: TimelineEntry = {
    at: now,
    event: "withdraw",
    step: s.steps[mine.step].name,
    staffId,
    name,
    opinion: null,
    detail: null,
  };
  return { ...s, step: mine.step, tasks: [...tasks, reopened], timeline: [...s.timeline, entry] };
}
