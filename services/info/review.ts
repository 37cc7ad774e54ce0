/**
 * The review steps as the service runs them: permission to act on the item's desk, the step applied
 * through the one-writer-per-document queue (workflow.ts), the audit entry, and the step's durable
 * events (the indicator fact and the author's notification), re-sent on a replayed command.
 */
import { audit } from "../../shared/audit";
import type { IndicatorFact } from "../../shared/contracts/assessment";
import type { InfoReportView, PublicityView } from "../../shared/contracts/info";
import { ForbiddenError, NotFoundError } from "../../shared/errors";
import { publish } from "../../shared/events";
import { isOfficeOf } from "../../shared/office";
import { firstStage, ownsItem, reviewsStage } from "./access";
import type { InfoDoc, PublicityDoc } from "./data/models";
import type { Ctx, This } from "./types";
import {
  applyInfoStep,
  applyPublicityStep,
  factEventId,
  infoNotification,
  notificationEventId,
  publicityNotification,
  type InfoStep,
  type PublicityStep,
} from "./workflow";

const selfReview = (): ForbiddenError =>
  new ForbiddenError("不能审核自己撰写或登记的稿件，请由办公室其他同事审核", "SELF_REVIEW");

export const reviewMethods = {
  /**
   * One step of a report's workflow: the caller must see the report and review the desk the step
   * belongs to (the author, for a submission). A re-sent command (same `commandId`) changes nothing
   * and re-sends its step's events.
   */
  async stepInfo(
    this: This,
    ctx: Ctx<unknown>,
    id: string,
    step: InfoStep,
    commandId: string | undefined,
  ): Promise<InfoReportView> {
    const me = await this.actor(ctx);
    const doc = await this.loadInfo(me, id);
    if (step.action === "submit") {
      if (doc.authorStaffId !== me.staffId) throw new ForbiddenError("只有作者可以报送信息", "NOT_AUTHOR");
    } else {
      if (ownsItem(me, doc)) throw selfReview();
      const desk =
        step.action === "forward" ? "county" : step.action === "return" ? (doc.stage ?? firstStage(doc.orgId)) : "city";
      if (!reviewsStage(me, desk, doc.orgId))
        throw new ForbiddenError(
          desk === "city" ? "只有市局办公室可以审核该信息" : "只有本县区办公室可以审核该信息",
          "NOT_REVIEWER",
        );
    }
    const points = await this.points();
    let replayed = -1;
    const { before, after } = await this.writer.update(this.m.Info, id, (cur) => {
      replayed = commandId ? cur.trail.findIndex((t) => t.commandId === commandId) : -1;
      if (replayed >= 0) return null;
      return applyInfoStep(cur, step, me, this.now(), points, commandId ?? null);
    });
    if (!before) throw new NotFoundError("INFO_NOT_FOUND", "信息不存在");
    const current = after ?? before;
    if (after) {
      this.changed("info", after);
      const t = after.trail[after.trail.length - 1];
      if (step.action !== "submit")
        await audit(ctx, `notices.info.${step.action}`, "success", `info:${id}`, {
          from: t.fromStatus,
          to: t.toStatus,
          level: t.level,
          points: t.points,
        });
      await this.emitStep("info", after, after.trail.length - 1);
    } else if (replayed >= 0) await this.emitStep("info", current, replayed);
    else if (current.fact) await this.publishFact(current.fact); // a repeat of the current adoption
    return this.infoView(current, me);
  },

  /** One verification step of a publicity item, by its organisation's office. */
  async stepPublicity(
    this: This,
    ctx: Ctx<unknown>,
    id: string,
    step: PublicityStep,
    commandId: string | undefined,
  ): Promise<PublicityView> {
    const me = await this.actor(ctx);
    const doc = await this.loadPublicity(me, id);
    if (!isOfficeOf(me, doc.orgId)) throw new ForbiddenError("只有本单位办公室可以核实宣传稿件", "NOT_REVIEWER");
    if (ownsItem(me, doc)) throw selfReview();
    const points = await this.points();
    let replayed = -1;
    const { before, after } = await this.writer.update(this.m.Publicity, id, (cur) => {
      replayed = commandId ? cur.trail.findIndex((t) => t.commandId === commandId) : -1;
      if (replayed >= 0) return null;
      return applyPublicityStep(cur, step, me, this.now(), points, commandId ?? null);
    });
    if (!before) throw new NotFoundError("PUBLICITY_NOT_FOUND", "宣传稿件不存在");
    const current = after ?? before;
    if (after) {
      this.changed("publicity", after);
      const t = after.trail[after.trail.length - 1];
      await audit(ctx, `notices.publicity.${step.action}`, "success", `publicity:${id}`, {
        from: t.fromStatus,
        to: t.toStatus,
        points: t.points,
      });
      await this.emitStep("publicity", after, after.trail.length - 1);
    } else if (replayed >= 0) await this.emitStep("publicity", current, replayed);
    else if (current.fact) await this.publishFact(current.fact);
    return this.publicityView(current, me);
  },

  /** The durable events of one trail step: the fact it produced (if still current) and the author's notification. */
  async emitStep(this: This, kind: "info" | "publicity", doc: InfoDoc | PublicityDoc, index: number): Promise<void> {
    const t = doc.trail[index];
    if (t.factVersion !== null && doc.fact?.version === t.factVersion) await this.publishFact(doc.fact);
    const note = kind === "info" ? infoNotification(doc as InfoDoc, t) : publicityNotification(doc as PublicityDoc, t);
    if (note) await publish(this.broker, "notification.requested", note, notificationEventId(doc._id, index));
  },

  async publishFact(this: This, fact: IndicatorFact): Promise<void> {
    await publish(this.broker, "indicator.fact.recorded", fact, factEventId(fact));
  },
};
