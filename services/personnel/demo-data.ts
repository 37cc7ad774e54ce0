/**
 * Deterministic demo data: fictional staff, posts with A/B holders and a year of attendance for the
 * 21 organisations. The same seed and the same "today" always give the same data.
 */
import type { Role } from "../../shared/auth";
import type {
  AttendanceStatus,
  DemoPerson,
  Division,
  DivisionKind,
  EducationLevel,
  PoliticalStatus,
} from "../../shared/contracts/personnel";
import { CITY_ORG_ID } from "../../shared/auth";
import { WorkCalendar } from "../../shared/calendar";
import { int, mulberry32, pick, weighted, type Rng } from "../../shared/random";
import { ageOn } from "../../shared/time";
import { lastMonths, splitDate, workingDaysOfMonth, yearsBefore } from "./calendar";
import { DIVISIONS, ORGS, divisionId, headTitle } from "./orgs";
import type { AttendanceDoc, PostDoc, StaffDoc } from "./personnel.types";
import { nameKeys } from "./search";

export const DEMO_SEED = 20260101;

/** Common surnames, weighted roughly by their frequency in northern China. */
const SURNAMES: [string, number][] = [
  ["王", 75],
  ["李", 72],
  ["张", 70],
  ["刘", 55],
  ["陈", 35],
  ["杨", 32],
  ["赵", 30],
  ["黄", 15],
  ["周", 15],
  ["吴", 14],
  ["徐", 12],
  ["孙", 14],
  ["胡", 10],
  ["朱", 10],
  ["高", 12],
  ["林", 6],
  ["何", 8],
  ["郭", 12],
  ["马", 12],
  ["罗", 5],
  ["梁", 8],
  ["宋", 8],
  ["郑", 7],
  ["谢", 5],
  ["韩", 9],
  ["唐", 5],
  ["冯", 7],
  ["于", 8],
  ["董", 7],
  ["萧", 2],
  ["程", 5],
  ["曹", 6],
  ["袁", 4],
  ["邓", 4],
  ["许", 5],
  ["傅", 3],
  ["沈", 3],
  ["曾", 3],
  ["彭", 3],
  ["吕", 5],
  ["苏", 4],
  ["卢", 4],
  ["蒋", 3],
  ["蔡", 3],
  ["贾", 6],
  ["丁", 4],
  ["魏", 6],
  ["薛", 4],
  ["叶", 3],
  ["阎", 4],
  ["余", 2],
  ["潘", 3],
  ["杜", 5],
  ["戴", 2],
  ["夏", 3],
  ["钟", 2],
  ["汪", 2],
  ["田", 6],
  ["任", 5],
  ["姜", 4],
  ["范", 4],
  ["方", 3],
  ["石", 4],
  ["姚", 3],
  ["谭", 2],
  ["廖", 1],
  ["邹", 2],
  ["熊", 2],
  ["金", 3],
  ["陆", 2],
  ["郝", 5],
  ["孔", 2],
  ["白", 4],
  ["崔", 5],
  ["康", 3],
  ["毛", 2],
  ["邱", 2],
  ["秦", 3],
  ["江", 2],
  ["史", 4],
  ["顾", 2],
  ["侯", 4],
  ["邵", 2],
  ["孟", 4],
  ["龙", 1],
  ["万", 2],
  ["段", 3],
  ["武", 5],
];
const GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁浩亮建国志东海峰林松鹏宇晨阳凯健文博俊永新春立成".split("");
const GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英燕红梅琳颖雪慧佳婷倩晶萍丹悦欣蕾洁薇璐瑶楠琦月莉雯怡".split("");
const GIVEN_ANY = "子思嘉雨文晓海志新建春晓天明国小振立宏海俊".split("");

function demoName(rng: Rng, male: boolean): string {
  const surname = weighted(rng, SURNAMES);
  const pool = male ? GIVEN_MALE : GIVEN_FEMALE;
  if (rng() < 0.3) return surname + pick(rng, pool);
  return surname + (rng() < 0.5 ? pick(rng, GIVEN_ANY) : pick(rng, pool)) + pick(rng, pool);
}

const EDUCATION_CITY: [EducationLevel, number][] = [
  ["研究生-博士", 2],
  ["研究生-硕士", 22],
  ["本科", 60],
  ["大专", 11],
  ["中专", 3],
  ["高中及以下", 2],
];
const EDUCATION_COUNTY: [EducationLevel, number][] = [
  ["研究生-博士", 0.3],
  ["研究生-硕士", 6],
  ["本科", 56],
  ["大专", 25],
  ["中专", 8],
  ["高中及以下", 4.7],
];

/** A few duties per kind of division, to name posts and write their 岗位职责. */
const DUTIES: Record<DivisionKind, string[]> = {
  leadership: ["分管预算与国库", "分管经建与农业", "分管社保与教科文", "分管综合与监督"],
  office: ["文秘", "综合协调", "档案管理", "后勤保障", "信息宣传"],
  hr: ["干部管理", "教育培训", "工资福利", "考核管理"],
  budget: ["预算编制", "预算调整", "绩效管理", "部门预算审核"],
  treasury: ["国库集中支付", "账户管理", "决算编报", "资金调度"],
  assets: ["资产配置", "资产处置", "产权登记", "国企监管"],
  tax_policy: ["税收政策", "非税收入", "法制审核", "行政复议"],
  agriculture: ["农业资金", "乡村振兴", "水利资金", "林业资金"],
  social: ["社会保险基金", "就业资金", "民政资金", "医疗卫生资金"],
  economic: ["交通资金", "城建资金", "项目评审", "工业资金"],
  admin_law: ["政法经费", "行政经费", "公务支出", "机关运行"],
  education: ["教育经费", "科技经费", "文化旅游资金", "体育经费"],
  accounting: ["会计管理", "内部控制", "会计人员管理", "政府会计制度"],
  finance: ["金融监管", "政府性基金", "融资担保", "保险业务"],
  supervision: ["财政监督", "会计检查", "内部审计", "专项检查"],
  debt: ["债务限额", "债券发行", "风险防控", "还本付息"],
  procurement: ["采购审核", "采购监管", "投诉处理", "电子卖场"],
  it: ["系统运维", "网络安全", "数据管理", "软件开发"],
  general: ["综合统计", "财政收支分析", "调研起草", "财政体制"],
};

export interface DemoData {
  staff: StaffDoc[];
  posts: PostDoc[];
  people: DemoPerson[];
}

function staffCountsByDivision(rng: Rng, divisions: Division[], total: number): Map<string, number> {
  const leadership = divisions.find((d) => d.kind === "leadership");
  const rest = divisions.filter((d) => d.kind !== "leadership");
  const counts = new Map<string, number>();
  const leaders = leadership?.orgId === CITY_ORG_ID ? 5 : 3;
  if (leadership) counts.set(leadership.id, leaders);
  const weights = rest.map(() => 0.7 + rng() * 0.6);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const remaining = total - leaders;
  let assigned = 0;
  rest.forEach((d, i) => {
    const n = Math.max(3, Math.round((remaining * weights[i]) / wsum));
    counts.set(d.id, n);
    assigned += n;
  });
  // Put the rounding difference into the largest division so the org total is exact.
  const largest = rest.reduce((a, b) => ((counts.get(a.id) ?? 0) >= (counts.get(b.id) ?? 0) ? a : b));
  counts.set(largest.id, (counts.get(largest.id) ?? 0) + remaining - assigned);
  return counts;
}

function demoPhone(rng: Rng): string {
  return `1${pick(rng, ["3", "5", "8", "7"])}${int(rng, 0, 9)}${String(int(rng, 0, 99_999_999)).padStart(8, "0")}`;
}

/** Staff, posts and demo people for a given "today" (ages and hire dates are relative to it). */
export function generateDemo(today: string, seed = DEMO_SEED): DemoData {
  const rng = mulberry32(seed);
  const staff: StaffDoc[] = [];
  const posts: PostDoc[] = [];
  let seq = 0;
  for (const org of ORGS) {
    const divisions = DIVISIONS.filter((d) => d.orgId === org.id);
    const total = org.id === CITY_ORG_ID ? 300 : int(rng, 55, 65);
    const counts = staffCountsByDivision(rng, divisions, total);
    for (const division of divisions) {
      const n = counts.get(division.id) ?? 0;
      const members: StaffDoc[] = [];
      for (let i = 0; i < n; i++) {
        const isHead = i === 0;
        const senior = isHead || division.kind === "leadership";
        const age = senior ? int(rng, 42, 58) : Math.round(22 + ((rng() + rng() + rng()) / 3) * 38);
        const birthYearsAgo = yearsBefore(today, age);
        const birthDate = shiftDays(birthYearsAgo, -int(rng, 0, 364));
        const male = rng() < (senior ? 0.72 : 0.52);
        const name = demoName(rng, male);
        const hireAge = int(rng, 21, Math.min(30, age));
        const hireDate = minDate(shiftDays(yearsBefore(birthDate, -hireAge), int(rng, 0, 200)), today);
        const education = weighted(rng, org.id === CITY_ORG_ID ? EDUCATION_CITY : EDUCATION_COUNTY);
        const political: PoliticalStatus = senior
          ? "中共党员"
          : weighted<PoliticalStatus>(rng, [
              ["中共党员", 62],
              ["共青团员", ageOn(birthDate, today) <= 28 ? 25 : 0],
              ["民主党派", 3],
              ["群众", 20],
            ]);
        const title = isHead
          ? headTitle(org, division)
          : division.kind === "leadership"
            ? "副局长"
            : i === 1
              ? org.id === CITY_ORG_ID
                ? headTitle(org, division).replace(/^(处长|主任)$/, "副$1")
                : "副股长"
              : pick(rng, org.id === CITY_ORG_ID ? CITY_RANKS : COUNTY_RANKS);
        seq += 1;
        const doc: StaffDoc = {
          _id: staffId(seq),
          name,
          ...nameKeys(name),
          gender: male ? "male" : "female",
          birthDate,
          education,
          politicalStatus: political,
          title,
          orgId: org.id,
          divisionId: division.id,
          postId: null,
          phone: demoPhone(rng),
          hireDate,
          status: "active",
          version: 1,
        };
        members.push(doc);
        staff.push(doc);
      }
      const duties = DUTIES[division.kind];
      members.forEach((holder, i) => {
        const postId = `p-${division.id}-${String(i + 1).padStart(2, "0")}`;
        holder.postId = postId;
        const duty = i === 0 ? null : duties[(i - 1) % duties.length];
        const backup = members.length > 1 && rng() >= 0.03 ? members[(i + 1) % members.length]._id : null;
        posts.push({
          _id: postId,
          orgId: org.id,
          divisionId: division.id,
          title: i === 0 ? headTitle(org, division) : `${duty}岗`,
          responsibilities:
            i === 0
              ? `主持${division.name}全面工作，负责${duties.slice(0, 3).join("、")}等工作的组织协调和督促落实。`
              : `负责${division.name}${duty}工作；按时完成领导交办的其他事项。`,
          isHead: i === 0,
          aHolderId: holder._id,
          bHolderId: backup,
          order: i,
        });
      });
    }
  }
  return { staff, posts, people: demoPeople(staff) };
}

const CITY_RANKS = ["一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员"];
const COUNTY_RANKS = ["四级主任科员", "一级科员", "二级科员", "科员", "办事员"];

export const staffId = (seq: number): string => `s-${String(seq).padStart(5, "0")}`;

function shiftDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
const minDate = (a: string, b: string): string => (a < b ? a : b);

/** The people the accounts service gives demo logins to, one per role. */
function demoPeople(staff: StaffDoc[]): DemoPerson[] {
  const inDivision = (div: string): StaffDoc[] => staff.filter((s) => s.divisionId === div);
  const choose = (role: Role, div: string, index: number): DemoPerson => {
    const s = inDivision(div)[index];
    return { role, staffId: s._id, name: s.name, orgId: s.orgId, divisionId: s.divisionId };
  };
  return [
    choose("sys_admin", divisionId(CITY_ORG_ID, "it"), 2),
    choose("hr_admin", divisionId(CITY_ORG_ID, "hr"), 2),
    choose("leader", divisionId(CITY_ORG_ID, "leadership"), 0),
    choose("division_head", divisionId(CITY_ORG_ID, "budget"), 0),
    choose("county_admin", divisionId("zhangbei", "office"), 2),
    choose("staff", divisionId(CITY_ORG_ID, "budget"), 3),
  ];
}

/** Chance per working day that an away spell starts, and its length range in working days. */
const AWAY: [AttendanceStatus, number, number, number][] = [
  ["leave_annual", 0.009, 1, 5],
  ["leave_sick", 0.004, 1, 3],
  ["leave_personal", 0.004, 1, 2],
  ["business_trip", 0.007, 1, 4],
  ["training", 0.003, 2, 5],
  ["absent", 0.0005, 1, 1],
];

/**
 * A year of attendance (the 12 months up to `today`, working days only) for each active person,
 * one document per person per month. Each person has their own PRNG stream, so the result does
 * not depend on iteration order. `cal` carries the overrides HR has set (none on a fresh install).
 */
export function* generateAttendance(
  staff: StaffDoc[],
  today: string,
  seed = DEMO_SEED,
  cal = new WorkCalendar(),
): Generator<AttendanceDoc> {
  const months = lastMonths(today, 12).map((m) => ({
    ...m,
    workingDays: workingDaysOfMonth(cal, m.year, m.month, today),
  }));
  for (const s of staff) {
    if (s.status !== "active") continue;
    const rng = mulberry32(seed ^ hashString(s._id));
    let spell: AttendanceStatus | null = null;
    let left = 0;
    for (const { year, month, workingDays } of months) {
      const days: Record<string, AttendanceStatus> = {};
      for (const date of workingDays) {
        if (date < s.hireDate) continue;
        if (left <= 0) {
          spell = null;
          let r = rng();
          for (const [status, p, lo, hi] of AWAY) {
            if ((r -= p) < 0) {
              spell = status;
              left = int(rng, lo, hi);
              break;
            }
          }
        }
        days[splitDate(date).day] = spell ?? "present";
        left -= 1;
      }
      if (Object.keys(days).length)
        yield { _id: s._id, staffId: s._id, orgId: s.orgId, divisionId: s.divisionId, year, month, days };
    }
  }
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
