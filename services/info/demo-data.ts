/**
 * Deterministic demo data for the 12 months up to "now": information reports through the real
 * review steps (workflow.ts), so their trails and indicator facts are what the live service would
 * have produced (adopted at each level, returned and revised, some still on a desk, a few drafts and
 * revocations); and publicity items, mostly verified. The same input always gives the same data.
 */
import { addDays } from "../../shared/calendar";
import { type InfoCategory, type InfoLevel, type OutletLevel } from "../../shared/contracts/info";
import type { DemoPeople, DirectoryEntry } from "../../shared/contracts/personnel";
import { int, mulberry32, pick, weighted, type Rng } from "../../shared/random";
import { localDate } from "../../shared/time";
import type { Actor } from "../../shared/office";
import type { InfoDoc, PublicityDoc } from "./data/models";
import { applyInfoStep, applyPublicityStep, authorEntry, type InfoStep, type Points } from "./workflow";

export const INFO_DEMO_SEED = 20260115;
const CITY = "city";

export interface DemoInput {
  now: Date;
  orgs: { id: string; name: string; shortName: string }[];
  divisions: { id: string; orgId: string; name: string; kind: string }[];
  /** Active staff. */
  staff: DirectoryEntry[];
  people: DemoPeople;
  points: Points;
}

export interface InfoDemo {
  reports: InfoDoc[];
  publicity: PublicityDoc[];
}

const TOPICS: Record<string, string[]> = {
  budget: ["预算绩效管理", "零基预算改革", "部门预算编制", "预算执行进度督导"],
  treasury: ["国库集中支付", "库款调度保障", "暂付款清理消化"],
  agriculture: ["衔接推进乡村振兴资金监管", "高标准农田建设资金保障", "农业保险保费补贴"],
  social: ["养老保险基金管理", "就业补助资金使用", "困难群众救助资金发放"],
  economic: ["重大项目资金保障", "政府投资项目评审", "专项债券项目管理"],
  education: ["教育经费保障", "科技创新资金支持", "文化惠民工程资金管理"],
  assets: ["行政事业性国有资产管理", "闲置资产盘活利用"],
  debt: ["政府债务风险防控", "隐性债务化解"],
  procurement: ["政府采购营商环境优化", "政府采购电子化"],
  accounting: ["会计信息质量检查", "会计人员继续教育"],
  supervision: ["财会监督", "惠民惠农资金专项检查"],
  tax_policy: ["减税降费政策落实", "非税收入征管"],
  general: ["直达资金监管", "三保支出保障", "过紧日子要求落实", "财政重点工作推进", "财政信息化建设"],
};

const INFO_TITLES: [string, InfoCategory][] = [
  ["{org}{topic}工作取得新成效", "工作动态"],
  ["{org}多措并举推进{topic}", "工作动态"],
  ["{org}扎实做好{topic}工作", "工作动态"],
  ["{org}以{topic}为抓手提升财政管理水平", "经验做法"],
  ["{org}创新{topic}机制", "经验做法"],
  ["关于{topic}情况的调研与思考", "调研分析"],
  ["{topic}中存在的问题及建议", "问题建议"],
  ["{org}{topic}典型做法", "典型案例"],
];
const MEASURES = [
  "建立台账、挂图作战",
  "压实责任、逐项督办",
  "强化部门协同、定期会商",
  "完善制度办法、规范工作流程",
  "依托预算管理一体化系统实时监控",
  "开展专项检查、发现问题立行立改",
];
const RESULTS = [
  "已完成年度目标的{n}%",
  "累计拨付资金{n}00万元",
  "涉及项目{n}个，均按期推进",
  "相关指标同比提高{n}个百分点",
];
const NEXTS = ["持续跟踪问效，确保资金安全高效", "总结经验做法，形成长效机制", "加强督导检查，推动工作落地见效"];
const RETURN_COMMENTS = [
  "内容偏泛，请补充具体数据和成效",
  "标题不够精炼，请修改后再报",
  "请补充下一步工作打算",
  "与已报送信息角度重复，请调整",
  "数据口径需核实",
];
const USED_IN: Record<InfoLevel, string[]> = {
  city: ["《张家口财政信息》{y}年第{n}期", "市委办公室《每日要情》第{n}期", "市政府办公室《政务信息》第{n}期"],
  province: ["《河北财政信息》{y}年第{n}期", "河北省财政厅网站“市县动态”栏目", "省政府办公厅《河北政务信息》第{n}期"],
  national: ["财政部《财政信息》{y}年第{n}期", "财政部网站“地方财政”栏目"],
};
const PUB_TITLES = [
  "{org}：{topic}跑出“加速度”",
  "{topic}让群众得实惠",
  "财政资金“活水”精准滴灌——{org}{topic}见闻",
  "{org}全力做好{topic}",
  "一笔资金的“精准之旅”：{org}{topic}纪实",
];
const OUTLETS: Record<OutletLevel, string[]> = {
  county: ["{short}融媒体中心", "{short}人民政府网", "“{short}发布”微信公众号"],
  city: ["《张家口日报》", "张家口新闻网", "张家口广播电视台", "“张家口发布”微信公众号"],
  province: ["《河北日报》", "河北新闻网", "长城网", "河北省财政厅网站"],
  national: ["《中国财经报》", "中华人民共和国财政部网站", "《中国财政》杂志", "新华网"],
};
const REJECT_COMMENTS = ["未提供刊发链接或版面截图，请补充", "作者署名与登记人不一致，请核实"];
const fill = (t: string, vars: Record<string, string | number>): string =>
  t.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));

/** 09:00–17:59 Shanghai time on a day (01:00–09:59 UTC). */
const at = (rng: Rng, date: string): Date =>
  new Date(`${date}T${String(1 + int(rng, 0, 8)).padStart(2, "0")}:${String(int(rng, 0, 59)).padStart(2, "0")}:00Z`);
const later = (rng: Rng, t: Date, minDays: number, maxDays: number): Date =>
  new Date(t.getTime() + int(rng, minDays * 24, maxDays * 24) * 3_600_000 + int(rng, 0, 59) * 60_000);

type Outcome =
  "adopted" | "returned" | "revised" | "pendingCounty" | "pendingCity" | "draft" | "revoked" | "cityReturned";

export function generateInfoDemo(input: DemoInput, seed = INFO_DEMO_SEED): InfoDemo {
  const rng = mulberry32(seed);
  const today = localDate(input.now);
  const staff = [...input.staff].sort((a, b) => (a.id < b.id ? -1 : 1));
  const byId = new Map(staff.map((s) => [s.id, s]));
  const divisions = new Map(input.divisions.map((d) => [d.id, d]));
  const orgs = [...input.orgs].sort((a, b) => (a.id === CITY ? -1 : b.id === CITY ? 1 : a.id < b.id ? -1 : 1));
  const inOrg = (orgId: string) => staff.filter((s) => s.orgId === orgId);
  const officeActor = (orgId: string): Actor => {
    const s = inOrg(orgId).find((x) => divisions.get(x.divisionId)?.kind === "office") ?? inOrg(orgId)[0];
    return { user: null, system: false, staffId: s.id, name: s.name, officeOf: orgId };
  };
  const asActor = (s: DirectoryEntry): Actor => ({
    user: null,
    system: false,
    staffId: s.id,
    name: s.name,
    officeOf: null,
  });
  const topicOf = (s: DirectoryEntry): string =>
    pick(rng, TOPICS[divisions.get(s.divisionId)?.kind ?? ""] ?? TOPICS.general);
  const orgName = (orgId: string): string =>
    orgId === CITY ? "市财政局" : input.orgs.find((o) => o.id === orgId)!.name;
  /** A working weekday between `minAgo` and `maxAgo` days ago (a weekend moves back to Friday). */
  const dayWithin = (maxAgo: number, minAgo = 0): string => {
    let d = addDays(today, -int(rng, minAgo, maxAgo));
    while ([0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) d = addDays(d, -1);
    return d;
  };
  /** A time of day on the date, never after "now". */
  const stamp = (date: string): Date => new Date(Math.min(at(rng, date).getTime(), input.now.getTime() - 60_000));

  // ---------- information reports ----------
  const reports: InfoDoc[] = [];
  const reportOf = (author: DirectoryEntry, outcome: Outcome, date: string): InfoDoc => {
    const topic = topicOf(author);
    const [tpl, category] = pick(rng, INFO_TITLES);
    const org = orgName(author.orgId);
    const title = fill(tpl, { org, topic });
    const body = `近日，${org}围绕${topic}，${pick(rng, MEASURES)}，${pick(rng, MEASURES)}。截至目前，${fill(
      pick(rng, RESULTS),
      { n: int(rng, 12, 98) },
    )}。下一步，${org}将${pick(rng, NEXTS)}。`;
    const t0 = stamp(date);
    const me = asActor(author);
    let d: InfoDoc = {
      _id: `ir-demo-${String(reports.length + 1).padStart(5, "0")}`,
      title,
      body,
      category,
      status: "draft",
      stage: null,
      authorStaffId: author.id,
      authorName: author.name,
      orgId: author.orgId,
      divisionId: author.divisionId,
      year: Number(date.slice(0, 4)),
      submittedAt: null,
      forwardedAt: null,
      reachedCity: false,
      adoption: null,
      lastComment: null,
      version: 1,
      createdAt: t0,
      updatedAt: t0,
      trail: [authorEntry(me, t0, "create", null, "draft")],
      fact: null,
      rev: 1,
    };
    if (outcome === "draft") return d;
    let t = t0;
    const step = (who: Actor, s: InfoStep, minDays = 1, maxDays = 4): boolean => {
      const next = later(rng, t, minDays, maxDays);
      if (next > input.now) return false;
      t = next;
      d = applyInfoStep(d, s, who, t, input.points, null) ?? d;
      return true;
    };
    const county = author.orgId !== CITY ? officeActor(author.orgId) : null;
    const city = officeActor(CITY);
    const level = weighted<InfoLevel>(rng, [
      ["city", 70],
      ["province", 22],
      ["national", 8],
    ]);
    const usedIn = fill(pick(rng, USED_IN[level]), { y: date.slice(0, 4), n: int(rng, 1, 60) });
    const comment = pick(rng, RETURN_COMMENTS);
    d = applyInfoStep(d, { action: "submit" }, me, t, input.points, null)!;
    /** Through the county desk (if any) up to the city desk. */
    const upToCity = (): boolean => !county || step(county, { action: "forward", comment: null }, 0, 3);
    switch (outcome) {
      case "pendingCounty":
        break;
      case "pendingCity":
        upToCity();
        break;
      case "returned":
        step(county ?? city, { action: "return", comment });
        break;
      case "cityReturned":
        if (upToCity()) step(city, { action: "return", comment });
        break;
      case "revised":
        if (step(county ?? city, { action: "return", comment }) && step(me, { action: "submit" }, 1, 3) && upToCity())
          step(city, { action: "adopt", level, usedIn, comment: null }, 1, 6);
        break;
      case "adopted":
      case "revoked":
        if (upToCity() && step(city, { action: "adopt", level, usedIn, comment: null }, 1, 6) && outcome === "revoked")
          step(city, { action: "revoke", comment: "经核实，该信息与已采用信息内容重复" }, 3, 10);
        break;
    }
    return d;
  };
  const authorsOf = (orgId: string): DirectoryEntry[] => {
    // Office staff write most of the information; everyone writes some.
    const all = inOrg(orgId);
    const office = all.filter((s) => divisions.get(s.divisionId)?.kind === "office");
    return [...all, ...office, ...office, ...office];
  };
  const outcomeFor = (ageDays: number): Outcome => {
    if (ageDays < 10)
      return weighted<Outcome>(rng, [
        ["pendingCounty", 4],
        ["pendingCity", 4],
        ["returned", 2],
        ["draft", 1],
      ]);
    return weighted<Outcome>(rng, [
      ["adopted", 52],
      ["revised", 10],
      ["returned", 14],
      ["cityReturned", 12],
      ["revoked", 2],
      ["draft", 2],
    ]);
  };
  for (const org of orgs) {
    const authors = authorsOf(org.id);
    if (!authors.length) continue;
    const count = org.id === CITY ? 120 : int(rng, 25, 45);
    for (let i = 0; i < count; i++) {
      const date = dayWithin(364);
      const age = Math.round((Date.parse(today) - Date.parse(date)) / 86_400_000);
      reports.push(reportOf(pick(rng, authors), outcomeFor(age), date));
    }
  }
  // The demo logins' own reports, one in each state, and work waiting on the county admin's desk.
  const demoStaff = byId.get(input.people.staff);
  if (demoStaff)
    for (const [outcome, ago] of [
      ["adopted", 120],
      ["adopted", 60],
      ["revised", 90],
      ["cityReturned", 20],
      ["pendingCity", 3],
      ["draft", 1],
    ] as [Outcome, number][])
      reports.push(reportOf(demoStaff, outcome, dayWithin(ago, ago)));
  const countyAdmin = byId.get(input.people.county_admin);
  if (countyAdmin)
    for (const s of inOrg(countyAdmin.orgId)
      .filter((x) => x.id !== countyAdmin.id)
      .slice(0, 3))
      reports.push(reportOf(s, "pendingCounty", dayWithin(2)));

  // ---------- publicity ----------
  const publicity: PublicityDoc[] = [];
  const publicityOf = (author: DirectoryEntry, date: string, force?: "pending" | "verified"): PublicityDoc => {
    const org = input.orgs.find((o) => o.id === author.orgId)!;
    const outletLevel = weighted<OutletLevel>(
      rng,
      author.orgId === CITY
        ? [
            ["city", 50],
            ["province", 35],
            ["national", 15],
          ]
        : [
            ["county", 45],
            ["city", 35],
            ["province", 15],
            ["national", 5],
          ],
    );
    const t0 = stamp(date);
    const me = asActor(author);
    let d: PublicityDoc = {
      _id: `pb-demo-${String(publicity.length + 1).padStart(5, "0")}`,
      title: fill(pick(rng, PUB_TITLES), { org: orgName(author.orgId), topic: topicOf(author) }),
      outlet: fill(pick(rng, OUTLETS[outletLevel]), { short: org.shortName }),
      outletLevel,
      publishedOn: date,
      url: null,
      summary: null,
      authorStaffId: author.id,
      authorName: author.name,
      orgId: author.orgId,
      divisionId: author.divisionId,
      year: Number(date.slice(0, 4)),
      status: "pending",
      points: null,
      verifiedAt: null,
      verifiedByName: null,
      lastComment: null,
      recordedByStaffId: author.id,
      recordedByName: author.name,
      version: 1,
      createdAt: t0,
      updatedAt: t0,
      trail: [authorEntry(me, t0, "record", null, "pending")],
      fact: null,
      rev: 1,
    };
    const age = Math.round((Date.parse(today) - Date.parse(date)) / 86_400_000);
    const outcome =
      force ??
      (age < 7
        ? "pending"
        : weighted(rng, [
            ["verified", 85],
            ["rejected", 8],
            ["pending", 4],
            ["revoked", 3],
          ] as const));
    const office = officeActor(author.orgId);
    let t = t0;
    const step = (s: Parameters<typeof applyPublicityStep>[1]): void => {
      const next = later(rng, t, 1, 5);
      if (next > input.now) return;
      t = next;
      d = applyPublicityStep(d, s, office, t, input.points, null) ?? d;
    };
    if (outcome === "verified" || outcome === "revoked") step({ action: "verify", comment: null });
    if (outcome === "revoked") step({ action: "revoke", comment: "刊发单位不在统计范围内" });
    if (outcome === "rejected") step({ action: "reject", comment: pick(rng, REJECT_COMMENTS) });
    return d;
  };
  for (const org of orgs) {
    const authors = authorsOf(org.id);
    if (!authors.length) continue;
    const count = org.id === CITY ? 60 : int(rng, 12, 30);
    for (let i = 0; i < count; i++) publicity.push(publicityOf(pick(rng, authors), dayWithin(364)));
  }
  if (demoStaff) {
    publicity.push(publicityOf(demoStaff, dayWithin(80, 80), "verified"));
    publicity.push(publicityOf(demoStaff, dayWithin(2), "pending"));
  }

  return { reports, publicity };
}
