/** Writing: a log created (published or as a draft), edited with its history kept, published, withdrawn, deleted. */
import type { ServiceActionsSchema } from "moleculer";
import { LOG_KINDS, MAX_CONTENT, type LogInput, type LogUpdate, type LogView } from "../../../shared/contracts/worklog";
import { ConflictError, ForbiddenError, ValidationError, type FieldError } from "../../../shared/errors";
import { DATE, ID } from "../../../shared/params";
import { may } from "../../../shared/permissions";
import { newId } from "../data/logs";
import type { LogDoc } from "../data/models";
import { checkContent, checkDate, cleanTags, dateFields, dueInstant } from "../rules";
import { tokenize } from "../search";
import type { Ctx, This } from "../types";
import { toView } from "../views";

const EDIT_CONFLICT = (): ConflictError => new ConflictError("EDIT_CONFLICT", "日志已被修改，请刷新后再试");
const NOT_A_DRAFT = (): ConflictError => new ConflictError("NOT_A_DRAFT", "只有草稿可以发布");
const CONTENT = { type: "string", max: MAX_CONTENT };
const TAGS = { type: "array", optional: true, max: 10, items: "string|min:1|max:20" };
const TASK_IDS = { type: "array", optional: true, max: 20, items: "string|min:1|max:64" };

export const writingActions: ServiceActionsSchema<This> = {
  "logs.create": {
    rest: "POST /logs",
    params: {
      $$strict: true,
      date: `${DATE}|optional`,
      kind: { type: "enum", values: LOG_KINDS, optional: true },
      done: CONTENT,
      thoughts: { ...CONTENT, optional: true },
      tags: TAGS,
      taskIds: TASK_IDS,
      publish: "boolean|optional",
    },
    async handler(this: This, ctx: Ctx<LogInput>): Promise<LogView> {
      const p = ctx.params;
      const me = await this.author(ctx);
      const date = p.date ?? this.today();
      const errors = [
        checkDate(date, this.today()),
        checkContent(p.done, "done", true),
        checkContent(p.thoughts, "thoughts", false),
      ].filter((e): e is FieldError => !!e);
      if (errors.length) throw new ValidationError("日志内容有误", errors);
      const kind = p.kind ?? "personal";
      const policy = await this.policyOf(me.orgId);
      if (
        kind === "org" &&
        !may(ctx.meta.user!, "worklog.writeOrgLog", { orgId: me.orgId, orgLogAuthors: policy.orgLogAuthors })
      )
        throw new ForbiddenError("只有指定的单位日志撰写人可以发布单位日志", "NOT_ORG_LOG_AUTHOR");
      const now = this.now();
      const published = p.publish !== false;
      const tags = cleanTags(p.tags);
      const doc: LogDoc = {
        _id: newId(),
        kind,
        status: published ? "published" : "draft",
        authorStaffId: me.staffId,
        authorName: me.name,
        orgId: me.orgId,
        divisionId: me.divisionId,
        date,
        ...dateFields(date),
        done: p.done,
        thoughts: p.thoughts ?? "",
        tags,
        taskIds: [...new Set(p.taskIds ?? [])],
        tokens: published ? tokenize([p.done, p.thoughts ?? "", ...tags].join("\n")) : [],
        version: 1,
        edited: false,
        late: published && now > dueInstant(date, policy),
        publishedAt: published ? now : null,
        editedAt: null,
        withdrawnAt: null,
        withdrawReason: null,
        readCount: 0,
        usefulCount: 0,
        commentCount: 0,
        createdAt: now,
      };
      await this.logInserts.insert(doc);
      // The index entry (compliance reads it too) and the durable events are independent: wait for all at once.
      // The compliance event is computed from the index, which `logChanged` has updated by the time it runs.
      await Promise.all([
        this.logChanged(doc._id, (index) => index.apply(doc)),
        published ? this.emitLog(ctx, "worklog.log.published", doc) : null,
        published ? this.logCompliance(doc) : null,
      ]);
      return toView(doc);
    },
  },

  "logs.update": {
    rest: "PATCH /logs/:id",
    params: {
      $$strict: true,
      id: ID,
      date: `${DATE}|optional`,
      done: { ...CONTENT, optional: true },
      thoughts: { ...CONTENT, optional: true },
      tags: TAGS,
      taskIds: TASK_IDS,
    },
    async handler(this: This, ctx: Ctx<LogUpdate>): Promise<LogView> {
      const p = ctx.params;
      const log = await this.ownLog(ctx, p.id);
      if (log.status === "withdrawn") throw new ConflictError("LOG_WITHDRAWN", "日志已撤回，不能再编辑");
      const errors = [
        p.date !== undefined && p.date !== log.date ? checkDate(p.date, this.today()) : null,
        checkContent(p.done, "done", p.done !== undefined),
        checkContent(p.thoughts, "thoughts", false),
      ].filter((e): e is FieldError => !!e);
      if (errors.length) throw new ValidationError("日志内容有误", errors);
      const now = this.now();
      const next = {
        date: p.date ?? log.date,
        done: p.done ?? log.done,
        thoughts: p.thoughts ?? log.thoughts,
        tags: p.tags ? cleanTags(p.tags) : log.tags,
        taskIds: p.taskIds ? [...new Set(p.taskIds)] : log.taskIds,
      };
      const set: Partial<LogDoc> = { ...next, ...dateFields(next.date) };
      const isPublished = log.status === "published";
      if (isPublished) {
        const policy = await this.policyOf(log.orgId);
        Object.assign(set, {
          edited: true,
          editedAt: now,
          version: log.version + 1,
          late: new Date(log.publishedAt!) > dueInstant(next.date, policy),
          tokens: tokenize([next.done, next.thoughts, ...next.tags].join("\n")),
        });
        // The earlier version first: if the log update then loses a race, the history has a spare copy, never a gap.
        await this.keepVersion(log, now, "edit");
      }
      await this.writeLogIf(log, { status: log.status, version: log.version }, EDIT_CONFLICT, () =>
        this.m.Log.updateOne({ _id: log._id }, { $set: set }),
      );
      const updated = { ...log, ...set } as LogDoc;
      await Promise.all([
        this.logChanged(log._id, (index) => index.apply(updated)),
        isPublished ? this.emitLog(ctx, "worklog.log.edited", updated, { previousDate: log.date }) : null,
        isPublished ? this.logCompliance(updated, log.date) : null,
      ]);
      return toView(updated);
    },
  },

  "logs.publish": {
    rest: "POST /logs/:id/publish",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<LogView> {
      const log = await this.ownLog(ctx, ctx.params.id);
      if (log.status !== "draft") throw new ConflictError("NOT_A_DRAFT", "只有草稿可以发布");
      const dateError = checkDate(log.date, this.today());
      if (dateError) throw new ValidationError("日志日期已超出补写期限", [dateError]);
      const now = this.now();
      const policy = await this.policyOf(log.orgId);
      const set = {
        status: "published" as const,
        publishedAt: now,
        late: now > dueInstant(log.date, policy),
        tokens: tokenize([log.done, log.thoughts, ...log.tags].join("\n")),
      };
      await this.writeLogIf(log, { status: "draft" }, NOT_A_DRAFT, () =>
        this.m.Log.updateOne({ _id: log._id }, { $set: set }),
      );
      const updated = { ...log, ...set };
      await Promise.all([
        this.logChanged(log._id, (index) => index.apply(updated)),
        this.emitLog(ctx, "worklog.log.published", updated),
        this.logCompliance(updated),
      ]);
      return toView(updated);
    },
  },

  "logs.withdraw": {
    rest: "POST /logs/:id/withdraw",
    params: { $$strict: true, id: ID, reason: "string|optional|trim|max:200" },
    async handler(this: This, ctx: Ctx<{ id: string; reason?: string }>): Promise<LogView> {
      const log = await this.ownLog(ctx, ctx.params.id);
      if (log.status !== "published") throw new ConflictError("NOT_PUBLISHED", "只有已发布的日志可以撤回");
      const now = this.now();
      await this.keepVersion(log, now, "withdraw");
      const set = {
        status: "withdrawn" as const,
        withdrawnAt: now,
        withdrawReason: ctx.params.reason || null,
        version: log.version + 1,
        done: "",
        thoughts: "",
        tokens: [],
      };
      await this.writeLogIf(log, { status: "published", version: log.version }, EDIT_CONFLICT, () =>
        this.m.Log.updateOne({ _id: log._id }, { $set: set }),
      );
      const updated = { ...log, ...set };
      await Promise.all([
        this.logChanged(log._id, (index) => index.apply(updated)),
        this.emitLog(ctx, "worklog.log.withdrawn", updated),
        this.logCompliance(updated),
      ]);
      return toView(updated);
    },
  },

  "logs.deleteDraft": {
    rest: "DELETE /logs/:id",
    params: { $$strict: true, id: ID },
    async handler(this: This, ctx: Ctx<{ id: string }>): Promise<{ deleted: true }> {
      const log = await this.ownLog(ctx, ctx.params.id);
      if (log.status !== "draft")
        throw new ConflictError("NOT_A_DRAFT", "已发布的日志不能删除，只能撤回（保留撤回记录）");
      await this.writeLogIf(
        log,
        { status: "draft" },
        () => new ConflictError("NOT_A_DRAFT", "该日志已不是草稿"),
        () => this.m.Log.deleteOne({ _id: log._id }),
      );
      await this.logChanged(log._id, (index) => index.remove(log._id));
      return { deleted: true };
    },
  },
};
