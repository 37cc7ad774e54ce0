/** The pure rules of the documents service: the flow engine, due dates over holidays and 调休, 文号, bodies, file types. */
import { WorkCalendar } from "../../../shared/calendar";
import type { FlowStep } from "../../../shared/contracts/documents";
import { checkFileType } from "../../../shared/files";
import { sanitizeBody } from "../../../services/documents/body";
import { dueDate, handlingDue } from "../../../services/documents/deadlines";
import {
  FlowError,
  act,
  checkSteps,
  defaultFlow,
  enterStep,
  openTasks,
  returnTo,
  withdraw,
  withdrawer,
  type FlowState,
  type Resolved,
} from "../../../services/documents/flows";
import { formatNumber, numberPrefix, orgPrefix } from "../../../services/documents/numbering";

const person = (id: string): Resolved => ({ staffId: id, name: id, divisionId: null, coversFor: null });
const T0 = "2026-03-10T02:00:00.000Z";
const later = (n: number) => new Date(Date.parse(T0) + n * 60_000).toISOString();

describe("the flow engine", () => {
  const steps: FlowStep[] = defaultFlow("city", "outgoing", "张财").steps;
  const start = (): FlowState => enterStep({ steps, step: 0, tasks: [], timeline: [] }, 0, [person("drafter")], T0);

  test("a serial step opens one task, for the first person found", () => {
    const s = enterStep(start(), 1, [person("head"), person("other")], later(1));
    expect(openTasks(s).map((t) => t.assigneeId)).toEqual(["head"]);
  });

  test("a parallel step (会签) is complete only when every countersigner has acted", () => {
    let s = enterStep(start(), 2, [person("treasury"), person("general")], later(1));
    expect(openTasks(s)).toHaveLength(2);
    const first = act(s, "treasury", "treasury", "同意", "approve", later(2));
    expect(first.complete).toBe(false);
    s = first.state;
    const second = act(s, "general", "general", "原则同意", "approve", later(3));
    expect(second.complete).toBe(true);
    expect(second.state.timeline.map((e) => [e.name, e.opinion])).toEqual([
      ["treasury", "同意"],
      ["general", "原则同意"],
    ]);
  });

  test("only the assignee of the current step may act", () => {
    const s = enterStep(start(), 1, [person("head")], later(1));
    expect(() => act(s, "drafter", "drafter", null, "approve", later(2))).toThrow(FlowError);
  });

  test("a return goes to an earlier step with its reason and cancels the step's other tasks", () => {
    const s = enterStep(start(), 2, [person("a"), person("b")], later(1));
    const r = returnTo(s, "a", "a", 0, "数据有误", later(2));
    expect(r.tasks.filter((t) => t.step === 2).map((t) => t.status)).toEqual(["returned", "cancelled"]);
    expect(r.timeline.at(-1)).toMatchObject({ event: "return", opinion: "数据有误", detail: "退回至「拟稿」" });
    expect(() => returnTo(s, "a", "a", 2, "x", later(2))).toThrow("只能退回到之前的步骤");
    const first = enterStep({ steps, step: 0, tasks: [], timeline: [] }, 0, [person("d")], T0);
    expect(() => returnTo(first, "d", "d", 0, "x", later(1))).toThrow("该步骤不能退回");
  });

  test("the sender withdraws until the next person acts, and not after", () => {
    let s = start();
    s = act(s, "drafter", "drafter", null, "submit", later(1)).state;
    s = enterStep(s, 1, [person("head")], later(1));
    expect(withdrawer(s, false)?.assigneeId).toBe("drafter");
    const w = withdraw(s, "drafter", "drafter", false, later(2));
    expect(w.step).toBe(0);
    expect(openTasks(w).map((t) => t.assigneeId)).toEqual(["drafter"]);
    expect(w.tasks.find((t) => t.assigneeId === "head")!.status).toBe("withdrawn");
    expect(() => withdraw(s, "head", "head", false, later(2))).toThrow(FlowError);
    // Once the head has acted, the drafter can no longer take it back.
    const acted = enterStep(act(s, "head", "head", "同意", "approve", later(3)).state, 2, [person("c")], later(3));
    expect(withdrawer(acted, false)?.assigneeId).toBe("head");
    expect(() => withdraw(acted, "drafter", "drafter", false, later(4))).toThrow(FlowError);
  });

  test("a person covering an absent assignee shows in the task and the timeline", () => {
    const s = enterStep(
      start(),
      4,
      [{ ...person("b"), coversFor: { staffId: "a", name: "局长", reason: "（年假），B岗" } }],
      later(1),
    );
    expect(openTasks(s)[0]).toMatchObject({ assigneeId: "b", coversFor: { staffId: "a" } });
    expect(s.timeline.at(-1)!.detail).toBe("局长（年假），B岗，由b代为办理");
  });

  test("a flow needs a 批办 before its 承办 step, and unique keys", () => {
    const incoming = defaultFlow("zhangbei", "incoming", "张北财").steps;
    expect(checkSteps(incoming)).toBeNull();
    expect(checkSteps([incoming[3]])).toBe("承办步骤之前要有批办步骤");
    expect(checkSteps([incoming[0], incoming[0]])).toBe("步骤标识不能重复");
  });
});

describe("due dates on the working-day calendar", () => {
  const cal = new WorkCalendar();
  test("the Spring Festival holiday does not count, its 调休 Saturday does", () => {
    // 2026: 春节 15–23 February; Saturday 14 February is a make-up working day.
    expect(cal.isWorkingDay("2026-02-14")).toBe(true);
    expect(dueDate(cal, "2026-02-12", 5)).toBe("2026-02-26");
  });
  test("urgency shortens the time allowed", () => {
    const days = { 平件: 10, 加急: 5, 特急: 2 };
    expect(handlingDue(cal, "2026-03-10", "特急", days)).toBe("2026-03-12");
    expect(handlingDue(cal, "2026-03-10", "平件", days)).toBe("2026-03-24");
  });
  test("an override from personnel (a day made non-working) moves the due date", () => {
    expect(dueDate(new WorkCalendar(new Map([["2026-03-11", false]])), "2026-03-10", 2)).toBe("2026-03-13");
  });
});

describe("文号 and bodies", () => {
  test("the number reads 张财办〔2026〕12号; a county's prefix comes from its short name", () => {
    expect(formatNumber(numberPrefix(orgPrefix("city", "市局"), "通知"), 2026, 12)).toBe("张财办〔2026〕12号");
    expect(numberPrefix(orgPrefix("zhangbei", "张北县"), "函")).toBe("张北财函");
    expect(orgPrefix("chabei", "察北管理区")).toBe("察北财");
  });
  test("a body keeps its paragraphs and loses scripts, handlers and links", () => {
    expect(
      sanitizeBody(
        '<p class="indent">各处室：</p><script>alert(1)</script><p onclick="x()"><a href="javascript:x">点</a>此</p>',
      ),
    ).toBe('<p class="indent">各处室：</p><p>点此</p>');
  });
});

describe("upload types by content", () => {
  test("a PDF is a PDF whatever its name; an executable is refused even named .pdf", async () => {
    expect(await checkFileType(Buffer.from("%PDF-1.7\n%…"), "通知.txt")).toMatchObject({ mime: "application/pdf" });
    expect(
      await checkFileType(Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), "a.pdf"),
    ).toBeNull();
  });
  test("plain UTF-8 text is accepted, binary without a known type is not", async () => {
    expect(await checkFileType(Buffer.from("关于报送材料的说明\n"), "说明.txt")).toMatchObject({
      mime: "text/plain; charset=utf-8",
    });
    expect(await checkFileType(Buffer.from([0, 1, 2, 3, 250, 251]), "x.bin")).toBeNull();
  });
});
