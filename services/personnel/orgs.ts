/** The 21 organisations and the divisions inside each: reference data, the same in demo and production. */
import type { Division, DivisionKind, Org, OrgKind } from "../../shared/contracts/personnel";
import { CITY_ORG_ID } from "../../shared/auth";

const COUNTIES: [id: string, shortName: string, kind: OrgKind][] = [
  ["qiaodong", "桥东区", "district"],
  ["qiaoxi", "桥西区", "district"],
  ["xuanhuaqu", "宣化区", "district"],
  ["xiahuayuan", "下花园区", "district"],
  ["xuanhuaxian", "宣化县", "county"],
  ["zhangbei", "张北县", "county"],
  ["kangbao", "康保县", "county"],
  ["guyuan", "沽源县", "county"],
  ["shangyi", "尚义县", "county"],
  ["yuxian", "蔚县", "county"],
  ["yangyuan", "阳原县", "county"],
  ["huaian", "怀安县", "county"],
  ["wanquan", "万全县", "county"],
  ["huailai", "怀来县", "county"],
  ["zhuolu", "涿鹿县", "county"],
  ["chicheng", "赤城县", "county"],
  ["chongli", "崇礼县", "county"],
  ["chabei", "察北管理区", "zone"],
  ["saibei", "塞北管理区", "zone"],
  ["gaoxin", "高新区", "zone"],
];

export const ORGS: Org[] = [
  { id: CITY_ORG_ID, name: "张家口市财政局", shortName: "市局", kind: "city", parentId: null, order: 0 },
  ...COUNTIES.map(([id, shortName, kind], i) => ({
    id,
    name: `${shortName}财政局`,
    shortName,
    kind,
    parentId: CITY_ORG_ID,
    order: i + 1,
  })),
];

const CITY_DIVISIONS: [DivisionKind, string][] = [
  ["leadership", "局领导"],
  ["office", "办公室"],
  ["hr", "人事教育处"],
  ["budget", "预算处"],
  ["treasury", "国库处"],
  ["general", "综合处"],
  ["economic", "经济建设处"],
  ["admin_law", "行政政法处"],
  ["education", "教科文处"],
  ["social", "社会保障处"],
  ["agriculture", "农业处"],
  ["assets", "资产管理处"],
  ["tax_policy", "税政法规处"],
  ["accounting", "会计处"],
  ["finance", "金融处"],
  ["supervision", "监督检查处"],
  ["debt", "债务管理处"],
  ["procurement", "政府采购管理办公室"],
  ["it", "信息中心"],
];

/** Every county bureau has the first nine; the optional ones vary by county (8–11 股室 in all). */
const COUNTY_CORE: [DivisionKind, string][] = [
  ["leadership", "局领导"],
  ["office", "办公室"],
  ["hr", "人事股"],
  ["budget", "预算股"],
  ["treasury", "国库股"],
  ["agriculture", "农业股"],
  ["social", "社保股"],
  ["economic", "经建股"],
  ["general", "综合股"],
];
const COUNTY_OPTIONAL: [DivisionKind, string][] = [
  ["admin_law", "行政政法股"],
  ["education", "教科文股"],
  ["accounting", "会计股"],
];

export const divisionId = (orgId: string, kind: DivisionKind): string => `${orgId}-${kind.replace("_", "")}`;

function countyDivisions(orgIndex: number): [DivisionKind, string][] {
  // Deterministic variety: county i keeps optional division j unless (i + j) % 4 === 0.
  return [...COUNTY_CORE, ...COUNTY_OPTIONAL.filter((_, j) => (orgIndex + j) % 4 !== 0)];
}

export const DIVISIONS: Division[] = ORGS.flatMap((org, i) =>
  (org.id === CITY_ORG_ID ? CITY_DIVISIONS : countyDivisions(i)).map(([kind, name], order) => ({
    id: divisionId(org.id, kind),
    orgId: org.id,
    name,
    kind,
    order,
  })),
);

/** Title of a division's head post. */
export function headTitle(org: Org, division: Division): string {
  if (division.kind === "leadership") return "局长";
  if (org.id !== CITY_ORG_ID) return division.kind === "office" ? "办公室主任" : "股长";
  return division.name.endsWith("处") ? "处长" : "主任";
}
