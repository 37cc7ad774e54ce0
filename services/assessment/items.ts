/** Each item's score (0–100, one decimal) and how it was reached, from its counters and the scheme. Pure. */
import type {
  AttendanceCounters,
  LogCounters,
  SchemeInput,
  TaskCounters,
  TimelinessCounters,
} from "../../shared/contracts/assessment";

export const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
const pct = (x: number | null): string => (x === null ? "—" : `${round(x * 100, 1)}%`);
const clamp100 = (x: number): number => Math.max(0, Math.min(100, x));

export interface Raw {
  score: number | null;
  detail: string;
}

export function logsItem(c: LogCounters, s: SchemeInput): Raw {
  if (!c.due) return { score: null, detail: "本年度无应写日志" };
  const credit = c.onTime + s.rules.logLateCredit * (c.done - c.onTime);
  return {
    score: round(clamp100((credit / c.due / s.rules.logFullRate) * 100), 1),
    detail: `应写 ${c.due}，已写 ${c.done}（按时 ${c.onTime}），完成率 ${pct(c.rate)}；迟交按 ${s.rules.logLateCredit} 计，完成率达 ${pct(s.rules.logFullRate)} 得满分`,
  };
}

export function attendanceItem(a: AttendanceCounters, s: SchemeInput): Raw {
  if (!a.recorded) return { score: null, detail: "本年度无考勤记录" };
  const off = s.rules.absentPenalty * a.absent + s.rules.personalLeavePenalty * a.leavePersonal;
  return {
    score: round(clamp100(100 - off), 1),
    detail: `记录 ${a.recorded} 天，缺勤 ${a.absent} 天（每天扣 ${s.rules.absentPenalty} 分），事假 ${a.leavePersonal} 天（每天扣 ${s.rules.personalLeavePenalty} 分）`,
  };
}

export function indicatorItem(value: number, target: number, unit: string, items: number): Raw {
  return {
    score: round(clamp100((value / target) * 100), 1),
    detail: `${items} 条，合计 ${round(value, 2)} ${unit}；达 ${target} ${unit} 得满分`,
  };
}

export function tasksItem(c: TaskCounters & { credit: number | null }, s: SchemeInput): Raw {
  if (c.credit === null) return { score: null, detail: "本年度无已审定的任务" };
  return {
    score: round(clamp100(c.credit), 1),
    detail: `任务 ${c.parts} 项：完成 ${c.done}，进行中 ${c.inProgress}，延期 ${c.delayed}（按进度的 ${s.rules.delayedCredit} 计），未开始 ${c.notStarted}，逾期 ${c.late}；按权重加权`,
  };
}

export function timelinessItem(c: TimelinessCounters): Raw {
  if (!c.due) return { score: null, detail: "本年度尚无到期的月度填报" };
  return {
    score: round((c.onTime / c.due) * 100, 1),
    detail: `应报 ${c.due}，已报 ${c.submitted}，按时 ${c.onTime}，及时率 ${pct(c.rate)}`,
  };
}
