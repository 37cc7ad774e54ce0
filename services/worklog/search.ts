/**
 * Chinese keyword search that needs no text index: each log stores a `tokens` array (jieba search-mode
 * words, single CJK characters, CJK character bigrams, lower-cased latin words).
 *
 * A query is matched by its bigrams (or the single character of a one-character run), not by its
 * jieba words: jieba may split a query differently from the same characters inside a longer text
 * (执行情况 alone vs. inside 预算执行情况), and bigrams don't depend on the split. The read index's
 * postings (log-index.ts, built from the stored tokens) narrow the candidates to logs holding every
 * bigram; the exact substring check then removes the rare candidate whose bigrams all occur but not
 * in a row. On MongoDB the same tokens would serve `$all` with a multikey index. jieba words of three or more characters are stored too
 * (shorter ones are already bigrams), so a log where a long query word is a word ranks higher.
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";

let jieba: Jieba | undefined;
const segmenter = (): Jieba => (jieba ??= Jieba.withDict(dict));

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const WORD = /^[\p{L}\p{N}]+$/u;
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;

/** Lower-cased, full-width letters and digits folded to ASCII. */
export const normalize = (s: string): string => s.normalize("NFKC").toLowerCase();

/** Tokens to store for a text. */
export function tokenize(text: string): string[] {
  const t = normalize(text);
  const out = new Set<string>();
  for (const run of t.match(RUNS) ?? []) {
    if (!CJK.test(run[0])) {
      out.add(run);
      continue;
    }
    for (let i = 0; i < run.length; i++) {
      out.add(run[i]);
      if (i + 1 < run.length) out.add(run.slice(i, i + 2));
    }
  }
  for (const w of segmenter().cutForSearch(t, true)) if (w.length > 2 && WORD.test(w)) out.add(w);
  return [...out];
}

export interface Query {
  /** The query's runs (CJK or latin), each of which must occur in the text as a substring/word. */
  terms: string[];
  /** Tokens every matching log has; used with `$all`. */
  required: string[];
  /** jieba words of the query, for ranking whole-word matches first. */
  words: string[];
}

export function parseQuery(q: string): Query {
  const t = normalize(q);
  const terms = [...new Set(t.match(RUNS) ?? [])];
  const required = new Set<string>();
  for (const run of terms) {
    if (!CJK.test(run[0]) || run.length === 1) required.add(run);
    else for (let i = 0; i + 1 < run.length; i++) required.add(run.slice(i, i + 2));
  }
  const words = segmenter()
    .cutForSearch(terms.join(" "), true)
    .filter((w) => w.trim().length > 1);
  return { terms, required: [...required], words: [...new Set(words)] };
}

/** Whether the text holds every term: CJK as substrings, latin as whole words. */
export const matches = (query: Query, text: string): boolean => matchesNormalized(query, normalize(text));

/** The same for a text already normalized (the read index keeps it so, to normalize each log once). */
export function matchesNormalized(query: Query, t: string): boolean {
  let latin: Set<string> | undefined;
  return query.terms.every((term) =>
    CJK.test(term[0]) ? t.includes(term) : (latin ??= new Set(t.match(/[a-z0-9]+/g) ?? [])).has(term),
  );
}

/**
 * Match strength: occurrences of each term (capped) plus a bonus for each query word that is also a
 * jieba word of the log; then a recency decay with a half-life of 30 days.
 */
export const score = (query: Query, text: string, hasToken: (word: string) => boolean, ageDays: number): number =>
  scoreNormalized(query, normalize(text), hasToken, ageDays);

export function scoreNormalized(query: Query, t: string, hasToken: (word: string) => boolean, ageDays: number): number {
  let s = 0;
  for (const term of query.terms) s += occurrences(t, term, 5);
  for (const w of query.words) if (hasToken(w)) s += 2;
  return Math.round(s * Math.pow(0.5, Math.max(0, ageDays) / 30) * 1000) / 1000;
}

/** Non-overlapping occurrences of `term` in `t`, counting up to `cap` (no array made, unlike `split`). */
function occurrences(t: string, term: string, cap: number): number {
  let n = 0;
  for (let i = t.indexOf(term); i >= 0 && n < cap; i = t.indexOf(term, i + term.length)) n++;
  return n;
}
