/** Drafting (拟稿): a new outgoing document or request, its edits and attachments, before it is submitted. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import {
  SECRECY_LEVELS,
  type DocKind,
  type DraftInput,
  type DocumentView,
  type Secrecy,
} from "../../../shared/contracts/documents";
import { ForbiddenError, fieldError, type FieldError, ValidationError } from "../../../shared/errors";
import { fileStore } from "../../../shared/files";
import { randomId } from "../../../shared/item-store";
import { ID } from "../../../shared/params";
import { sanitizeBody } from "../body";
import type { DocDoc } from "../data/models";
import { enterFrom } from "../data/progress";
import type { Ctx, This } from "../types";
import { BODY, DOC_TYPE, IDS, SECRECY, TITLE, URGENCY } from "./params";

/** 秘密, 机密, 绝密 and anything else but 公开/内部 are refused, naming the field. */
export function checkSecrecy(level: string): Secrecy {
  if (!(SECRECY_LEVELS as readonly string[]).includes(level))
    throw fieldError("secrecy", "本系统只处理公开和内部公文，涉密公文不得在本系统处理");
  return level as Secrecy;
}

/** Countersigning divisions: other divisions of the drafter's organisation. */
async function checkDivisions(svc: This, ids: string[], orgId: string, field: string): Promise<string[]> {
  const { divisions } = await svc.refs();
  const bad = ids.filter((id) => divisions.get(id)?.orgId !== orgId);
  if (bad.length) throw fieldError(field, `处室不属于本单位：${bad.join("、")}`);
  return [...new Set(ids)];
}

/** Files the caller uploaded to the store for documents. */
export async function ownUploads(ids: string[], by: string): Promise<DocDoc["attachments"]> {
  const errors: FieldError[] = [];
  const files = await Promise.all(ids.map((id) => fileStore().head("documents", id)));
  const out: DocDoc["attachments"] = [];
  files.forEach((f, i) => {
    if (!f || f.uploadedBy !== by) errors.push({ field: `attachmentIds[${i}]`, message: "附件不存在或不是你上传的" });
    else out.push({ id: f.id, name: f.name, size: f.size, mime: f.mime });
  });
  if (errors.length) throw new ValidationError("附件有误", errors);
  return out;
}

const DRAFT_PARAMS = {
  title: TITLE,
  docType: DOC_TYPE,
  urgency: URGENCY,
  secrecy: SECRECY,
  body: BODY,
  mainTo: "string|max:500|trim|optional",
  copyTo: "string|max:500|trim|optional",
  countersignDivisionIds: IDS,
  attachmentIds: IDS,
};

export const draftingActions: Service.ServiceActionsSchema<This> = {
  create: {
    rest: "POST /items",
    params: { $$strict: true, kind: { type: "enum", values: ["outgoing", "request"] }, ...DRAFT_PARAMS },
    async handler(this: This, ctx: Ctx<DraftInput>): Promise<DocumentView> {
      const u = ctx.meta.user;
      if (!u?.staffId || !u.divisionId) throw new ForbiddenError("只有在编人员可以拟稿", "NOT_STAFF");
      const p = ctx.params;
      const secrecy = checkSecrecy(p.secrecy);
      const countersign = await checkDivisions(this, p.countersignDivisionIds ?? [], u.orgId, "countersignDivisionIds");
      if (countersign.includes(u.divisionId)) throw fieldError("countersignDivisionIds", "会签处室不能是本处室");
      const attachments = await ownUploads(p.attachmentIds ?? [], u.staffId);
      const flow = await this.flowFor(u.orgId, p.kind as DocKind);
      const now = this.now().toISOString();
      let doc: DocDoc = {
        _id: randomId("doc"),
        kind: p.kind,
        title: p.title,
        docType: p.docType,
        urgency: p.urgency,
        secrecy,
        body: sanitizeBody(p.body),
        attachments,
        drafterId: u.staffId,
        drafterName: u.name,
        orgId: u.orgId,
        divisionId: u.divisionId,
        mainTo: p.mainTo ?? "",
        copyTo: p.copyTo ?? "",
        countersignDivisionIds: countersign,
        handlingDivisionIds: [],
        handlingDue: null,
        stage: "draft",
        steps: flow.steps,
        step: 0,
        tasks: [],
        timeline: [],
        number: null,
        issuing: false,
        issuedAt: null,
        distribution: [],
        source: null,
        senderName: (await this.refs()).orgs.get(u.orgId)?.name ?? "",
        result: null,
        published: false,
        participants: [u.staffId],
        createdAt: now,
        updatedAt: now,
        rev: 1,
      };
      doc = await enterFrom(this, doc, 0);
      await this.insertDoc(doc);
      await audit(ctx, "documents.create", "success", `document:${doc._id}`, { kind: doc.kind, secrecy });
      return this.docView(doc);
    },
  },

  update: {
    rest: "PATCH /items/:id",
    params: {
      $$strict: true,
      id: ID,
      ...Object.fromEntries(
        Object.entries(DRAFT_PARAMS).map(([k, v]) => [
          k,
          typeof v === "string" ? `${v}|optional` : { ...v, optional: true },
        ]),
      ),
    },
    async handler(this: This, ctx: Ctx<Partial<DraftInput> & { id: string }>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const cur = await this.visibleDoc(me, ctx.params.id);
      if (cur.drafterId !== me.staffId) throw new ForbiddenError("只有拟稿人可以修改草稿", "NOT_DRAFTER");
      const { id, ...p } = ctx.params;
      const secrecy = p.secrecy !== undefined ? checkSecrecy(p.secrecy) : undefined;
      const countersign =
        p.countersignDivisionIds &&
        (await checkDivisions(this, p.countersignDivisionIds, cur.orgId, "countersignDivisionIds"));
      if (countersign?.includes(cur.divisionId)) throw fieldError("countersignDivisionIds", "会签处室不能是本处室");
      const attachments = p.attachmentIds && (await ownUploads(p.attachmentIds, me.staffId!));
      const doc = await this.change(id, (d) => {
        if (d.stage !== "draft") throw new ForbiddenError("已送出的公文不能修改，请先撤回", "NOT_DRAFT");
        return {
          ...d,
          ...(p.title !== undefined && { title: p.title }),
          ...(p.docType !== undefined && { docType: p.docType }),
          ...(p.urgency !== undefined && { urgency: p.urgency }),
          ...(secrecy !== undefined && { secrecy }),
          ...(p.body !== undefined && { body: sanitizeBody(p.body) }),
          ...(p.mainTo !== undefined && { mainTo: p.mainTo }),
          ...(p.copyTo !== undefined && { copyTo: p.copyTo }),
          ...(countersign && { countersignDivisionIds: countersign }),
          ...(attachments && { attachments }),
        };
      });
      await audit(ctx, "documents.update", "success", `document:${id}`, { fields: Object.keys(p) });
      return this.docView(doc);
    },
  },
};
