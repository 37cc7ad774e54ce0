/** The steps of a flow: act with an opinion (送出, 核稿, 会签, 签发, 签收, 拟办, 批办, 承办), return (退回), withdraw (撤回). */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import { DOCUMENT_LINKS, type DocumentView } from "../../../shared/contracts/documents";
import { ConflictError, ForbiddenError, ValidationError, fieldError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { DATE, ID } from "../../../shared/params";
import { isIsoDate } from "../../../shared/time";
import { handlingDue } from "../deadlines";
import type { DocDoc } from "../data/models";
import { enterFrom, stateOf, withState } from "../data/progress";
import { FlowError, act, myTask, returnTo, withdraw, withdrawer } from "../flows";
import type { Ctx, This } from "../types";
import { IDS, OPINION } from "./params";

interface ActParams {
  id: string;
  opinion?: string;
  handlingDivisionIds?: string[];
  dueDate?: string;
}

/** A flow rule's refusal as the client error it is. */
export function asClientError(err: unknown): unknown {
  if (!(err instanceof FlowError)) return err;
  if (err.status === 403) return new ForbiddenError(err.message, err.type);
  if (err.status === 422) return new ValidationError(err.message, [{ field: "toStep", message: err.message }]);
  return new ConflictError(err.type, err.message);
}

/** Tells the people of the new open tasks (in-app, through inbox). */
async function notifyOpen(svc: This, before: DocDoc, after: DocDoc): Promise<void> {
  const had = new Set(before.tasks.map((t) => t.id));
  const fresh = after.tasks.filter((t) => t.status === "open" && !had.has(t.id));
  await Promise.all(
    fresh.map((t) =>
      publish(
        svc.broker,
        "notification.requested",
        {
          recipientStaffId: t.assigneeId,
          kind: "documents.task",
          title: `待办公文：${after.title}`,
          body: `${after.steps[t.step].name}${t.dueDate ? `，${t.dueDate} 前办结` : ""}${t.coversFor ? `（代${t.coversFor.name}）` : ""}`,
          link: DOCUMENT_LINKS.document(after._id),
        },
        `documents:${t.id}`,
      ),
    ),
  );
}

/** Signed for (签收), or done (办结): the sender's outgoing document hears of it. */
async function feedBack(svc: This, incoming: DocDoc, what: "received" | "done"): Promise<void> {
  if (!incoming.source) return;
  const now = svc.now().toISOString();
  const by = incoming.tasks.find((t) => t.status === "done" && t.step === 0)?.assigneeName ?? null;
  await svc.change(incoming.source.id, (d) => ({
    ...d,
    distribution: d.distribution.map((r) =>
      r.incomingId !== incoming._id
        ? r
        : what === "received"
          ? { ...r, receivedAt: r.receivedAt ?? now, receivedBy: r.receivedBy ?? by }
          : { ...r, result: incoming.result, doneAt: now },
    ),
    timeline: [
      ...d.timeline,
      {
        at: now,
        event: what === "received" ? "receive" : "feedback",
        step: null,
        staffId: null,
        name: incoming.distribution.length
          ? incoming.senderName
          : (svc.refsCache?.orgs.get(incoming.orgId)?.name ?? incoming.orgId),
        opinion: what === "done" ? incoming.result : null,
        detail: what === "received" ? "已签收" : "办理结果已反馈",
      },
    ],
  }));
}

export const stepActions: Service.ServiceActionsSchema<This> = {
  act: {
    rest: "POST /items/:id/act",
    params: { $$strict: true, id: ID, opinion: OPINION, handlingDivisionIds: IDS, dueDate: `${DATE}|optional` },
    async handler(this: This, ctx: Ctx<ActParams>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const p = ctx.params;
      const cur = await this.visibleDoc(me, p.id);
      if (!["draft", "flow"].includes(cur.stage)) throw new ConflictError("NOT_IN_FLOW", "该公文不在流转中");
      const mine = myTask(stateOf(cur), me.staffId);
      if (!mine) throw new ForbiddenError("当前步骤不是你办理", "NOT_YOUR_STEP");
      const step = cur.steps[cur.step];
      if (["propose", "handle"].includes(step.action) && !p.opinion)
        throw fieldError("opinion", step.action === "handle" ? "请填写办理结果" : "请填写拟办意见");
      let assigned: { ids: string[]; due: string } | null = null;
      if (step.action === "assign") {
        const ids = [...new Set(p.handlingDivisionIds ?? [])];
        if (!ids.length) throw fieldError("handlingDivisionIds", "请选择承办处室");
        const { divisions } = await this.refs();
        if (ids.some((id) => divisions.get(id)?.orgId !== cur.orgId))
          throw fieldError("handlingDivisionIds", "承办处室不属于本单位");
        if (p.dueDate && (!isIsoDate(p.dueDate) || p.dueDate < this.today()))
          throw fieldError("dueDate", "办理期限应为今天或以后的日期");
        const flow = await this.flowFor(cur.orgId, cur.kind);
        assigned = {
          ids,
          due: p.dueDate ?? handlingDue(await this.calendar(), this.today(), cur.urgency, flow.dueWorkingDays),
        };
      } else if (p.handlingDivisionIds || p.dueDate) {
        throw fieldError(
          p.handlingDivisionIds ? "handlingDivisionIds" : "dueDate",
          "只有批办步骤可以指定承办处室和期限",
        );
      }
      const event = step.key === "draft" && cur.step === 0 ? "submit" : step.action;
      const opinion = p.opinion || (["approve", "sign"].includes(step.action) && event !== "submit" ? "同意" : null);
      let before: DocDoc = cur;
      const doc = await this.change(p.id, async (d) => {
        before = d;
        if (d.step !== cur.step) throw new ConflictError("DOCUMENT_CHANGED", "公文已被他人处理，请刷新");
        const detail = assigned ? `承办处室：${assigned.ids.length} 个，期限 ${assigned.due}` : null;
        const r = act(stateOf(d), me.staffId!, me.name, opinion, event, this.now().toISOString(), detail);
        let next = withState(d, r.state);
        if (assigned) next = { ...next, handlingDivisionIds: assigned.ids, handlingDue: assigned.due };
        return r.complete ? enterFrom(this, { ...next, stage: "flow" }, d.step + 1) : next;
      }).catch((err) => {
        throw asClientError(err);
      });
      await notifyOpen(this, before, doc);
      if (doc.kind === "incoming" && step.action === "receive") await feedBack(this, doc, "received");
      if (doc.kind === "incoming" && doc.stage === "done") await feedBack(this, doc, "done");
      await audit(ctx, `documents.${event}`, "success", `document:${doc._id}`, { step: step.key });
      return this.docView(doc);
    },
  },

  return: {
    rest: "POST /items/:id/return",
    params: {
      $$strict: true,
      id: ID,
      toStep: { type: "number", integer: true, min: 0, max: 50 },
      reason: "string|min:1|max:2000|trim",
    },
    async handler(this: This, ctx: Ctx<{ id: string; toStep: number; reason: string }>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const { id, toStep, reason } = ctx.params;
      await this.visibleDoc(me, id);
      let before: DocDoc | null = null;
      const doc = await this.change(id, (d) => {
        before = d;
        if (d.stage !== "flow") throw new ConflictError("NOT_IN_FLOW", "该公文不在流转中");
        const s = returnTo(stateOf(d), me.staffId ?? "", me.name, toStep, reason, this.now().toISOString());
        return enterFrom(this, withState(d, s), toStep);
      }).catch((err) => {
        throw asClientError(err);
      });
      await notifyOpen(this, before!, doc);
      await audit(ctx, "documents.return", "success", `document:${id}`, { toStep });
      return this.docView(doc);
    },
  },

  withdraw: {
    rest: "POST /items/:id/withdraw",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      await this.visibleDoc(me, ctx.params.id);
      const doc = await this.change(ctx.params.id, (d) => {
        if (!["flow", "signed"].includes(d.stage)) throw new ConflictError("WITHDRAW_NOT_ALLOWED", "该公文已不能撤回");
        const finished = d.stage === "signed";
        const who = withdrawer(stateOf(d), finished);
        const s = withdraw(stateOf(d), me.staffId ?? "", me.name, finished, this.now().toISOString());
        const stage = who && who.step === 0 && d.kind !== "incoming" ? "draft" : "flow";
        return { ...withState(d, s), stage };
      }).catch((err) => {
        throw asClientError(err);
      });
      await audit(ctx, "documents.withdraw", "success", `document:${doc._id}`, { step: doc.step });
      return this.docView(doc);
    },
  },
};
