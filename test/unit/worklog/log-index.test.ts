import { decodeCursor, encodeCursor } from "../../../services/worklog/data/feed-order";
import { LogIndex, type IndexedLog } from "../../../services/worklog/data/log-index";
import { parseQuery, tokenize } from "../../../services/worklog/search";
import type { LogDoc } from "../../../services/worklog/data/models";

let n = 0;
/** A log with a fresh id; ids grow with `n`, so a later log has the larger id. */
function log(extra: Partial<LogDoc> = {}): LogDoc {
  const done = extra.done ?? "整理国库台账。";
  const date = extra.date ?? "2026-03-10";
  const status = extra.status ?? "published";
  return {
    _id: (++n).toString(16).padStart(24, "0"),
    kind: "personal",
    status,
    authorStaffId: "s-1",
    authorName: "甲",
    orgId: "zhangbei",
    divisionId: "zhangbei-budget",
    date,
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    isoYear: 2026,
    isoWeek: 11,
    done,
    thoughts: "",
    tags: [],
    taskIds: [],
    tokens: status === "published" ? tokenize(done) : [],
    version: 1,
    edited: false,
    late: false,
    publishedAt: status === "draft" ? null : new Date(`${date}T10:00:00Z`),
    editedAt: null,
    withdrawnAt: null,
    withdrawReason: null,
    readCount: 0,
    usefulCount: 0,
    commentCount: 0,
    createdAt: new Date(`${date}T09:00:00Z`),
    ...extra,
  };
}

const ids = (xs: Iterable<IndexedLog>): string[] => [...xs].map((d) => d._id);
const search = (idx: LogIndex, q: string, filters = {}) => ids(idx.withTokens(parseQuery(q).required, { filters }));

describe("the read index: feed order, filters and cursors", () => {
  test("when logs of several days and times are indexed, then the feed is date desc, publishedAt desc, id desc", () => {
    const a = log({ date: "2026-03-09" });
    const b = log({ date: "2026-03-10", publishedAt: new Date("2026-03-10T08:00:00Z") });
    const c = log({ date: "2026-03-10", publishedAt: new Date("2026-03-10T09:00:00Z") });
    const d = log({ date: "2026-03-10", publishedAt: new Date("2026-03-10T09:00:00Z") });
    const built = LogIndex.of([a, b, c, d]);
    const grown = new LogIndex();
    for (const x of [c, a, d, b]) grown.apply(x);
    for (const idx of [built, grown]) expect(ids(idx.page({}, null, 10).items)).toEqual([d._id, c._id, b._id, a._id]);
  });

  test("when the feed is filtered, then only logs matching every filter come, drafts never", () => {
    const mine = log({ tags: ["预算"], kind: "org" });
    const otherOrg = log({ authorStaffId: "s-3", orgId: "kangbao", divisionId: "kangbao-budget", tags: ["预算"] });
    const otherAuthor = log({ authorStaffId: "s-2" });
    const old = log({ date: "2026-02-01" });
    const draft = log({ status: "draft" });
    const idx = LogIndex.of([mine, otherOrg, otherAuthor, old, draft]);
    const page = (f: object) => ids(idx.page(f, null, 10).items).sort();
    expect(page({ orgId: "zhangbei" })).toEqual([mine._id, otherAuthor._id, old._id].sort());
    expect(page({ authorId: "s-1", from: "2026-03-01" })).toEqual([mine._id]);
    expect(page({ tag: "预算" })).toEqual([mine._id, otherOrg._id].sort());
    expect(page({ kind: "org" })).toEqual([mine._id]);
    expect(page({ divisionId: "kangbao-budget" })).toEqual([otherOrg._id]);
    expect(page({ to: "2026-02-28" })).toEqual([old._id]);
    expect(page({})).not.toContain(draft._id);
  });

  test("when a newer log arrives between two pages, then the second page continues after the first without gaps", () => {
    const logs = Array.from({ length: 6 }, (_, i) =>
      log({ publishedAt: new Date(Date.UTC(2026, 2, 10, 1, i)), date: "2026-03-10" }),
    );
    const idx = LogIndex.of(logs);
    const p1 = idx.page({}, null, 3);
    expect(p1.more).toBe(true);
    idx.apply(log({ publishedAt: new Date(Date.UTC(2026, 2, 10, 5)), date: "2026-03-10" }));
    const p2 = idx.page({}, decodeCursor(encodeCursor(p1.items[2])), 3);
    expect([...ids(p1.items), ...ids(p2.items)]).toEqual(ids([...logs].reverse()));
    expect(p2.more).toBe(false);
  });
});

describe("the read index after publish, edit, withdraw and a moved date", () => {
  test("when a draft is published, then it leaves the author's drafts and enters the feed and search", () => {
    const draft = log({ status: "draft", done: "草稿：预算草案思路。" });
    const idx = LogIndex.of([draft]);
    expect(ids(idx.draftsOf("s-1", 10))).toEqual([draft._id]);
    expect(search(idx, "预算")).toEqual([]);
    idx.apply({
      ...draft,
      status: "published",
      publishedAt: new Date("2026-03-10T10:00:00Z"),
      tokens: tokenize(draft.done),
    });
    expect(idx.draftsOf("s-1", 10)).toEqual([]);
    expect(ids(idx.page({}, null, 10).items)).toEqual([draft._id]);
    expect(search(idx, "预算")).toEqual([draft._id]);
  });

  test("when an edit moves a log to an earlier date and changes its words, then it is filed under the new date and found by the new words only", () => {
    const moved = log({ date: "2026-03-10", done: "雪场配套资金。" });
    const between = log({ date: "2026-03-08" });
    const idx = LogIndex.of([moved, between]);
    idx.apply({
      ...moved,
      date: "2026-03-05",
      version: 2,
      edited: true,
      done: "冬奥场馆运维。",
      tokens: tokenize("冬奥场馆运维。"),
    });
    expect(ids(idx.page({}, null, 10).items)).toEqual([between._id, moved._id]);
    expect(ids(idx.page({ authorId: "s-1", from: "2026-03-09" }, null, 10).items)).toEqual([]);
    expect(search(idx, "雪场")).toEqual([]);
    expect(search(idx, "场馆")).toEqual([moved._id]);
    expect(idx.counts({ authorId: "s-1" })).toEqual([{ year: 2026, month: 3, count: 2 }]);
  });

  test("when a log is withdrawn, then the feed keeps its tombstone, search and counts drop it", () => {
    const gone = log({ done: "要撤回的内容：预算调整。" });
    const idx = LogIndex.of([gone, log({ date: "2026-02-10" })]);
    idx.apply({ ...gone, status: "withdrawn", version: 2, done: "", tokens: [], withdrawnAt: new Date() });
    expect(idx.page({}, null, 10).items[0]).toMatchObject({ _id: gone._id, status: "withdrawn", done: "" });
    expect(search(idx, "预算")).toEqual([]);
    expect(idx.counts({ orgId: "zhangbei" })).toEqual([{ year: 2026, month: 2, count: 1 }]);
  });

  test("when counters move, then the kept log shows them without being re-filed", () => {
    const l = log({ done: "预算评审要点。" });
    const idx = LogIndex.of([l]);
    idx.bump(l._id, "readCount", 1);
    idx.bump(l._id, "usefulCount", 1);
    idx.bump(l._id, "usefulCount", -1);
    idx.bump(l._id, "commentCount", 1);
    expect(idx.get(l._id)).toMatchObject({ readCount: 1, usefulCount: 0, commentCount: 1 });
    expect(search(idx, "预算")).toEqual([l._id]);
  });

  test("when a draft is deleted, then the index forgets it", () => {
    const d = log({ status: "draft" });
    const idx = LogIndex.of([d]);
    idx.remove(d._id);
    expect(idx.get(d._id)).toBeUndefined();
    expect(idx.draftsOf("s-1", 10)).toEqual([]);
  });
});

describe("the read index's search postings", () => {
  test("when a query has several bigrams, then only logs holding all of them are candidates, newest first", () => {
    const both = log({ done: "预算执行情况。", date: "2026-03-09" });
    const newer = log({ done: "执行预算。", date: "2026-03-10" });
    const neither = log({ done: "国库集中支付。" });
    const idx = LogIndex.of([both, newer, neither]);
    expect(search(idx, "预算")).toEqual([newer._id, both._id]);
    expect(search(idx, "预算执行")).toEqual([both._id]);
    expect(search(idx, "预算", { orgId: "kangbao" })).toEqual([]);
    expect(search(idx, "不存在的词")).toEqual([]);
    expect(idx.hasToken(both._id, "预算")).toBe(true);
    expect(idx.hasToken(neither._id, "预算")).toBe(false);
  });

  test("when many edits leave dead postings and the index compacts them, then search still finds exactly the current words", () => {
    const logs = Array.from({ length: 20 }, (_, i) => log({ done: i % 2 ? "预算执行。" : "国库支付。" }));
    const idx = LogIndex.of(logs);
    for (let v = 2; v <= 80; v++)
      for (const [i, l] of logs.entries()) {
        const done = (i + v) % 2 ? "预算执行。" : "国库支付。";
        idx.apply({ ...l, version: v, done, tokens: tokenize(done) });
      }
    // Version 80: odd logs hold 预算, even ones 国库.
    const odd = logs.filter((_, i) => i % 2 === 1).map((l) => l._id);
    expect(search(idx, "预算").sort()).toEqual(odd.sort());
    expect(search(idx, "国库").length).toBe(10);
    expect(idx.hasToken(odd[0], "预算")).toBe(true);
    expect(idx.hasToken(odd[0], "国库")).toBe(false);
  });
});
