/**
 * Moving a document on after a step is complete: the next step that has someone to go to is
 * entered (a step nobody is named for, such as 会签 without countersigning divisions, is passed
 * over and the timeline says so); after the last step the flow ends: an outgoing document waits to
 * be issued, a request (签报) is done, an incoming one is done and its result goes back to the sender.
 */
import type { TimelineEntry } from "../../../shared/contracts/documents";
import { enterStep, type FlowState } from "../flows";
import type { DocDoc } from "./models";
import { resolveStep } from "./people";
import type { This } from "../types";

const stateOf = (d: DocDoc): FlowState => ({ steps: d.steps, step: d.step, tasks: d.tasks, timeline: d.timeline });
const withState = (d: DocDoc, s: FlowState): DocDoc => ({ ...d, step: s.step, tasks: s.tasks, timeline: s.timeline });

export { stateOf, withState };

/** Enters step `from` or the first later one with assignees; ends the flow when there is none. */
export async function enterFrom(svc: This, doc: DocDoc, from: number): Promise<DocDoc> {
  const now = svc.now().toISOString();
  let d = doc;
  for (let at = from; at < d.steps.length; at++) {
    const step = d.steps[at];
    const people = await resolveStep(svc, step, d, svc.today());
    if (!people.length) {
      const skip: TimelineEntry = {
        at: now,
        event: "skip",
        step: step.name,
        staffId: null,
        name: "系统",
        opinion: null,
        detail: "无办理人，跳过",
      };
      d = { ...d, timeline: [...d.timeline, skip] };
      continue;
    }
    const due = step.action === "handle" ? d.handlingDue : null;
    d = withState(d, enterStep(stateOf(d), at, people, now, due));
    const ids = new Set(d.participants);
    for (const p of people) {
      ids.add(p.staffId);
      if (p.coversFor) ids.add(p.coversFor.staffId);
    }
    return { ...d, stage: at === 0 && d.kind !== "incoming" ? "draft" : "flow", participants: [...ids] };
  }
  const end: TimelineEntry = {
    at: now,
    event: "end",
    step: null,
    staffId: null,
    name: "系统",
    opinion: null,
    detail: null,
  };
  if (d.kind === "outgoing")
    return {
      ...d,
      stage: "signed",
      step: d.steps.length - 1,
      timeline: [...d.timeline, { ...end, detail: "签发完毕，待编号分发" }],
    };
  const handling = d.steps.findIndex((s) => s.action === "handle");
  const results = d.tasks.filter((t) => t.step === handling && t.status === "done" && t.opinion).map((t) => t.opinion);
  const result = d.kind === "incoming" && results.length ? results.join("；") : d.result;
  return {
    ...d,
    stage: "done",
    step: d.steps.length - 1,
    result,
    timeline: [...d.timeline, { ...end, event: "done", detail: "办结" }],
  };
}
