/** Labels of the SMS reminder policies and message statuses (who may see or change them is in @shared/permissions). */
import type { ReminderPolicy, SmsStatus } from "@shared/contracts/reminders";

export const POLICY_LABELS: Record<ReminderPolicy, { title: string; desc: string }> = {
  personal: { title: "个人日志未写", desc: "工作日截止后仍未写日志，提醒本人" },
  escalation: { title: "连续未写告知负责人", desc: "连续多次未写日志，告知处室负责人督促" },
  orgWeekly: { title: "单位周日志", desc: "本周单位日志未发布，提醒指定的撰写人和单位管理员" },
  arrangement: { title: "月度工作安排逾期", desc: "处室月度工作安排逾期未报，提醒处室负责人" },
  completion: { title: "完成情况逾期", desc: "处室上月完成情况逾期未报，提醒处室负责人" },
};

export const SMS_STATUS_LABELS: Record<SmsStatus | "attempt" | "provider", { label: string; color: string }> = {
  pending: { label: "待发送", color: "default" },
  sent: { label: "已发送", color: "processing" },
  delivered: { label: "已送达", color: "success" },
  failed: { label: "发送失败", color: "error" },
  skipped: { label: "未发送", color: "warning" },
  attempt: { label: "尝试发送", color: "default" },
  provider: { label: "运营商回执", color: "default" },
};

/** The placeholders a template may use, with sample values for the preview. */
export const TEMPLATE_VARS: Record<string, { label: string; sample: string }> = {
  name: { label: "收件人姓名", sample: "张伟" },
  what: { label: "逾期事项", sample: "3月10日的工作日志" },
  person: { label: "未写日志的人", sample: "李娜" },
  org: { label: "单位", sample: "张北县财政局" },
  division: { label: "处室", sample: "预算科" },
  since: { label: "起始日期", sample: "3月6日" },
  missed: { label: "连续未写", sample: "3天" },
  days: { label: "逾期天数", sample: "2" },
};

/** The template with sample values filled in; unknown placeholders stay visible. */
export const preview = (template: string): string =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => TEMPLATE_VARS[k]?.sample ?? m);
