/** Actions: learning records (网络学习) from the platform's export or push, and one person's list. */
import type { Service } from "moleculer";
import type { LearningImportResult, LearningRecord, LearningRecordInput } from "../../../shared/contracts/assessment";
import type { ImportJob } from "../../../shared/contracts/jobs";
import { ValidationError, type FieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import { importJobAction, startImportJob } from "../../../shared/store/import-jobs";
import { decodeUpload, importError, readSheet } from "../../../shared/xlsx";
import { decodeKey } from "../counters";
import { LEARNING_IMPORT_KEY } from "../data/learning-store";
import type { LearningDoc } from "../data/models";
import { checkRecord, isXlsx, parseCsv, validateLearningRows, type CheckedRecord, type StaffLookup } from "../learning";
import type { Ctx, Refs, This } from "../types";
import { learningView } from "../views";
import { OPTIONAL_YEAR } from "./common";

/** Staff by id, and whether the caller may record learning for an organisation's staff. */
const staffLookup = (ctx: Ctx<unknown>, refs: Refs): StaffLookup => ({
  staff: (id) => refs.staff.get(id),
  mayRecordFor: (orgId) => allowed(ctx.meta, "assessment.importLearning", { orgId }),
});

export const learningActions: Service.ServiceActionsSchema<This> = {
  "learning.import": {
    rest: "POST /imports/learning",
    auth: rolesOf("assessment.importLearning"),
    params: {
      $$strict: true,
      file: "string|min:1|max:14000000",
      format: { type: "enum", values: ["xlsx", "csv"], optional: true },
    },
    async handler(
      this: This,
      ctx: Ctx<{ file: string; format?: "xlsx" | "csv" }>,
    ): Promise<{ job: ImportJob<LearningImportResult> }> {
      const buf = decodeUpload(ctx.params.file, ".xlsx 或 CSV");
      const format = ctx.params.format ?? (isXlsx(buf) ? "xlsx" : "csv");
      const sheet = format === "xlsx" ? await readSheet(buf) : parseCsv(buf);
      const refs = await this.refs();
      const lookup = staffLookup(ctx, refs);
      const { records, errors } = validateLearningRows(sheet.headers, sheet.rows, lookup);
      if (errors.length) throw importError(errors);
      return startImportJob(
        this.imports,
        LEARNING_IMPORT_KEY,
        ctx,
        "已有一个学习记录导入正在进行，请等它完成后再导入",
        async () => ({ plan: await this.planLearning(records, lookup.mayRecordFor), ctx }),
      );
    },
  },

  ...importJobAction(rolesOf("assessment.importLearning")),

  "learning.push": {
    rest: "POST /learning/records",
    auth: rolesOf("assessment.pushLearning"),
    params: {
      $$strict: true,
      records: {
        type: "array",
        min: 1,
        max: 5000,
        items: {
          type: "object",
          strict: true,
          props: {
            recordId: "string|min:1|max:64",
            staffId: "string|min:1|max:64",
            date: "string|min:8|max:10",
            hours: "number",
            course: "string|min:1|max:200",
          },
        },
      },
    },
    async handler(this: This, ctx: Ctx<{ records: LearningRecordInput[] }>): Promise<LearningImportResult> {
      const refs = await this.refs();
      const lookup = staffLookup(ctx, refs);
      const errors: FieldError[] = [];
      const records: CheckedRecord[] = [];
      const seen = new Set<string>();
      ctx.params.records.forEach((r, i) => {
        const { record, errors: es } = checkRecord(r, lookup);
        for (const e of es) errors.push({ field: `records[${i}].${e.key}`, message: e.message });
        if (seen.has(r.recordId)) errors.push({ field: `records[${i}].recordId`, message: "记录编号重复" });
        seen.add(r.recordId);
        if (record) records.push(record);
      });
      if (errors.length) throw new ValidationError("学习记录有误，未写入任何数据", errors);
      return this.writeLearning(records, lookup.mayRecordFor);
    },
  },

  "learning.list": {
    rest: "GET /learning",
    params: { $$strict: true, staffId: ID, year: OPTIONAL_YEAR },
    async handler(this: This, ctx: Ctx<{ staffId: string; year?: number }>): Promise<LearningRecord[]> {
      const year = ctx.params.year ?? this.currentYear();
      const doc = (await this.yearCache(year)).people.get(ctx.params.staffId);
      const ids = Object.keys(doc?.facts ?? {})
        .filter((k) => doc!.facts[k].k === "learning" && doc!.facts[k].x > 0)
        .map((k) => decodeKey(k).slice("learn:".length));
      const docs = await Promise.all(ids.map((id) => this.m.Learning.collection.findOne({ _id: id } as never)));
      return (docs.filter(Boolean) as unknown as LearningDoc[])
        .map(learningView)
        .sort((a, b) => a.date.localeCompare(b.date) || a.recordId.localeCompare(b.recordId));
    },
  },
};
