/** Reading: one document, the lists of the 公文 menu (待办, 已办, 我的拟稿, 查询, 归档), 效能监督. */
import type { Service } from "moleculer";
import type { DocumentList, DocumentView, EfficiencyRow } from "../../../shared/contracts/documents";
import { DOC_KINDS } from "../../../shared/contracts/documents";
import { ForbiddenError } from "../../../shared/errors";
import { page } from "../../../shared/item-store";
import { DATE, ID } from "../../../shared/params";
import { allowed } from "../../../shared/permissions";
import { sees } from "../access";
import { isOverdue } from "../deadlines";
import type { Ctx, DocRow, This } from "../types";
import { docRowView } from "../views";
import { LIMIT, PAGE } from "./params";

type ListParams = { page?: number; limit?: number; kind?: DocRow["doc"]["kind"] };
const LIST = {
  $$strict: true,
  page: PAGE,
  limit: LIMIT,
  kind: { type: "enum", values: DOC_KINDS, optional: true },
} as const;

/** Urgent first, then the earliest due, then the latest change. */
const URGENCY_ORDER = { 特急: 0, 加急: 1, 平件: 2 } as const;

async function list(
  svc: This,
  ctx: Ctx<ListParams>,
  pick: (r: DocRow, staffId: string | null) => boolean,
  order: "todo" | "recent" = "recent",
): Promise<DocumentList> {
  const me = await svc.actor(ctx);
  const today = svc.today();
  const rows = (await svc.docIndex.all()).filter(
    (r) => (!ctx.params.kind || r.doc.kind === ctx.params.kind) && sees(me, r) && pick(r, me.staffId),
  );
  const due = (r: DocRow) => (me.staffId && r.open.get(me.staffId)) || "9999";
  rows.sort((a, b) =>
    order === "todo"
      ? URGENCY_ORDER[a.doc.urgency] - URGENCY_ORDER[b.doc.urgency] ||
        due(a).localeCompare(due(b)) ||
        b.doc.updatedAt.localeCompare(a.doc.updatedAt)
      : b.doc.updatedAt.localeCompare(a.doc.updatedAt),
  );
  const result = page(rows, ctx.params);
  return { ...result, items: result.items.map((r) => docRowView(r, me.staffId, today)) };
}

export const listActions: Service.ServiceActionsSchema<This> = {
  get: {
    rest: "GET /items/:id",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<DocumentView> {
      return this.docView(await this.visibleDoc(await this.actor(ctx), ctx.params.id));
    },
  },

  todo: {
    rest: "GET /todo",
    params: LIST,
    handler(this: This, ctx: Ctx<ListParams>): Promise<DocumentList> {
      return list(
        this,
        ctx,
        (r, me) => !!me && r.open.has(me) && (r.doc.stage !== "draft" || r.doc.timeline.length > 0),
        "todo",
      );
    },
  },

  done: {
    rest: "GET /done",
    params: LIST,
    handler(this: This, ctx: Ctx<ListParams>): Promise<DocumentList> {
      return list(this, ctx, (r, me) => !!me && r.actedBy.has(me) && !r.open.has(me));
    },
  },

  drafts: {
    rest: "GET /drafts",
    params: LIST,
    handler(this: This, ctx: Ctx<ListParams>): Promise<DocumentList> {
      return list(this, ctx, (r, me) => !!me && r.doc.drafterId === me && r.doc.kind !== "incoming");
    },
  },

  archived: {
    rest: "GET /archive",
    params: LIST,
    handler(this: This, ctx: Ctx<ListParams>): Promise<DocumentList> {
      return list(this, ctx, (r) => r.doc.stage === "archived");
    },
  },

  search: {
    rest: "GET /search",
    params: {
      ...LIST,
      q: "string|max:100|trim|optional",
      number: "string|max:60|trim|optional",
      sender: "string|max:100|trim|optional",
      from: `${DATE}|optional`,
      to: `${DATE}|optional`,
    },
    handler(
      this: This,
      ctx: Ctx<ListParams & { q?: string; number?: string; sender?: string; from?: string; to?: string }>,
    ): Promise<DocumentList> {
      const { q, number, sender, from, to } = ctx.params;
      const words = (q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      return list(this, ctx, (r) => {
        const d = r.doc;
        const day = (d.issuedAt ?? d.createdAt).slice(0, 10);
        return (
          words.every((w) => r.text.includes(w)) &&
          (!number || (d.number ?? "").includes(number)) &&
          (!sender || d.senderName.includes(sender)) &&
          (!from || day >= from) &&
          (!to || day <= to)
        );
      });
    },
  },

  efficiency: {
    rest: "GET /efficiency",
    params: { $$strict: true, orgId: `${ID}|optional` },
    async handler(this: This, ctx: Ctx<{ orgId?: string }>): Promise<EfficiencyRow[]> {
      const orgId = ctx.params.orgId ?? ctx.meta.user?.orgId ?? "";
      if (!allowed(ctx.meta, "documents.oversee", { orgId }))
        throw new ForbiddenError("无权查看效能监督", "NOT_OVERSEER");
      const today = this.today();
      const rows = new Map<string, EfficiencyRow>();
      for (const r of await this.docIndex.all()) {
        const d = r.doc;
        if (d.kind !== "incoming" || (ctx.params.orgId && d.orgId !== orgId)) continue;
        for (const t of d.tasks) {
          if (!t.dueDate || !t.divisionId || ["cancelled", "withdrawn", "returned"].includes(t.status)) continue;
          const key = `${d.orgId}|${t.divisionId}`;
          const row = rows.get(key) ?? {
            orgId: d.orgId,
            divisionId: t.divisionId,
            handled: 0,
            onTime: 0,
            open: 0,
            overdue: 0,
          };
          if (t.status === "done") {
            row.handled++;
            if ((t.actedAt ?? "").slice(0, 10) <= t.dueDate) row.onTime++;
          } else {
            row.open++;
            if (isOverdue(t.dueDate, today)) row.overdue++;
          }
          rows.set(key, row);
        }
      }
      return [...rows.values()].sort(
        (a, b) => a.orgId.localeCompare(b.orgId) || a.divisionId.localeCompare(b.divisionId),
      );
    },
  },
};
