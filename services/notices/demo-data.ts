/**
 * Deterministic demo data for the 12 months up to "now": notices to the bureau, organisations and
 * divisions with read receipts, published by each scope's office. The same input always gives the
 * same data.
 */
import { addDays } from "../../shared/calendar";
import type { NoticeScope } from "../../shared/contracts/notices";
import type { DirectoryEntry } from "../../shared/contracts/personnel";
import { int, mulberry32, pick, type Rng } from "../../shared/random";
import { localDate } from "../../shared/time";
import type { NoticeDoc, NoticeReadsDoc, ReaderDoc } from "./data/models";

export const NOTICES_DEMO_SEED = 20260116;
const CITY = "city";

export interface DemoInput {
  now: Date;
  orgs: { id: string; name: string; shortName: string }[];
  divisions: { id: string; orgId: string; name: string; kind: string }[];
  /** Active staff. */
  staff: DirectoryEntry[];
}

export interface NoticesDemo {
  notices: NoticeDoc[];
  readers: ReaderDoc[];
  noticeReads: NoticeReadsDoc[];
}

const TOPICS = ["直达资金监管", "三保支出保障", "过紧日子要求落实", "财政重点工作推进", "财政信息化建设"];
const NOTICE_TITLES = [
  "关于报送{m}月份工作安排的通知",
  "关于做好{topic}工作的通知",
  "关于开展{topic}专项检查的通知",
  "关于组织参加网络学习的通知",
  "关于召开{m}月份局务会议的通知",
  "关于进一步加强工作日志填写的通知",
  "关于做好节假日期间值班工作的通知",
];

const fill = (t: string, vars: Record<string, string | number>): string =>
  t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));

/** 09:00–17:59 Shanghai time on a day (01:00–09:59 UTC). */
const at = (rng: Rng, date: string): Date =>
  new Date(`${date}T${String(1 + int(rng, 0, 8)).padStart(2, "0")}:${String(int(rng, 0, 59)).padStart(2, "0")}:00Z`);

export function generateNoticesDemo(input: DemoInput, seed = NOTICES_DEMO_SEED): NoticesDemo {
  const rng = mulberry32(seed);
  const today = localDate(input.now);
  const staff = [...input.staff].sort((a, b) => (a.id < b.id ? -1 : 1));
  const divisions = new Map(input.divisions.map((d) => [d.id, d]));
  const orgs = [...input.orgs].sort((a, b) => (a.id === CITY ? -1 : b.id === CITY ? 1 : a.id < b.id ? -1 : 1));
  const inOrg = (orgId: string) => staff.filter((s) => s.orgId === orgId);
  /** A member of the organisation's office division (or its first member) publishes. */
  const officeActor = (orgId: string): { staffId: string; name: string } => {
    const s = inOrg(orgId).find((x) => divisions.get(x.divisionId)?.kind === "office") ?? inOrg(orgId)[0];
    return { staffId: s.id, name: s.name };
  };
  /** A working weekday between `minAgo` and `maxAgo` days ago (a weekend moves back to Friday). */
  const dayWithin = (maxAgo: number, minAgo = 0): string => {
    let d = addDays(today, -int(rng, minAgo, maxAgo));
    while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, -1);
    return d;
  };
  /** A time of day on the date, never after "now". */
  const stamp = (date: string): Date => new Date(Math.min(at(rng, date).getTime(), input.now.getTime() - 60_000));

  const notices: NoticeDoc[] = [];
  const readers = new Map<string, Record<string, Date>>();
  const noticeReads: NoticeReadsDoc[] = [];
  const addNotice = (scope: NoticeScope, scopeOrgId: string, scopeLabel: string, date: string): void => {
    const publisher = officeActor(scopeOrgId);
    const recipients = staff
      .filter((s) =>
        scope.type === "bureau" ? true : scope.type === "org" ? s.orgId === scope.id : s.divisionId === scope.id,
      )
      .map((s) => s.id);
    if (!recipients.length) return;
    const publishedAt = stamp(date);
    const month = Number(date.slice(5, 7));
    const title = fill(pick(rng, NOTICE_TITLES), {
      m: month === 12 ? 1 : month + 1,
      topic: pick(rng, TOPICS),
    });
    const id = `nt-demo-${String(notices.length + 1).padStart(4, "0")}`;
    notices.push({
      _id: id,
      title,
      body: `各${scope.type === "bureau" ? "单位、各处室" : "股室"}：\n为做好相关工作，现将有关事项通知如下，请认真抓好落实，并于规定时间内将落实情况报办公室。\n\n${publisher.name}\n${date}`,
      scope,
      scopeLabel,
      scopeOrgId,
      publisherStaffId: publisher.staffId,
      publisherName: publisher.name,
      publisherOrgId: scopeOrgId,
      publishedAt,
      recipients,
    });
    const age = (input.now.getTime() - publishedAt.getTime()) / 86_400_000;
    const share = age < 2 ? 0.35 : age < 14 ? 0.75 : 0.92;
    const reads: Record<string, Date> = {};
    for (const s of recipients) {
      if (rng() >= share) continue;
      const readAt = new Date(Math.min(input.now.getTime(), publishedAt.getTime() + int(rng, 5, 72 * 60) * 60_000));
      reads[s] = readAt;
      readers.set(s, { ...(readers.get(s) ?? {}), [id]: readAt });
    }
    noticeReads.push({ _id: id, reads, rev: 1 });
  };
  for (let i = 0; i < 24; i++) addNotice({ type: "bureau", id: null }, CITY, "全局（市局及各县区）", dayWithin(364));
  for (const org of orgs.filter((o) => o.id !== CITY))
    for (let i = int(rng, 3, 6); i > 0; i--) addNotice({ type: "org", id: org.id }, org.id, org.name, dayWithin(364));
  for (const div of input.divisions.filter((d) => d.orgId === CITY && d.kind !== "leadership"))
    addNotice({ type: "division", id: div.id }, CITY, `市局·${div.name}`, dayWithin(364));
  // Something unread on the demo logins' bell.
  addNotice({ type: "bureau", id: null }, CITY, "全局（市局及各县区）", today);

  return {
    notices,
    readers: [...readers].map(([id, reads]) => ({ _id: id, reads, rev: 1 })),
    noticeReads,
  };
}
