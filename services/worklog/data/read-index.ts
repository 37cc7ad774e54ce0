/** The read index's life in the service: built at start, kept current, ranked for search. */
import { randomBytes } from "node:crypto";
import { fieldError } from "../../../shared/errors";
import { IndexSync } from "../../../shared/store/change-journal";
import { matchesNormalized, parseQuery, scoreNormalized } from "../search";
import type { Ranked, This } from "../types";
import { LogIndex, type FeedFilters } from "./log-index";
import type { LogDoc } from "./models";

/** Search ranks the newest logs holding every query token, at most this many (then the exact check). */
const SEARCH_CANDIDATES = 500;
/** Rankings kept for repeated searches (a page turn, a popular word); the oldest goes first. */
const RANKINGS_KEPT = 500;

export const indexMethods = {
  /**
   * Builds the read index from one pass over the logs, then catches up with what other replicas
   * wrote meanwhile (their change journal). At start this runs before the service is announced,
   * so no request ever meets an empty or partial index; a rebuild (demo reset) swaps the new one in.
   */
  async buildIndex(this: This): Promise<void> {
    const from = Date.now();
    // The journal's head before the read: whatever changes during the read is read again after it.
    const head = await this.journal.head();
    const index = await LogIndex.from(this.m.Log.collection.find({}).batchSize(2000) as AsyncIterable<LogDoc>);
    if (this.sync) this.sync.replace(index, head);
    else
      this.sync = new IndexSync(
        index,
        {
          journal: this.journal,
          writerId: `${this.broker.nodeID}-${randomBytes(3).toString("hex")}`,
          load: (id) => this.m.Log.collection.findOne({ _id: id } as never) as Promise<LogDoc | null>,
        },
        head,
      );
    const caught = await this.sync.catchUp();
    this.logger.info("Read index built", { logs: index.size, ms: Date.now() - from, ...caught });
  },

  /**
   * A search's ranking: the newest candidates holding every query token, checked for the exact
   * text, scored, best first. Kept while the index does not change (counters aside: the views
   * are made when served), so page turns and repeated searches rank once.
   */
  rank(this: This, q: string, filters: FeedFilters): Ranked[] {
    const index = this.sync.index;
    const today = this.today();
    const key = JSON.stringify([q, today, filters]);
    const kept = this.rankings.get(key);
    if (kept && kept.index === index && kept.version === index.version) return kept.hits;
    const query = parseQuery(q);
    if (!query.terms.length) throw fieldError("q", "关键词应包含文字或数字");
    const midnight = Date.parse(`${today}T00:00:00Z`);
    const hits: (Ranked & { date: string })[] = [];
    let candidates = 0;
    for (const d of index.withTokens(query.required, { filters })) {
      const text = index.searchText(d._id);
      if (matchesNormalized(query, text)) {
        const ageDays = (midnight - Date.parse(`${d.date}T00:00:00Z`)) / 86_400_000;
        const score = scoreNormalized(query, text, (word) => index.hasToken(d._id, word), ageDays);
        hits.push({ id: d._id, score, date: d.date });
      }
      if (++candidates === SEARCH_CANDIDATES) break;
    }
    hits.sort((a, b) => b.score - a.score || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    const ranked = hits.map(({ id, score }) => ({ id, score }));
    this.rankings.delete(key);
    this.rankings.set(key, { index, version: index.version, hits: ranked });
    if (this.rankings.size > RANKINGS_KEPT) this.rankings.delete(this.rankings.keys().next().value!);
    return ranked;
  },

  /** Reads the change journal; rebuilds the index when the journal may have lost changes. */
  async catchUp(this: This): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      const r = await this.sync.catchUp();
      if (r.lost) {
        this.logger.warn("The change journal may have lost changes (Redis restarted?): rebuilding the read index");
        await this.buildIndex();
      }
    } finally {
      this.catchingUp = false;
    }
  },

  /**
   * A log changed here (already written): the index takes it now, the other replicas hear of it by
   * broadcast and re-read it by `_id`; resolves once the change is in the journal (their catch-up).
   */
  logChanged(this: This, id: string, change: (index: LogIndex) => void): Promise<void> {
    const { stamp, journaled } = this.sync.local(change, id);
    this.broker
      .broadcast("worklog.cache.invalidate", { kinds: [], logs: [[id, stamp]] }, { groups: ["worklog"] })
      .catch((err: Error) => this.logger.warn("log change not announced:", err.message));
    return journaled;
  },
};
