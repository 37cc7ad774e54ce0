/**
 * Which reminders are due at an instant: pure, from what the owning services report (who is
 * overdue, the staff directory, each organisation's settings). Each reminder carries the
 * idempotency key that makes it "once": a person's run of missed logs (keyed by its first missed
 * day), an organisation's ISO week, a division's month.
 */
import type { OrgReminderSettings, ReminderPolicy } from "../../shared/contracts/reminders";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import type { OverdueReport } from "../../shared/contracts/plans";
import type { OverdueItem } from "../../shared/contracts/worklog";
import { isoWeekday, messageKey, render, weekKey, zhDate } from "./rules";

export interface Reminder {
  key: string;
  policy: ReminderPolicy;
  subject: string;
  period: string;
  recipient: DirectoryEntry;
  essential: boolean;
  body: string;
  /** In-app title and link (the web client's page for what is overdue). */
  title: string;
  link: string;
}

export interface PlanInput {
  /** Local date and "HH:MM" of the run. */
  today: string;
  hm: string;
  settingsOf: (orgId: string) => OrgReminderSettings;
  directory: ReadonlyMap<string, DirectoryEntry>;
  worklogOverdue: OverdueItem[];
  /** Designated organisation-log authors, per organisation (from worklog's policies). */
  orgLogAuthors: ReadonlyMap<string, string[]>;
  /** null when the plans service gave no answer; its policies then wait for the next run. */
  plansOverdue: OverdueReport[] | null;
}

const fires = (s: { enabled: boolean; time: string }, hm: string): boolean => s.enabled && hm >= s.time;

/** The head of a division: the directory's isDivisionHead, active. */
export function headsByDivision(directory: ReadonlyMap<string, DirectoryEntry>): Map<string, DirectoryEntry> {
  const out = new Map<string, DirectoryEntry>();
  for (const s of directory.values())
    if (s.isDivisionHead && s.status === "active" && !out.has(s.divisionId)) out.set(s.divisionId, s);
  return out;
}

export function planReminders(input: PlanInput): Reminder[] {
  const out: Reminder[] = [];
  const heads = headsByDivision(input.directory);
  const push = (
    policy: ReminderPolicy,
    subject: string,
    period: string,
    recipient: DirectoryEntry | undefined,
    settings: OrgReminderSettings[ReminderPolicy],
    vars: Record<string, string | number>,
    title: string,
    link: string,
  ): void => {
    if (!recipient || recipient.status !== "active") return;
    out.push({
      key: messageKey(policy, subject, period, recipient.id),
      policy,
      subject,
      period,
      recipient,
      essential: settings.essential,
      body: render(settings.template, { name: recipient.name, ...vars }),
      title,
      link,
    });
  };

  for (const item of input.worklogOverdue) {
    const s = input.settingsOf(item.orgId);
    const since = zhDate(item.missingSince);
    if (item.kind === "personal" && item.staffId) {
      const person = input.directory.get(item.staffId);
      const what = item.rule === "daily" ? `${since}的工作日志` : `${since}那一周的工作日志`;
      if (fires(s.personal, input.hm))
        push(
          "personal",
          item.staffId,
          item.missingSince,
          person,
          s.personal,
          { what, since, missed: item.missed },
          "工作日志待补写",
          "/worklog/write",
        );
      const unit = item.rule === "daily" ? "天" : "周";
      if (person && fires(s.escalation, input.hm) && item.missed >= s.escalation.afterMissed) {
        const head = heads.get(person.divisionId);
        if (head && head.id !== person.id)
          push(
            "escalation",
            item.staffId,
            item.missingSince,
            head,
            s.escalation,
            { person: person.name, what, since, missed: `${item.missed}${unit}` },
            `${person.name}的工作日志已逾期`,
            `/worklog/people/${person.id}`,
          );
      }
    }
    if (item.kind === "org") {
      const ow = s.orgWeekly;
      // On the set weekday or later in the week: a holiday on the set day moves it to the next working day.
      if (!fires(ow, input.hm) || isoWeekday(input.today) < ow.weekday) continue;
      const period = weekKey(input.today);
      const ids = new Set([...(input.orgLogAuthors.get(item.orgId) ?? []), ...ow.adminStaffIds]);
      const what = `自${since}那一周起的单位日志`;
      for (const id of ids)
        push(
          "orgWeekly",
          item.orgId,
          period,
          input.directory.get(id),
          ow,
          { org: item.name, what, since },
          "单位日志待发布",
          "/worklog/write?kind=org",
        );
    }
  }

  for (const r of input.plansOverdue ?? []) {
    const s = input.settingsOf(r.orgId)[r.kind];
    if (!fires(s, input.hm)) continue;
    const month = `${r.year}-${String(r.month).padStart(2, "0")}`;
    const what = r.kind === "arrangement" ? `${r.month}月工作安排` : `${r.month}月完成情况`;
    push(
      r.kind,
      r.divisionId,
      month,
      heads.get(r.divisionId),
      s,
      { division: r.divisionName, what, days: r.daysOverdue },
      `${r.divisionName}${what}逾期未报`,
      `/plans/months/${month}`,
    );
  }
  return out;
}
