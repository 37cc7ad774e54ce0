/** The assessment scheme of a year (考核方案): defaults, and the checks HR's edits must pass. */
import {
  DIVISION_ITEMS,
  STAFF_ITEMS,
  type GradeRules,
  type SchemeInput,
  type SchemeRules,
} from "../../shared/contracts/assessment";
import type { FieldError } from "../../shared/errors";

/** Until HR saves a scheme for a year, these apply. */
export const DEFAULT_SCHEME: SchemeInput = {
  staffWeights: { tasks: 20, logs: 25, attendance: 20, learning: 15, information: 10, publicity: 10 },
  divisionWeights: {
    tasks: 35,
    timeliness: 15,
    logs: 15,
    attendance: 10,
    learning: 10,
    information: 10,
    publicity: 5,
  },
  rules: {
    learningHours: 50,
    informationPoints: 10,
    publicityPoints: 6,
    logFullRate: 0.95,
    logLateCredit: 0.5,
    absentPenalty: 10,
    personalLeavePenalty: 1,
    delayedCredit: 0.5,
  },
  grades: { excellentMin: 85, competentMin: 70, basicMin: 60, excellentShare: 0.15 },
};

type Range = [min: number, max: number];
const RULE_RANGES: Record<keyof SchemeRules, Range> = {
  learningHours: [1, 1000],
  informationPoints: [1, 1000],
  publicityPoints: [1, 1000],
  logFullRate: [0.01, 1],
  logLateCredit: [0, 1],
  absentPenalty: [0, 100],
  personalLeavePenalty: [0, 100],
  delayedCredit: [0, 1],
};
const GRADE_RANGES: Record<keyof GradeRules, Range> = {
  excellentMin: [0, 100],
  competentMin: [0, 100],
  basicMin: [0, 100],
  excellentShare: [0, 1],
};

function checkNumbers(
  group: string,
  values: Record<string, unknown>,
  ranges: Record<string, Range>,
  errors: FieldError[],
): void {
  for (const [key, [min, max]] of Object.entries(ranges)) {
    const v = values[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max)
      errors.push({ field: `${group}.${key}`, message: `应为 ${min} 到 ${max} 之间的数值` });
  }
  for (const key of Object.keys(values))
    if (!(key in ranges)) errors.push({ field: `${group}.${key}`, message: "不是方案中的项目" });
}

/** Every field at fault in a scheme (weights 0–100 with one positive, rules and grade lines in range). */
export function checkScheme(s: SchemeInput): FieldError[] {
  const errors: FieldError[] = [];
  const weights = (group: "staffWeights" | "divisionWeights", items: readonly string[]): void => {
    const ranges = Object.fromEntries(items.map((i) => [i, [0, 100] as Range]));
    checkNumbers(group, s[group] as Record<string, unknown>, ranges, errors);
    if (!Object.values(s[group]).some((w) => typeof w === "number" && w > 0))
      errors.push({ field: group, message: "至少一项权重大于 0" });
  };
  weights("staffWeights", STAFF_ITEMS);
  weights("divisionWeights", DIVISION_ITEMS);
  checkNumbers("rules", s.rules as unknown as Record<string, unknown>, RULE_RANGES, errors);
  checkNumbers("grades", s.grades as unknown as Record<string, unknown>, GRADE_RANGES, errors);
  const g = s.grades;
  if (
    !errors.some((e) => e.field.startsWith("grades.")) &&
    !(g.excellentMin >= g.competentMin && g.competentMin >= g.basicMin)
  )
    errors.push({ field: "grades.competentMin", message: "分数线应满足 优秀 ≥ 称职 ≥ 基本称职" });
  return errors;
}
