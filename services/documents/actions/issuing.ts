/**
 * The office's part: issue (编号 and 分发: each organisation receives a 收文 of its own), register a
 * 收文 that came on paper or by email (收文登记), and archive (归档).
 */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { Distribution, DocumentView } from "../../../shared/contracts/documents";
import { ConflictError, ForbiddenError, fieldError } from "../../../shared/errors";
import { randomId } from "../../../shared/item-store";
import { ID, isDuplicateKey } from "../../../shared/params";
import { isOffice } from "../access";
import { sanitizeBody } from "../body";
import type { DocDoc } from "../data/models";
import { takeNumber } from "../data/numbers";
import { orgPeople } from "../data/people";
import { enterFrom } from "../data/progress";
import { formatNumber, numberPrefix, sequenceKey } from "../numbering";
import type { Ctx, This } from "../types";
import { checkSecrecy } from "./drafting";
import { asClientError } from "./steps";
import { BODY, DOC_TYPE, TITLE, URGENCY } from "./params";

interface IssueParams {
  id: string;
  recipients: { type: Distribution["type"]; id: string }[];
  publish?: boolean;
}

/** A 收文 of organisation `orgId` for an issued document (its id fixed, so a retried issue makes no second one). */
async function incomingFor(svc: This, out: DocDoc, orgId: string): Promise<DocDoc> {
  const flow = await svc.flowFor(orgId, "incoming");
  const now = svc.now().toISOString();
  const org = (await svc.refs()).orgs.get(out.orgId);
  const doc: DocDoc = {
    ...out,
    _id: `in-${out._id}-${orgId}`,
    kind: "incoming",
    orgId,
    divisionId: "",
    drafterId: "",
    drafterName: org?.name ?? out.orgId,
    countersignDivisionIds: [],
    handlingDivisionIds: [],
    handlingDue: null,
    stage: "flow",
    steps: flow.steps,
    step: 0,
    tasks: [],
    timeline: [
      {
        at: now,
        event: "distribute",
        step: null,
        staffId: null,
        name: org?.name ?? "",
        opinion: null,
        detail: `来文 ${out.number}`,
      },
    ],
    issuing: false,
    distribution: [],
    source: { id: out._id, orgId: out.orgId, orgName: org?.name ?? out.orgId, number: out.number },
    senderName: org?.name ?? out.orgId,
    result: null,
    published: false,
    participants: [],
    createdAt: now,
    updatedAt: now,
    rev: 1,
  };
  return enterFrom(svc, doc, 0);
}

export const issuingActions: Service.ServiceActionsSchema<This> = {
  issue: {
    rest: "POST /items/:id/issue",
    params: {
      $$strict: true,
      id: ID,
      recipients: {
        type: "array",
        min: 1,
        max: 200,
        items: {
          type: "object",
          strict: true,
          props: { type: { type: "enum", values: ["org", "division", "staff"] }, id: ID },
        },
      },
      publish: "boolean|optional",
    },
    async handler(this: This, ctx: Ctx<IssueParams>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const cur = await this.visibleDoc(me, ctx.params.id);
      if (!isOffice(me, cur.orgId)) throw new ForbiddenError("只有本单位办公室可以编号分发", "NOT_OFFICE");
      if (cur.kind !== "outgoing") throw new ConflictError("NOT_OUTGOING", "只有发文需要编号分发");
      const { orgs, divisions } = await this.refs();
      const people = await orgPeople(this, cur.orgId);
      const seen = new Set<string>();
      const recipients: Distribution[] = [];
      ctx.params.recipients.forEach((r, i) => {
        const key = `${r.type}:${r.id}`;
        if (seen.has(key)) return;
        seen.add(key);
        const name =
          r.type === "org"
            ? orgs.get(r.id)?.name
            : r.type === "division"
              ? divisions.get(r.id)?.name
              : people.staff.get(r.id)?.name;
        if (
          !name ||
          (r.type === "org" && r.id === cur.orgId) ||
          (r.type === "division" && divisions.get(r.id)?.orgId !== cur.orgId)
        )
          throw fieldError(`recipients[${i}].id`, r.type === "org" ? "单位不存在或为本单位" : "不是本单位的处室或人员");
        recipients.push({
          type: r.type,
          id: r.id,
          name,
          incomingId: r.type === "org" ? `in-${cur._id}-${r.id}` : null,
          receivedAt: null,
          receivedBy: null,
          result: null,
          doneAt: null,
        });
      });
      // Marked first, so that a retry after a crash finds the number this document already holds.
      await this.change(cur._id, (d) => {
        if (d.stage !== "signed")
          throw new ConflictError("NOT_SIGNED", d.number ? "该公文已编号分发" : "该公文尚未签发");
        return { ...d, issuing: true };
      });
      const year = Number(this.today().slice(0, 4));
      const flow = await this.flowFor(cur.orgId, "outgoing");
      const prefix = numberPrefix(flow.numberPrefix, cur.docType);
      const { number } = await takeNumber(
        this.m,
        this.numberQueue,
        this.numberHints,
        sequenceKey(cur.orgId, cur.docType, year),
        cur._id,
        (n) => formatNumber(prefix, year, n),
        cur.issuing,
      );
      const now = this.now().toISOString();
      const local = recipients.flatMap((r) =>
        r.type === "staff"
          ? [r.id]
          : r.type === "division"
            ? [people.heads.get(r.id)].filter((x): x is string => !!x)
            : [],
      );
      const doc = await this.change(cur._id, (d) => ({
        ...d,
        issuing: false,
        number,
        issuedAt: now,
        stage: "issued",
        published: ctx.params.publish ?? d.secrecy === "公开",
        distribution: recipients,
        participants: [...new Set([...d.participants, ...(me.staffId ? [me.staffId] : []), ...local])],
        timeline: [
          ...d.timeline,
          { at: now, event: "issue", step: "编号", staffId: me.staffId, name: me.name, opinion: null, detail: number },
          {
            at: now,
            event: "distribute",
            step: "分发",
            staffId: me.staffId,
            name: me.name,
            opinion: null,
            detail: recipients.map((r) => r.name).join("、"),
          },
        ],
      })).catch((err) => {
        throw asClientError(err);
      });
      const incoming = await Promise.all(
        recipients.filter((r) => r.type === "org").map((r) => incomingFor(this, doc, r.id)),
      );
      for (const d of incoming)
        await this.insertDoc(d).catch((err) => {
          if (!isDuplicateKey(err)) throw err;
        });
      await audit(ctx, "documents.issue", "success", `document:${doc._id}`, { number, recipients: recipients.length });
      return this.docView(doc);
    },
  },

  register: {
    rest: "POST /incoming",
    params: {
      $$strict: true,
      title: TITLE,
      docType: DOC_TYPE,
      urgency: URGENCY,
      secrecy: "string|min:1|max:10",
      body: BODY,
      senderName: "string|min:1|max:100|trim",
      sourceNumber: "string|max:60|trim|optional",
    },
    async handler(
      this: This,
      ctx: Ctx<{
        title: string;
        docType: DocDoc["docType"];
        urgency: DocDoc["urgency"];
        secrecy: string;
        body: string;
        senderName: string;
        sourceNumber?: string;
      }>,
    ): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const u = ctx.meta.user;
      if (!u?.staffId || !isOffice(me, u.orgId)) throw new ForbiddenError("只有办公室可以登记收文", "NOT_OFFICE");
      const p = ctx.params;
      const secrecy = checkSecrecy(p.secrecy);
      const flow = await this.flowFor(u.orgId, "incoming");
      const now = this.now().toISOString();
      let doc: DocDoc = {
        _id: randomId("doc"),
        kind: "incoming",
        title: p.title,
        docType: p.docType,
        urgency: p.urgency,
        secrecy,
        body: sanitizeBody(p.body),
        attachments: [],
        drafterId: u.staffId,
        drafterName: u.name,
        orgId: u.orgId,
        divisionId: u.divisionId ?? "",
        mainTo: "",
        copyTo: "",
        countersignDivisionIds: [],
        handlingDivisionIds: [],
        handlingDue: null,
        stage: "flow",
        steps: flow.steps,
        step: 0,
        tasks: [],
        timeline: [
          {
            at: now,
            event: "register",
            step: flow.steps[0]?.name ?? null,
            staffId: u.staffId,
            name: u.name,
            opinion: null,
            detail: `来文单位：${p.senderName}${p.sourceNumber ? `，${p.sourceNumber}` : ""}`,
          },
        ],
        number: null,
        issuing: false,
        issuedAt: null,
        distribution: [],
        source: null,
        senderName: p.senderName,
        result: null,
        published: false,
        participants: [u.staffId],
        createdAt: now,
        updatedAt: now,
        rev: 1,
      };
      // Registered by the office: signed for already; the flow starts after 签收.
      const start = flow.steps[0]?.action === "receive" ? 1 : 0;
      doc = await enterFrom(this, doc, start);
      await this.insertDoc(doc);
      await audit(ctx, "documents.register", "success", `document:${doc._id}`, { sender: p.senderName });
      return this.docView(doc);
    },
  },

  archive: {
    rest: "POST /items/:id/archive",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const cur = await this.visibleDoc(me, ctx.params.id);
      if (!isOffice(me, cur.orgId)) throw new ForbiddenError("只有本单位办公室可以归档", "NOT_OFFICE");
      const doc = await this.change(cur._id, (d) => {
        if (!["issued", "done"].includes(d.stage))
          throw new ConflictError("NOT_FINISHED", "只有已分发或已办结的公文可以归档");
        const now = this.now().toISOString();
        return {
          ...d,
          stage: "archived",
          participants: [...new Set([...d.participants, ...(me.staffId ? [me.staffId] : [])])],
          timeline: [
            ...d.timeline,
            {
              at: now,
              event: "archive",
              step: "归档",
              staffId: me.staffId,
              name: me.name,
              opinion: null,
              detail: null,
            },
          ],
        };
      });
      await audit(ctx, "documents.archive", "success", `document:${doc._id}`);
      return this.docView(doc);
    },
  },
};
