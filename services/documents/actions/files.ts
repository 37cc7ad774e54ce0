/** Attachments: adding an uploaded file to a document, and who may download a document's files. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { DocumentView } from "../../../shared/contracts/documents";
import { ForbiddenError } from "../../../shared/errors";
import { FILE_ID } from "../../../shared/files";
import { ID } from "../../../shared/params";
import { sees } from "../access";
import { myTask } from "../flows";
import { stateOf } from "../data/progress";
import type { Ctx, This } from "../types";
import { ownUploads } from "./drafting";

export const fileActions: Service.ServiceActionsSchema<This> = {
  "attachments.add": {
    rest: "POST /items/:id/attachments",
    params: { $$strict: true, id: ID, fileId: { type: "string", pattern: FILE_ID } },
    async handler(this: This, ctx: Ctx<{ id: string; fileId: string }>): Promise<DocumentView> {
      const me = await this.actor(ctx);
      const cur = await this.visibleDoc(me, ctx.params.id);
      const [file] = await ownUploads([ctx.params.fileId], me.staffId ?? "");
      const doc = await this.change(cur._id, (d) => {
        const mayAdd = (d.stage === "draft" && d.drafterId === me.staffId) || !!myTask(stateOf(d), me.staffId);
        if (!mayAdd) throw new ForbiddenError("只有拟稿人或当前办理人可以添加附件", "NOT_YOUR_STEP");
        return d.attachments.some((a) => a.id === file.id) ? d : { ...d, attachments: [...d.attachments, file] };
      });
      await audit(ctx, "documents.attachment.add", "success", `document:${doc._id}`, { file: file.id });
      return this.docView(doc);
    },
  },

  /** Asked by the gateway before a download: may the caller see a document holding this file? */
  "files.authorize": {
    params: { $$strict: true, id: { type: "string", pattern: FILE_ID } },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ allowed: boolean }> {
      const me = await this.actor(ctx);
      const rows = await this.docIndex.all();
      return { allowed: rows.some((r) => r.doc.attachments.some((a) => a.id === ctx.params.id) && sees(me, r)) };
    },
  },
};
