import { matches, parseQuery, score, tokenize } from "../../../services/worklog/search";

const BUDGET = "1. 分析全市前9个月预算执行情况，形成分析报告。";
const TREASURY = "1. 办理国库集中支付业务12笔。\n体会：工作要日清日结。";

/** What the database does with `$all`, then the exact check the service applies. */
const finds = (q: string, text: string): boolean => {
  const query = parseQuery(q);
  const tokens = new Set(tokenize(text));
  return query.required.every((t) => tokens.has(t)) && matches(query, text);
};

describe("Chinese search tokens", () => {
  test("when a log mentions 预算执行, then a search for 预算 finds it and a log without 预算 is not found", () => {
    expect(finds("预算", BUDGET)).toBe(true);
    expect(finds("预算", TREASURY)).toBe(false);
  });

  test("when jieba splits the query differently from the text (执行情况 inside 预算执行情况), then it is still found", () => {
    expect(finds("执行情况", BUDGET)).toBe(true);
    expect(finds("预算执行情况", BUDGET)).toBe(true);
    expect(finds("算执", BUDGET)).toBe(true);
  });

  test("when every bigram of a query occurs but not in a row, then the exact check rejects the log", () => {
    const text = "执行了任务。情况良好。行情不错";
    const query = parseQuery("执行情况");
    const tokens = new Set(tokenize(text));
    expect(query.required.every((t) => tokens.has(t))).toBe(true);
    expect(matches(query, text)).toBe(false);
  });

  test("when a query has a single character or latin words, then they match as a character and as whole words", () => {
    expect(finds("税", "税政法规处审查文件")).toBe(true);
    expect(finds("税", "预算处")).toBe(false);
    expect(finds("ABC 系统", "升级ABC系统")).toBe(true);
    expect(finds("AB", "升级ABC系统")).toBe(false);
  });

  test("when a query has several words, then all must occur", () => {
    expect(finds("国库 日清日结", TREASURY)).toBe(true);
    expect(finds("国库 预算", TREASURY)).toBe(false);
  });

  test("when two logs match, then more occurrences and newer dates rank higher", () => {
    const q = parseQuery("预算");
    const twice = "预算编制和预算执行";
    const has = (text: string) => (w: string) => tokenize(text).includes(w);
    expect(score(q, twice, has(twice), 0)).toBeGreaterThan(score(q, BUDGET, has(BUDGET), 0));
    expect(score(q, BUDGET, has(BUDGET), 1)).toBeGreaterThan(score(q, BUDGET, has(BUDGET), 60));
  });
});
