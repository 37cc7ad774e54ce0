/**
 * 文号: 张财办〔2026〕12号. A sequence per organisation, per 文种 and per year; the keys and the text.
 * How a number is taken without gaps or duplicates across replicas: data/numbers.ts.
 */
import { CITY_ORG_ID } from "../../shared/auth";
import type { DocType } from "../../shared/contracts/documents";

/** The sequence a number is taken from. */
export const sequenceKey = (orgId: string, docType: DocType, year: number): string => `${orgId}|${docType}|${year}`;

/** The document number of a sequence's n-th issue. */
export const formatNumber = (prefix: string, year: number, n: number): string => `${prefix}〔${year}〕${n}号`;

/** 代字 added per 文种 to the organisation's prefix (张财 + 办 for a notice, 函 for a letter…). */
const TYPE_CODES: Record<DocType, string> = {
  通知: "办",
  请示: "请",
  报告: "报",
  函: "函",
  纪要: "纪",
  意见: "发",
  批复: "复",
  决定: "发",
};

/** The organisation's 发文机关代字: 张财 for the city bureau, 张北财 for Zhangbei county. */
export function orgPrefix(orgId: string, shortName: string): string {
  if (orgId === CITY_ORG_ID) return "张财";
  return `${shortName.replace(/(管理区|县|区)$/, "")}财`;
}

export const numberPrefix = (flowPrefix: string, docType: DocType): string => `${flowPrefix}${TYPE_CODES[docType]}`;
