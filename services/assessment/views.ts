/** Stored documents as the API shows them, and the summary tables a reader may see. */
import { type AuthUser, CITY_ORG_ID, isCityWide } from "../../shared/auth";
import type {
  DivisionResult,
  FactView,
  LearningRecord,
  Scheme,
  SchemeInput,
  SnapshotMeta,
  StaffResult,
  SummaryParams,
  SummaryTable,
} from "../../shared/contracts/assessment";
import { ForbiddenError, NotFoundError, fieldError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import { localDate } from "../../shared/time";
import { decodeKey, type FactEntry } from "./counters";
import type { LearningDoc, SchemeDoc, SnapshotDoc } from "./data/models";
import { DEFAULT_SCHEME } from "./scheme";
import { redact } from "./scoring";
import { countiesTable, divisionsTable, staffTable } from "./summary";
import type { Ctx, SummaryTables, This } from "./types";

export const schemeView = (year: number, doc: SchemeDoc | null): Scheme =>
  doc
    ? {
        year,
        staffWeights: doc.staffWeights,
        divisionWeights: doc.divisionWeights,
        rules: doc.rules,
        grades: doc.grades,
        isDefault: false,
        frozen: doc.frozen,
        version: doc.version,
        updatedAt: doc.updatedAt.toISOString(),
        updatedBy: doc.updatedBy,
      }
    : {
        year,
        ...structuredClone(DEFAULT_SCHEME),
        isDefault: true,
        frozen: false,
        version: 0,
        updatedAt: null,
        updatedBy: null,
      };

export const schemeInput = (s: Scheme): SchemeInput => ({
  staffWeights: s.staffWeights,
  divisionWeights: s.divisionWeights,
  rules: s.rules,
  grades: s.grades,
});

export const snapshotMeta = (d: SnapshotDoc): SnapshotMeta => ({
  year: d.year,
  hash: d.hash,
  frozenAt: new Date(d.frozenAt).toISOString(),
  frozenBy: d.frozenBy,
  schemeVersion: d.schemeVersion,
  staff: d.counts.staff,
  divisions: d.counts.divisions,
  orgs: d.counts.orgs,
});

/** A person document's fact (keyed by its encoded fact id) as the breakdown lists it. */
export const factView = (id: string, f: FactEntry): FactView => ({
  factId: decodeKey(id),
  kind: f.k,
  date: f.d,
  value: f.x,
  label: f.l,
  level: f.lv,
});

export const learningView = (d: LearningDoc): LearningRecord => ({
  recordId: d._id,
  staffId: d.staffId,
  date: d.date,
  hours: d.hours,
  course: d.course,
  orgId: d.orgId,
  divisionId: d.divisionId,
  version: d.version,
  updatedAt: new Date(d.updatedAt).toISOString(),
});

export const viewMethods = {
  /** Own record; the head of the division, administrators of the organisation and leaders (`assessment.readPrivate`). */
  seesPrivate(this: This, ctx: Ctx<unknown>, s: Pick<StaffResult, "staffId" | "orgId" | "divisionId">): boolean {
    if (ctx.meta.system) return true;
    const user = ctx.meta.user as AuthUser | undefined;
    if (!user) return false;
    return may(user, "assessment.readPrivate", s);
  },

  /**
   * A summary file, built once per results, table and reader: building the whole-bureau .xlsx
   * takes most of a second, and HR, leaders and a second click ask for the same file.
   */
  async summaryFile<F extends Buffer | string>(
    this: This,
    ctx: Ctx<SummaryParams & { table: SummaryTable }>,
    format: "xlsx" | "html",
    build: (t: SummaryTables) => Promise<F> | F,
  ): Promise<{ title: string; file: F }> {
    const t = await this.summaryTables(ctx, ctx.params);
    const { year, table, orgId, divisionId } = ctx.params;
    const key = [format, year, table, orgId, divisionId, t.viewer, this.today()].join("|");
    let files = this.files.get(t.results);
    if (!files) this.files.set(t.results, (files = new Map()));
    let file = files.get(key);
    if (!file) {
      // Per-reader files of one organisation are small; still, keep at most a few dozen per results.
      if (files.size >= 32) files.delete(files.keys().next().value!);
      const built = Promise.resolve(build(t));
      files.set(key, built);
      built.catch(() => files.get(key) === built && files.delete(key));
      file = built;
    }
    return { title: t.title, file: (await file) as F };
  },

  async summaryTables(
    this: This,
    ctx: Ctx<unknown>,
    p: SummaryParams & { table: SummaryTable },
  ): Promise<SummaryTables> {
    const year = p.year ?? this.currentYear();
    const refs = await this.refs();
    const user = ctx.meta.user as AuthUser | undefined;
    if (p.divisionId && !refs.divisions.has(p.divisionId)) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
    if (p.orgId && !refs.orgs.has(p.orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
    const { results, frozen } = await this.results(year);
    const generated = `${localDate(this.clock.now())}${frozen ? "（已冻结）" : ""}`;
    const viewer = ctx.meta.system || (user && isCityWide(user)) ? "all" : `account:${user?.accountId ?? "-"}`;
    const cut = { results, viewer };
    const orgName = (id: string): string => refs.orgs.get(id)?.name ?? id;
    const staffOf = (filter: (s: StaffResult) => boolean): StaffResult[] =>
      results.staff
        .filter(filter)
        .sort((a, b) => (refs.orgs.get(a.orgId)?.order ?? 0) - (refs.orgs.get(b.orgId)?.order ?? 0) || a.rank - b.rank)
        .map((s) => (this.seesPrivate(ctx, s) ? s : redact(s)));
    const byOrgThenRank = (a: DivisionResult, b: DivisionResult): number =>
      (refs.orgs.get(a.orgId)?.order ?? 0) - (refs.orgs.get(b.orgId)?.order ?? 0) || a.rank - b.rank;
    switch (p.table) {
      case "bureau": {
        if (!ctx.meta.system && !(user && isCityWide(user)))
          throw new ForbiddenError("全局汇总表仅限市局人教处、局领导和系统管理员");
        return {
          ...cut,
          title: `${year}年度全局考核汇总表`,
          tables: [
            countiesTable(year, results.orgs, generated),
            divisionsTable(year, "全局", [...results.divisions].sort(byOrgThenRank), orgName, generated),
            staffTable(
              year,
              "全局",
              staffOf(() => true),
              orgName,
              generated,
            ),
          ],
        };
      }
      case "counties":
        return {
          ...cut,
          title: `${year}年度县区考核对比排名表`,
          tables: [countiesTable(year, results.orgs, generated)],
        };
      case "divisions": {
        const orgId = p.orgId ?? user?.orgId ?? CITY_ORG_ID;
        const name = orgName(orgId);
        const rows = results.divisions.filter((d) => d.orgId === orgId).sort(byOrgThenRank);
        return {
          ...cut,
          title: `${year}年度${name}处室考核汇总表`,
          tables: [divisionsTable(year, name, rows, orgName, generated)],
        };
      }
      case "staff": {
        const division = p.divisionId ? refs.divisions.get(p.divisionId) : undefined;
        const orgId = division?.orgId ?? p.orgId ?? user?.orgId;
        if (!orgId) throw fieldError("orgId", "请指定单位或处室");
        const name = `${orgName(orgId)}${division?.name ?? ""}`;
        const rows = staffOf((s) => s.orgId === orgId && (!division || s.divisionId === division.id));
        return {
          ...cut,
          title: `${year}年度${name}干部职工考核汇总表`,
          tables: [staffTable(year, name, rows, orgName, generated)],
        };
      }
    }
  },
};
