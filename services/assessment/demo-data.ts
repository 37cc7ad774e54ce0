/**
 * Demo learning records (网络学习): a year of courses per active staff member up to today, with
 * diligence that differs by person (some fall well short of the hours target), so scores spread.
 */
import type { LearningRecordInput } from "../../shared/contracts/assessment";
import { int, mulberry32, pick } from "../../shared/random";

export const LEARNING_DEMO_SEED = 20261101;

const COURSES = [
  "习近平新时代中国特色社会主义思想专题",
  "预算法及实施条例解读",
  "政府会计制度实务",
  "全面实施预算绩效管理",
  "地方政府债务风险防范",
  "政府采购法律法规",
  "国有资产管理实务",
  "财政数字化转型",
  "廉洁从政教育",
  "公文写作与处理",
  "保密知识培训",
  "新《会计法》解读",
  "乡村振兴财政支持政策",
  "党史学习教育专题",
  "民法典与行政执法",
];

export interface DemoStaff {
  id: string;
  orgId: string;
  divisionId: string;
}

/** Records dated from 1 January of today's year to today; ids are stable ("demo-<staff>-<n>"). */
export function generateLearning(
  today: string,
  staff: DemoStaff[],
): (LearningRecordInput & { orgId: string; divisionId: string })[] {
  const rng = mulberry32(LEARNING_DEMO_SEED);
  const year = Number(today.slice(0, 4));
  const months = Number(today.slice(5, 7));
  const out: (LearningRecordInput & { orgId: string; divisionId: string })[] = [];
  for (const s of staff) {
    // Diligence: most learn steadily, a few rarely.
    const perMonth = pick(rng, [0, 0.3, 0.6, 0.8, 1, 1, 1, 1.2, 1.5, 2]);
    let n = 0;
    for (let m = 1; m <= months; m++) {
      const count = Math.floor(perMonth) + (rng() < perMonth % 1 ? 1 : 0);
      for (let i = 0; i < count; i++) {
        const lastDay = m === months ? Number(today.slice(8, 10)) : 28;
        const day = int(rng, 1, Math.max(1, lastDay));
        out.push({
          recordId: `demo-${s.id}-${++n}`,
          staffId: s.id,
          orgId: s.orgId,
          divisionId: s.divisionId,
          date: `${year}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
          hours: pick(rng, [1, 1.5, 2, 2, 3, 4, 4.5, 6]),
          course: pick(rng, COURSES),
        });
      }
    }
  }
  return out;
}
