/** What staff import tests feed in: the import columns and one row that passes every check. */

/** The columns a staff workbook is imported with (the export's, less 年龄段, 岗位 and 状态). */
export const STAFF_IMPORT_HEADERS = [
  "工号",
  "姓名",
  "性别",
  "出生日期",
  "学历",
  "政治面貌",
  "职务职级",
  "单位",
  "处室",
  "手机号",
  "入职日期",
];

/** A new (no 工号) member of 张北县财政局's 预算股, good in every column of STAFF_IMPORT_HEADERS. */
export const GOOD_STAFF_ROW = [
  "",
  "赵一鸣",
  "男",
  "1988-01-02",
  "本科",
  "中共党员",
  "科员",
  "张北县财政局",
  "预算股",
  "13800001111",
  "2010-08-01",
];
