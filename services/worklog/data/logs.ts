/** One log: loads with the caller's right to it, conditional writes, kept versions and its durable events. */
import { Types } from "mongoose";
import { logTitle } from "../../../shared/contracts/worklog";
import { ConflictError, ForbiddenError, NotFoundError } from "../../../shared/errors";
import { publish } from "../../../shared/events";
import { withLockWait } from "../../../shared/locks";
import { isDuplicateKey } from "../../../shared/params";
import type { Ctx, LogChannel, This } from "../types";
import type { LogDoc, VersionDoc } from "./models";

export const newId = (): string => new Types.ObjectId().toHexString();

export const logMethods = {
  /** Keeps a log's version before it is replaced; a second copy (a retried step) is not an error. */
  async keepVersion(this: This, log: LogDoc, replacedAt: Date, replacedBy: VersionDoc["replacedBy"]): Promise<void> {
    const { _id, version, date, done, thoughts, tags, taskIds } = log;
    const doc: VersionDoc = {
      _id: `${_id}:v${version}`,
      logId: _id,
      version,
      date,
      done,
      thoughts,
      tags,
      taskIds,
      replacedAt,
      replacedBy,
    };
    await this.m.Version.collection.insertOne(doc as never).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  },

  /**
   * Writes a log only if it is still in the expected state. The check and the write are by `_id`
   * alone, under the log's Redis lock: FerretDB serves only `_id`-only filters from an index, and
   * the compound filter this replaces (`{_id, version, status}`) scanned every log (seconds).
   */
  async writeLogIf(
    this: This,
    log: LogDoc,
    expect: { status: LogDoc["status"]; version?: number },
    conflict: () => ConflictError,
    write: () => Promise<unknown>,
  ): Promise<void> {
    await withLockWait(`worklog:log:${log._id}`, 30_000, async () => {
      const now = await this.m.Log.findById(log._id, { status: 1, version: 1 }).lean<
        Pick<LogDoc, "status" | "version">
      >();
      if (!now || now.status !== expect.status || (expect.version !== undefined && now.version !== expect.version))
        throw conflict();
      await write();
    });
  },

  /**
   * Moves a log's read, useful or comment counter by `delta` and returns the new value. Under the
   * log's lock, as every write of a log: FerretDB carries out `$inc` by reading and replacing the
   * whole document, so concurrent increments were lost, and one racing a withdraw could write the
   * withdrawn text back. Read and written here by `_id`, the counter's writers take turns.
   */
  async bumpCounter(
    this: This,
    logId: string,
    field: "readCount" | "usefulCount" | "commentCount",
    delta: number,
  ): Promise<number> {
    return withLockWait(`worklog:log:${logId}`, 30_000, async () => {
      const now = await this.m.Log.findById(logId, { [field]: 1 }).lean<Pick<LogDoc, typeof field>>();
      const value = Math.max(0, (now?.[field] ?? 0) + delta);
      await this.m.Log.updateOne({ _id: logId }, { $set: { [field]: value } });
      return value;
    });
  },

  async loadLog(this: This, id: string): Promise<LogDoc> {
    const doc = await this.m.Log.findById(id).lean<LogDoc>();
    if (!doc) throw new NotFoundError("LOG_NOT_FOUND", "日志不存在");
    return doc;
  },

  /** A log the caller may read: published and withdrawn ones for everyone, drafts for their author only. */
  async readableLog(this: This, ctx: Ctx<unknown>, id: string): Promise<LogDoc> {
    const doc = await this.loadLog(id);
    if (doc.status === "draft" && !ctx.meta.system && doc.authorStaffId !== ctx.meta.user?.staffId)
      throw new NotFoundError("LOG_NOT_FOUND", "日志不存在");
    return doc;
  },

  /** A log the caller wrote; anyone else gets 403 and nothing changes. */
  async ownLog(this: This, ctx: Ctx<unknown>, id: string): Promise<LogDoc> {
    const staffId = this.staffOf(ctx);
    const doc = await this.readableLog(ctx, id);
    if (doc.authorStaffId !== staffId) throw new ForbiddenError("只能修改自己的日志", "NOT_OWNER");
    return doc;
  },

  async emitLog(
    this: This,
    _ctx: Ctx<unknown>,
    channel: LogChannel,
    log: LogDoc,
    extra: { previousDate?: string } = {},
  ): Promise<void> {
    const base = {
      logId: log._id,
      kind: log.kind,
      authorStaffId: log.authorStaffId,
      authorName: log.authorName,
      orgId: log.orgId,
      divisionId: log.divisionId,
      date: log.date,
      version: log.version,
    };
    const id = `${log._id}:v${log.version}:${channel.split(".").pop()}`;
    if (channel === "worklog.log.published")
      await publish(
        this.broker,
        channel,
        {
          ...base,
          title: logTitle(log.done),
          publishedAt: new Date(log.publishedAt!).toISOString(),
          late: log.late,
          tags: log.tags,
          taskIds: log.taskIds,
        },
        id,
      );
    else if (channel === "worklog.log.edited")
      await publish(
        this.broker,
        channel,
        {
          ...base,
          title: logTitle(log.done),
          editedAt: new Date(log.editedAt!).toISOString(),
          previousDate: extra.previousDate ?? log.date,
          tags: log.tags,
          taskIds: log.taskIds,
        },
        id,
      );
    else
      await publish(
        this.broker,
        channel,
        { ...base, withdrawnAt: new Date(log.withdrawnAt!).toISOString(), reason: log.withdrawReason },
        id,
      );
  },
};
