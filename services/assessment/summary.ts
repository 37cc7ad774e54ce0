/**
 * The one-click summary tables (汇总表): which columns the counties, divisions and staff tables
 * have. shared/report-table.ts turns them into the .xlsx workbook and the print page (直接打印).
 */
import {
  GRADE_LABELS,
  type DivisionResult,
  type ItemKey,
  type OrgResult,
  type StaffResult,
} from "../../shared/contracts/assessment";
import { FORMAT, type Cell, type Column, type Table } from "../../shared/report-table";

const { pct: PCT, score: SCORE, one: ONE } = FORMAT;

const itemOf = (items: { item: ItemKey; score: number | null }[], k: ItemKey): Cell =>
  items.find((i) => i.item === k)?.score ?? null;

function unitColumns<T extends OrgResult | DivisionResult>(): Column<T>[] {
  return [
    { group: null, header: "人数", width: 7, value: (r) => r.people },
    { group: "年度任务", header: "任务数", width: 8, value: (r) => r.tasks.parts },
    { group: "年度任务", header: "已完成", width: 8, value: (r) => r.tasks.done },
    { group: "年度任务", header: "延期", width: 7, value: (r) => r.tasks.delayed },
    { group: "年度任务", header: "逾期", width: 7, value: (r) => r.tasks.late },
    {
      group: "年度任务",
      header: "加权进度",
      width: 9,
      format: PCT,
      value: (r) => (r.tasks.weightedProgress === null ? null : r.tasks.weightedProgress / 100),
    },
    { group: "月度填报", header: "应报", width: 7, value: (r) => r.timeliness.due },
    { group: "月度填报", header: "按时", width: 7, value: (r) => r.timeliness.onTime },
    { group: "月度填报", header: "及时率", width: 8, format: PCT, value: (r) => r.timeliness.rate },
    { group: "工作日志", header: "应写", width: 8, value: (r) => r.logs.due },
    { group: "工作日志", header: "已写", width: 8, value: (r) => r.logs.done },
    { group: "工作日志", header: "完成率", width: 8, format: PCT, value: (r) => r.logs.rate },
    { group: "指标", header: "网络学习(学时)", width: 10, format: ONE, value: (r) => r.indicators.learningHours },
    { group: "指标", header: "信息报送(分)", width: 10, format: ONE, value: (r) => r.indicators.informationPoints },
    { group: "指标", header: "宣传(分)", width: 9, format: ONE, value: (r) => r.indicators.publicityPoints },
    { group: null, header: "出勤率", width: 8, format: PCT, value: (r) => r.attendanceRate },
    { group: null, header: "优秀人数", width: 8, value: (r) => r.grades.excellent },
    { group: null, header: "得分", width: 8, format: SCORE, value: (r) => r.score },
  ];
}

export function countiesTable(year: number, orgs: OrgResult[], generated: string): Table<OrgResult> {
  return {
    sheetName: "县区对比",
    title: `${year}年度县区财政局考核对比排名表`,
    subtitle: `20 个县区按综合得分排名 · 生成于 ${generated}`,
    columns: [
      { group: null, header: "排名", width: 6, value: (r) => r.rank },
      { group: null, header: "单位", width: 16, value: (r) => r.name },
      ...unitColumns<OrgResult>(),
    ],
    rows: orgs.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)),
  };
}

export function divisionsTable(
  year: number,
  scopeName: string,
  divisions: DivisionResult[],
  orgName: (id: string) => string,
  generated: string,
): Table<DivisionResult> {
  return {
    sheetName: "处室汇总",
    title: `${year}年度${scopeName}处室考核汇总表`,
    subtitle: `${scopeName} · 生成于 ${generated}`,
    columns: [
      { group: null, header: "排名", width: 6, value: (r) => r.rank },
      { group: null, header: "单位", width: 16, value: (r) => orgName(r.orgId) },
      { group: null, header: "处室", width: 18, value: (r) => r.name },
      ...unitColumns<DivisionResult>(),
    ],
    rows: divisions,
  };
}

export function staffTable(
  year: number,
  scopeName: string,
  staff: StaffResult[],
  orgName: (id: string) => string,
  generated: string,
): Table<StaffResult> {
  const item = (k: ItemKey, header: string): Column<StaffResult> => ({
    group: "各项得分",
    header,
    width: 8,
    format: ONE,
    value: (r) => itemOf(r.items, k),
  });
  return {
    sheetName: "干部汇总",
    title: `${year}年度${scopeName}干部职工考核汇总表`,
    subtitle: `${scopeName} · 生成于 ${generated} · 出勤仅对本人、本单位管理员和局领导显示`,
    columns: [
      { group: null, header: "单位排名", width: 7, value: (r) => r.rank },
      { group: null, header: "工号", width: 9, value: (r) => r.staffId },
      { group: null, header: "姓名", width: 9, value: (r) => r.name },
      { group: null, header: "单位", width: 14, value: (r) => orgName(r.orgId) },
      { group: null, header: "处室", width: 14, value: (r) => r.divisionName },
      { group: "工作日志", header: "应写", width: 7, value: (r) => r.logs.due },
      { group: "工作日志", header: "已写", width: 7, value: (r) => r.logs.done },
      { group: "工作日志", header: "完成率", width: 8, format: PCT, value: (r) => r.logs.rate },
      { group: "出勤", header: "记录天数", width: 8, value: (r) => r.attendance?.recorded ?? null },
      { group: "出勤", header: "缺勤", width: 6, value: (r) => r.attendance?.absent ?? null },
      { group: "出勤", header: "事假", width: 6, value: (r) => r.attendance?.leavePersonal ?? null },
      { group: "指标", header: "学时", width: 7, format: ONE, value: (r) => r.indicators.learningHours },
      { group: "指标", header: "信息分", width: 7, format: ONE, value: (r) => r.indicators.informationPoints },
      { group: "指标", header: "宣传分", width: 7, format: ONE, value: (r) => r.indicators.publicityPoints },
      item("tasks", "任务"),
      item("logs", "日志"),
      item("attendance", "出勤"),
      item("learning", "学习"),
      item("information", "信息"),
      item("publicity", "宣传"),
      { group: null, header: "总分", width: 8, format: SCORE, value: (r) => r.score },
      { group: null, header: "等级", width: 9, value: (r) => GRADE_LABELS[r.grade] },
    ],
    rows: staff,
  };
}

/** One of the summary tables, whatever its rows. */
export type SummarySheet = Table<OrgResult> | Table<DivisionResult> | Table<StaffResult>;
