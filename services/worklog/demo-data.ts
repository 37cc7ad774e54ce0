/**
 * Deterministic demo work logs: about 32,000 logs over the past 12 months, written from templates per
 * kind of division (所干 + 所想), with diligence that differs by county, division and person, one county
 * that often misses its weekly organisation log, comments and useful marks.
 */
import { CITY_ORG_ID } from "../../shared/auth";
import { addDays, type WorkCalendar } from "../../shared/calendar";
import { localDate } from "../../shared/time";
import { dateFields, defaultPolicy, dueInstant } from "./rules";
import type { CommentDoc, LogDoc, PolicyDoc, StaffCopyDoc, UsefulDoc } from "./data/models";
import { int, mulberry32, pick, type Rng } from "../../shared/random";

export const WORKLOG_DEMO_SEED = 20260301;
export const DEMO_PERSONAL_LOGS = 31_000;
/** The county that often misses its weekly organisation log. */
export const LAX_COUNTY = "kangbao";

const hexId = (rng: Rng): string => Array.from({ length: 24 }, () => Math.floor(rng() * 16).toString(16)).join("");

const PLACES = ["桥东区", "宣化区", "张北县", "蔚县", "怀来县", "涿鹿县", "赤城县", "崇礼县", "康保县", "沽源县"];
const PROJECTS = [
  "冬奥场馆配套",
  "农村公路",
  "老旧小区改造",
  "高标准农田",
  "污水处理",
  "义务教育薄弱校",
  "中心医院扩建",
  "乡村振兴示范村",
];
const N = (rng: Rng): string => String(int(rng, 2, 98));
const MONEY = (rng: Rng): string => `${int(rng, 1, 900)}${pick(rng, ["万元", "亿元", "万元"])}`;

/** 所干 phrases per kind of division; {p} place, {j} project, {n} number, {m} amount. */
const DONE: Record<string, string[]> = {
  office: [
    "起草局务会会议纪要，整理{n}项议定事项并分解到处室",
    "办理上级来文{n}件，按时限要求完成分办和催办",
    "协调安排全市财政工作会议会务，核对参会名单和材料",
    "整理年度档案，完成{n}卷文书档案的归档和数字化",
    "编发财政信息{n}篇，其中一篇报送省财政厅",
    "督办重点工作落实情况，汇总各处室周报",
  ],
  hr: [
    "审核{n}名干部的年度考核登记表，核对出勤和日志情况",
    "组织干部网络学习，统计本月学习时长并通报",
    "办理干部职工工资调整和社保缴费基数核定",
    "筹备竞争上岗笔试面试工作，拟定岗位职责说明",
    "更新人员档案信息，核对学历和任职经历",
    "组织新入职人员岗前培训，讲解日清日结工作要求",
  ],
  budget: [
    "分析{p}前{n}个月预算执行情况，形成预算执行分析报告",
    "审核部门预算调整申请{n}项，涉及资金{m}",
    "研究下年度部门预算编制方案，测算基本支出定额",
    "推进预算绩效管理，对{j}项目开展绩效目标审核",
    "梳理三保支出保障情况，建立预算执行动态监控台账",
    "对接各县区预算执行进度，督促加快支出",
  ],
  treasury: [
    "办理国库集中支付业务{n}笔，金额{m}",
    "核对财政专户资金余额，完成月度对账",
    "分析库款保障水平，编制下月资金调度计划",
    "推进预算管理一体化系统支付模块上线",
    "清理财政暂付款，督促相关单位限期收回",
    "编报{p}国库现金管理月报",
  ],
  assets: [
    "审核行政事业单位资产处置申请{n}项",
    "开展国有资产年报编报布置和培训",
    "核查{p}公物仓资产调剂使用情况",
    "推进经营性国有资产集中统一监管，梳理企业名单",
    "对{j}形成的资产进行登记入账",
  ],
  tax_policy: [
    "测算减税降费政策对本级财力的影响",
    "审查规范性文件{n}件，提出合法性审查意见",
    "梳理非税收入征管情况，核对{n}家执收单位",
    "办理行政复议应诉案件材料准备",
    "开展财政法治宣传，组织学习新修订的预算法实施条例",
  ],
  agriculture: [
    "下达{p}高标准农田建设资金{m}",
    "赴{p}调研乡村振兴衔接资金使用情况",
    "审核农业保险保费补贴结算材料",
    "推进涉农资金统筹整合，梳理项目清单{n}个",
    "核查耕地地力保护补贴发放进度",
  ],
  social: [
    "拨付城乡居民基本养老保险补助资金{m}",
    "审核困难群众救助补助资金分配方案",
    "调研{p}医保基金运行情况",
    "测算退役军人优抚资金需求，编制分配建议",
    "督促就业补助资金支出进度，走访{n}家用人单位",
  ],
  economic: [
    "审核{j}项目预算，核减不合理支出{m}",
    "推进专项债券项目资金拨付，跟踪{n}个项目进度",
    "赴{p}检查交通基础设施项目资金使用",
    "编制城市维护建设资金安排计划",
    "配合开展{j}项目竣工财务决算评审",
  ],
  admin_law: [
    "审核政法部门经费保障方案",
    "办理行政单位公用经费定额调整",
    "核对{n}家单位公务用车运行维护费支出",
    "研究基层法庭办案经费保障问题",
  ],
  education: [
    "下达义务教育经费保障机制资金{m}",
    "调研{p}{j}项目建设进度",
    "审核高校生均拨款测算结果",
    "推进科技创新专项资金绩效评价",
    "核对学生资助资金发放名单{n}人",
  ],
  accounting: [
    "组织会计人员继续教育，统计学分{n}人次",
    "开展会计信息质量检查，抽查{n}家单位",
    "推进政府会计准则制度实施，解答单位咨询",
    "审核代理记账机构备案材料",
  ],
  finance: [
    "对接银行机构推进政府性融资担保业务",
    "拨付普惠金融发展专项资金{m}",
    "监测地方金融企业经营情况",
    "研究创业担保贷款贴息政策执行情况",
  ],
  supervision: [
    "开展财经纪律专项检查，抽查{n}家预算单位",
    "核查{p}惠民惠农补贴一卡通发放情况",
    "督促整改审计发现问题{n}项",
    "组织内部控制评价，梳理风险点",
  ],
  debt: [
    "测算政府债务风险指标，编制债务月报",
    "申报{p}新增专项债券项目{n}个",
    "核对隐性债务化解进度",
    "办理债券还本付息资金{m}",
  ],
  procurement: [
    "审核政府采购计划{n}项，金额{m}",
    "处理政府采购投诉质疑{n}件",
    "推进政府采购电子卖场上线",
    "检查采购代理机构执业情况",
  ],
  it: [
    "巡检机房服务器和网络设备，处理故障{n}起",
    "为{p}财政局部署干部管理平台新版本",
    "完成预算管理一体化系统数据备份与恢复演练",
    "开展网络安全等级保护测评整改",
    "升级财政内网终端防病毒软件",
  ],
  general: [
    "汇总全市财政收支数据，形成{n}月财政经济运行分析",
    "起草财政改革调研报告初稿",
    "整理政策研究资料，报送领导参阅",
    "统计各县区财政收入完成进度",
  ],
  leadership: [
    "主持召开局长办公会，研究{j}资金保障事项",
    "带队赴{p}调研财政运行和三保保障情况",
    "听取分管处室预算执行情况汇报，部署下步工作",
    "参加市政府常务会议，汇报财政收支情况",
  ],
};

const DONE_COMMON = [
  "参加局机关理论学习，学习财政法规和业务知识",
  "处理日常来电来访{n}次，解答政策咨询",
  "完成网络学习课程{n}学时",
  "整理本周工作台账，梳理下周工作计划",
  "参加处室例会，汇报本周重点工作进展",
];

const THOUGHTS = [
  "体会：工作要日清日结，当天的事当天办完，才不会积压。",
  "感想：基础数据一定要反复核对，一个数字错了，后面全部要返工。",
  "反思：与县区沟通时要把政策口径讲清楚，减少来回解释。",
  "收获：向老同志请教了预算执行分析的方法，思路清晰了很多。",
  "想法：可以把常用的审核要点整理成清单，提高效率，也方便AB岗同志接手。",
  "体会：深入基层才能了解真实情况，材料上的数字背后是群众的切身利益。",
  "反思：今天有一项工作拖到下班前才完成，明天要合理安排时间。",
  "感想：资金拨付要快，但审核不能放松，规范和效率要兼顾。",
  "建议：处室之间的协作事项要明确牵头单位和完成时限。",
  "收获：读了兄弟县区的工作日志，借鉴了他们台账管理的好做法。",
  "体会：公开透明的工作方式让大家相互督促，也相互学习。",
  "想法：下一步要加强对绩效目标的事前审核，避免资金闲置。",
];

const TAGS: Record<string, string[]> = {
  budget: ["预算", "绩效"],
  treasury: ["国库", "支付"],
  assets: ["资产"],
  tax_policy: ["法规", "非税收入"],
  debt: ["债务"],
  procurement: ["政府采购"],
  it: ["信息化"],
  hr: ["人事", "学习"],
  office: ["综合协调"],
};

const COMMENTS = [
  "写得很实在，学习了！",
  "这个方法值得借鉴，我们股室也准备这样做。",
  "数据分析很细致，辛苦了。",
  "建议把台账模板共享一下。",
  "同感，基础工作一定要扎实。",
  "这个问题我们县也遇到过，可以交流一下。",
];

const fill = (rng: Rng, t: string): string =>
  t
    .replace("{p}", pick(rng, PLACES))
    .replace("{j}", pick(rng, PROJECTS))
    .replace("{n}", N(rng))
    .replace("{m}", MONEY(rng));

function writeLog(rng: Rng, kind: string): { done: string; thoughts: string; tags: string[] } {
  const pool = DONE[kind] ?? DONE.general;
  const n = int(rng, 2, 4);
  const items = new Set<string>();
  while (items.size < n) items.add(fill(rng, rng() < 0.75 ? pick(rng, pool) : pick(rng, DONE_COMMON)));
  const done = [...items].map((x, i) => `${i + 1}. ${x}。`).join("\n");
  const thoughts = rng() < 0.8 ? pick(rng, THOUGHTS) : "";
  const tags = rng() < 0.6 ? [pick(rng, TAGS[kind] ?? ["日常工作"])] : [];
  return { done, thoughts, tags };
}

/** County-level diligence; the city bureau sets the example. */
function orgFactor(orgId: string, index: number): number {
  if (orgId === CITY_ORG_ID) return 1.4;
  if (orgId === LAX_COUNTY) return 0.35;
  return [1.2, 0.7, 1, 0.5, 1.3, 0.9, 0.8][index % 7];
}

const DIVISION_FACTOR: Record<string, number> = { office: 1.3, hr: 1.4, budget: 1.2, it: 0.6, leadership: 0.5 };

export interface DemoInput {
  today: string;
  staff: StaffCopyDoc[];
  orgs: { _id: string; divisions: { id: string; kind: string }[] }[];
  calendar: WorkCalendar;
  /** Share of the full set of personal logs (1 = about 31,000); the CI test seeds a smaller one. */
  scale?: number;
}

export interface WorklogDemo {
  policies: PolicyDoc[];
  logs: LogDoc[];
  comments: CommentDoc[];
  useful: UsefulDoc[];
}

/** Local time on a date as an instant (Asia/Shanghai is UTC+8 all year). */
const at = (date: string, minutes: number): Date => new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000);

export function generateWorklogDemo(input: DemoInput): WorklogDemo {
  const rng = mulberry32(WORKLOG_DEMO_SEED);
  const kindOf = new Map<string, string>();
  for (const o of input.orgs) for (const d of o.divisions) kindOf.set(d.id, d.kind);
  const orgIds = [...new Set(input.staff.map((s) => s.orgId))].sort();
  const from = addDays(input.today, -365);
  const yesterday = addDays(input.today, -1);
  const workingDays = input.calendar.workingDays(from, yesterday);

  // Policies: weekly personal logs everywhere, weekly organisation logs in the counties,
  // written by the first member of each county's office.
  const policies: PolicyDoc[] = orgIds.map((orgId) => {
    const p = defaultPolicy(orgId, CITY_ORG_ID);
    const office = input.staff.find((s) => s.orgId === orgId && kindOf.get(s.divisionId) === "office");
    return {
      _id: orgId,
      personal: p.personal,
      orgLogWeekly: p.orgLogWeekly,
      orgLogAuthors: p.orgLogWeekly && office ? [office._id] : [],
      deadline: p.deadline,
      graceMinutes: p.graceMinutes,
      updatedAt: null,
      updatedBy: null,
    };
  });
  const policyOf = new Map(policies.map((p) => [p._id, p]));

  const weights = input.staff.map(
    (s) =>
      orgFactor(s.orgId, orgIds.indexOf(s.orgId)) *
      (DIVISION_FACTOR[kindOf.get(s.divisionId) ?? ""] ?? 1) *
      (0.2 + rng() * 1.6),
  );
  const scale = (DEMO_PERSONAL_LOGS * (input.scale ?? 1)) / (weights.reduce((a, b) => a + b, 0) * workingDays.length);

  const logs: LogDoc[] = [];
  const add = (s: StaffCopyDoc, kind: "personal" | "org", date: string, diligence: number): void => {
    const content =
      kind === "org"
        ? {
            done: `【单位周志】本周${s.orgId === CITY_ORG_ID ? "市局" : "我局"}重点工作：\n${writeLog(rng, "budget").done}\n${writeLog(rng, "treasury").done}`,
            thoughts: pick(rng, THOUGHTS),
            tags: ["单位日志"],
          }
        : writeLog(rng, kindOf.get(s.divisionId) ?? "general");
    const policy = policyOf.get(s.orgId)!;
    // Diligent people write before the deadline; others drift later, some to the next days.
    const lateChance = 0.35 - Math.min(0.3, diligence);
    const minutes =
      rng() < lateChance
        ? int(rng, 19 * 60, 23 * 60 + 50) + (rng() < 0.3 ? 1440 * int(rng, 1, 3) : 0)
        : int(rng, 9 * 60, 17 * 60 + 50);
    const publishedAt = at(date, minutes);
    logs.push({
      _id: hexId(rng),
      kind,
      status: "published",
      authorStaffId: s._id,
      authorName: s.name,
      orgId: s.orgId,
      divisionId: s.divisionId,
      date,
      ...dateFields(date),
      ...content,
      taskIds: [],
      tokens: [],
      version: 1,
      edited: false,
      late: publishedAt > dueInstant(date, policy),
      publishedAt,
      editedAt: null,
      withdrawnAt: null,
      withdrawReason: null,
      readCount: int(rng, 0, 40),
      usefulCount: 0,
      commentCount: 0,
      createdAt: publishedAt,
    });
  };

  input.staff.forEach((s, i) => {
    const p = Math.min(0.9, weights[i] * scale);
    for (const d of workingDays) if (rng() < p) add(s, "personal", d, p);
  });

  // Organisation logs: one a week (usually on the week's last working day); the lax county often misses.
  for (const orgId of orgIds) {
    const policy = policyOf.get(orgId)!;
    const author = input.staff.find((s) => s._id === policy.orgLogAuthors[0]);
    if (!policy.orgLogWeekly || !author) continue;
    const missRate = orgId === LAX_COUNTY ? 0.6 : 0.05 + (orgIds.indexOf(orgId) % 5) * 0.03;
    const weeks = new Map<string, string>();
    for (const d of workingDays) weeks.set(dateFields(d).isoYear * 100 + dateFields(d).isoWeek + "", d);
    for (const last of weeks.values()) if (rng() >= missRate) add(author, "org", last, 0.3);
  }
  logs.sort((a, b) => a.date.localeCompare(b.date) || a.publishedAt!.getTime() - b.publishedAt!.getTime());

  // Comments and useful marks from colleagues of the same organisation.
  const byOrg = new Map<string, StaffCopyDoc[]>();
  for (const s of input.staff) byOrg.set(s.orgId, [...(byOrg.get(s.orgId) ?? []), s]);
  const comments: CommentDoc[] = [];
  const useful: UsefulDoc[] = [];
  for (const l of logs) {
    const colleagues = byOrg.get(l.orgId)!.filter((s) => s._id !== l.authorStaffId);
    if (!colleagues.length) continue;
    if (rng() < 0.08)
      for (let k = int(rng, 1, 3); k > 0; k--) {
        const c = pick(rng, colleagues);
        comments.push({
          _id: hexId(rng),
          logId: l._id,
          authorStaffId: c._id,
          authorName: c.name,
          body: pick(rng, COMMENTS),
          mentions: [],
          createdAt: new Date(l.publishedAt!.getTime() + int(rng, 10, 3000) * 60_000),
        });
        l.commentCount++;
      }
    if (rng() < 0.15) {
      const markers = new Set<StaffCopyDoc>();
      for (let k = int(rng, 1, 6); k > 0; k--) markers.add(pick(rng, colleagues));
      for (const m of markers) {
        const when = new Date(l.publishedAt!.getTime() + int(rng, 10, 2000) * 60_000);
        const w = dateFields(localDate(when));
        useful.push({
          _id: `${l._id}:${m._id}`,
          logId: l._id,
          staffId: m._id,
          orgId: l.orgId,
          isoYear: w.isoYear,
          isoWeek: w.isoWeek,
          at: when,
        });
        l.usefulCount++;
      }
    }
  }
  return { policies, logs, comments, useful };
}
