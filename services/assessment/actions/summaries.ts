/** Actions: the results as read (counties, divisions, staff, one person's breakdown) and the summary files. */
import type { Service } from "moleculer";
import { CITY_ORG_ID } from "../../../shared/auth";
import {
  SUMMARY_TABLES,
  TIE_BREAK_RULE,
  type DivisionResult,
  type FactView,
  type OrgResult,
  type StaffBreakdown,
  type StaffResult,
  type SummaryParams,
  type SummaryTable,
} from "../../../shared/contracts/assessment";
import { NotFoundError, fieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { XLSX_MIME, contentDisposition, tablesHtml, tablesWorkbook } from "../../../shared/report-table";
import { redact } from "../scoring";
import type { Ctx, This } from "../types";
import { factView } from "../views";
import { OPTIONAL_YEAR } from "./common";

/** Which summary table a file holds, and of which year and scope (the .xlsx and the print page alike). */
const SUMMARY_FILE_PARAMS = {
  $$strict: true,
  year: OPTIONAL_YEAR,
  table: { type: "enum", values: SUMMARY_TABLES },
  orgId: `${ID}|optional`,
  divisionId: `${ID}|optional`,
};

export const summaryActions: Service.ServiceActionsSchema<This> = {
  "summary.counties": {
    rest: "GET /summary/counties",
    params: { $$strict: true, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ year?: number }>): Promise<OrgResult[]> {
      const { results } = await this.results(ctx.params.year ?? this.currentYear());
      return results.orgs.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
    },
  },

  "summary.divisions": {
    rest: "GET /summary/divisions",
    params: { $$strict: true, year: OPTIONAL_YEAR, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<DivisionResult[]> {
      const refs = await this.refs();
      const orgId = ctx.params.orgId ?? ctx.meta.user?.orgId ?? CITY_ORG_ID;
      if (!refs.orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      const { results } = await this.results(ctx.params.year ?? this.currentYear());
      return results.divisions.filter((d) => d.orgId === orgId).sort((a, b) => a.rank - b.rank);
    },
  },

  "summary.staff": {
    rest: "GET /summary/staff",
    params: { $$strict: true, year: OPTIONAL_YEAR, orgId: `${ID}|optional`, divisionId: `${ID}|optional` },
    async handler(
      this: This,
      ctx: Ctx<{ year?: number; orgId?: string; divisionId?: string }>,
    ): Promise<StaffResult[]> {
      const refs = await this.refs();
      const { divisionId } = ctx.params;
      if (divisionId && !refs.divisions.has(divisionId)) throw new NotFoundError("DIVISION_NOT_FOUND", "处室不存在");
      const orgId = divisionId ? refs.divisions.get(divisionId)!.orgId : (ctx.params.orgId ?? ctx.meta.user?.orgId);
      if (!orgId) throw fieldError("orgId", "请指定单位或处室");
      if (!refs.orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      const { results } = await this.results(ctx.params.year ?? this.currentYear());
      return results.staff
        .filter((s) => s.orgId === orgId && (!divisionId || s.divisionId === divisionId))
        .sort((a, b) => a.rank - b.rank)
        .map((s) => (this.seesPrivate(ctx, s) ? s : redact(s)));
    },
  },

  breakdown: {
    rest: "GET /breakdown/:staffId",
    params: { $$strict: true, staffId: ID, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ staffId: string; year?: number }>): Promise<StaffBreakdown> {
      const year = ctx.params.year ?? this.currentYear();
      const { results, frozen } = await this.results(year);
      const s = results.staff.find((x) => x.staffId === ctx.params.staffId);
      if (!s) throw new NotFoundError("STAFF_NOT_FOUND", "该人员不在本年度考核范围内");
      const full = this.seesPrivate(ctx, s);
      const division = results.divisions.find((d) => d.divisionId === s.divisionId)!;
      const doc = (await this.yearCache(year)).people.get(s.staffId);
      const facts: FactView[] = Object.entries(doc?.facts ?? {})
        .filter(([, f]) => f.x > 0)
        .map(([id, f]) => factView(id, f))
        .sort((a, b) => a.date.localeCompare(b.date) || a.factId.localeCompare(b.factId));
      return {
        ...(full ? s : redact(s)),
        year,
        full,
        facts,
        division: {
          divisionId: division.divisionId,
          name: division.name,
          tasks: division.tasks,
          score: division.score,
        },
        tieBreakRule: TIE_BREAK_RULE,
        frozen,
      };
    },
  },

  export: {
    rest: "GET /exports/summary",
    params: SUMMARY_FILE_PARAMS,
    async handler(this: This, ctx: Ctx<SummaryParams & { table: SummaryTable }>): Promise<Buffer> {
      const { title, file } = await this.summaryFile(ctx, "xlsx", (t) => tablesWorkbook(t.tables));
      ctx.meta.$responseType = XLSX_MIME;
      ctx.meta.$responseHeaders = { "Content-Disposition": contentDisposition(title, "xlsx") };
      return file;
    },
  },

  print: {
    rest: "GET /print/summary",
    params: SUMMARY_FILE_PARAMS,
    async handler(this: This, ctx: Ctx<SummaryParams & { table: SummaryTable }>): Promise<string> {
      const { file } = await this.summaryFile(ctx, "html", (t) =>
        tablesHtml(t.title, t.tables, `排名规则：${TIE_BREAK_RULE}`),
      );
      ctx.meta.$responseType = "text/html; charset=utf-8";
      return file;
    },
  },
};
