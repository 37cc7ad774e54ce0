/** HR's completion matrix: every division's part of every task of a year, on the page and as .xlsx or print. */
import type { ServiceActionsSchema } from "moleculer";
import { audit } from "../../../shared/audit";
import { isCityWide } from "../../../shared/auth";
import type { CompletionMatrix } from "../../../shared/contracts/plans";
import { ForbiddenError, NotFoundError } from "../../../shared/errors";
import { ID, YEAR } from "../../../shared/params";
import { may, rolesOf } from "../../../shared/permissions";
import { XLSX_MIME, contentDisposition, tablesHtml, tablesWorkbook } from "../../../shared/report-table";
import type { TaskDoc } from "../data/models";
import { monthOf } from "../deadlines";
import { completionMatrix, matrixTables } from "../matrix";
import type { Ctx, FileMeta, This } from "../types";

const MATRIX_PARAMS = { $$strict: true, year: { ...YEAR, optional: true }, orgId: `${ID}|optional` };

export const matrixActions: ServiceActionsSchema<This> = {
  matrix: {
    rest: "GET /matrix",
    auth: rolesOf("plans.readMatrix"),
    params: MATRIX_PARAMS,
    async handler(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix> {
      return this.completionMatrix(ctx);
    },
  },

  "matrix.export": {
    rest: "GET /matrix/export",
    auth: rolesOf("plans.readMatrix"),
    params: { ...MATRIX_PARAMS, format: { type: "enum", values: ["xlsx", "html"], optional: true } },
    async handler(
      this: This,
      ctx: Ctx<{ year?: number; orgId?: string; format?: "xlsx" | "html" }, FileMeta>,
    ): Promise<Buffer | string> {
      const m = await this.completionMatrix(ctx);
      const { divisions, orgs } = await this.refs();
      const scope = m.orgId ? (orgs.get(m.orgId)?.name ?? m.orgId) : "全市财政系统";
      const tables = matrixTables(m, {
        scope,
        org: (id) => orgs.get(id)?.name ?? id,
        division: (id) => divisions.get(id)?.name ?? id,
        generated: this.today(),
      });
      const name = `${m.year}年度${scope}年度任务完成情况`;
      await audit(ctx, "plans.matrix.export", "success", m.orgId ? `org:${m.orgId}` : null, { year: m.year });
      if (ctx.params.format === "html") {
        ctx.meta.$responseType = "text/html; charset=utf-8";
        return tablesHtml(name, tables, "“逾期”指过了完成时限仍未完成的任务；加权进度按任务权重计算。");
      }
      ctx.meta.$responseType = XLSX_MIME;
      ctx.meta.$responseHeaders = { "Content-Disposition": contentDisposition(name, "xlsx") };
      return tablesWorkbook(tables);
    },
  },
};

export const matrixMethods = {
  /** HR's completion matrix for a year (default this one) and an organisation (default: the caller's scope). */
  async completionMatrix(this: This, ctx: Ctx<{ year?: number; orgId?: string }>): Promise<CompletionMatrix> {
    const user = ctx.meta.user;
    const year = ctx.params.year ?? monthOf(this.today()).year;
    let orgId = ctx.params.orgId ?? null;
    const { divisions, orgs } = await this.refs();
    if (orgId && !orgs.has(orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
    if (user && !ctx.meta.system) {
      if (!orgId && !isCityWide(user)) orgId = user.orgId;
      if (orgId && !may(user, "plans.readMatrix", { orgId })) throw new ForbiddenError("无权查看其他单位的完成情况");
    }
    // A whole-bureau read over this year's tasks (a few thousand documents): from memory when the
    // year is held (the current one is), else one pass over the collection.
    const wanted = (t: TaskDoc) => t.year === year && (!orgId || t.participantOrgIds.includes(orgId));
    const tasks =
      this.docs.select<TaskDoc>("tasks", String(year), wanted) ??
      (await this.m.Task.find(orgId ? { year, participantOrgIds: orgId } : { year }).lean<TaskDoc[]>());
    const rows = [...divisions.values()]
      .filter((d) => !orgId || d.orgId === orgId)
      .filter((d) => d.kind !== "leadership" || tasks.some((t) => t.participantDivisionIds.includes(d.id)))
      .sort((a, b) => (orgs.get(a.orgId)?.order ?? 0) - (orgs.get(b.orgId)?.order ?? 0) || a.order - b.order);
    return completionMatrix(
      tasks.map((t) => this.view(t)),
      rows,
      year,
      orgId,
      this.today(),
    );
  },
};
