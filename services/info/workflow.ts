/**
 * The review workflows as pure functions: an information report (信息报送) from draft through its
 * county and city desks to adoption, and a publicity item (宣传) to verification. Each step returns
 * the next document (or null when the command changes nothing) and records itself in the trail;
 * a step that changes the indicator fact bumps the fact's version. Permission checks are the
 * caller's (see access.ts); these functions check the state.
 */
import type { IndicatorFact } from "../../shared/contracts/assessment";
import type { NotificationRequested } from "../../shared/contracts/worklog";
import {
  INFO_LEVEL_LABELS,
  INFO_LINKS,
  NOTIFICATION_KINDS,
  OUTLET_LEVEL_LABELS,
  type InfoAction,
  type InfoLevel,
  type PointSettings,
  type PublicityAction,
  type ReviewStage,
} from "../../shared/contracts/info";
import { ConflictError } from "../../shared/errors";
import { localDate } from "../../shared/time";
import type { Actor } from "../../shared/office";
import { firstStage } from "./access";
import type { InfoDoc, PublicityDoc, TrailDoc } from "./data/models";

export type Points = Pick<PointSettings, "information" | "publicity">;

export type InfoStep =
  | { action: "submit" }
  | { action: "return"; comment: string }
  | { action: "forward"; comment: string | null }
  | { action: "adopt"; level: InfoLevel; usedIn: string; comment: string | null }
  | { action: "revoke"; comment: string };

export type PublicityStep =
  | { action: "verify"; comment: string | null }
  | { action: "reject"; comment: string }
  | { action: "revoke"; comment: string };

const conflict = (message: string): ConflictError => new ConflictError("INVALID_STATE", message);

function entry(
  actor: Actor,
  at: Date,
  action: InfoAction | PublicityAction,
  fromStatus: string | null,
  toStatus: string,
  extra: Partial<TrailDoc> = {},
): TrailDoc {
  return {
    at,
    action,
    actorStaffId: actor.staffId,
    actorName: actor.name,
    fromStatus,
    toStatus,
    stage: null,
    comment: null,
    level: null,
    usedIn: null,
    points: null,
    commandId: null,
    factVersion: null,
    ...extra,
  };
}

/** The fact a report or publicity item stands for now; `value` 0 retracts it. */
function nextFact(
  prev: IndicatorFact | null,
  base: Omit<IndicatorFact, "version" | "date"> & { date: string },
  keepDate: boolean,
): IndicatorFact {
  return { ...base, date: keepDate && prev ? prev.date : base.date, version: (prev?.version ?? 0) + 1 };
}

const infoFactBase = (d: InfoDoc, value: number, level: InfoLevel | null, at: Date) => ({
  factId: `info:${d._id}`,
  kind: "information" as const,
  staffId: d.authorStaffId,
  orgId: d.orgId,
  divisionId: d.divisionId,
  date: localDate(at),
  value,
  label: d.title,
  level,
});

/**
 * Applies a review step to a report. Returns null when it changes nothing (adopting again at the
 * same level and place). Throws 409 when the report is not in a state the step applies to.
 */
export function applyInfoStep(
  doc: InfoDoc,
  step: InfoStep,
  actor: Actor,
  at: Date,
  points: Points,
  commandId: string | null,
): InfoDoc | null {
  const d: InfoDoc = structuredClone(doc);
  const from = d.status;
  let trail: TrailDoc;
  switch (step.action) {
    case "submit": {
      if (from !== "draft" && from !== "returned") throw conflict("只有草稿或被退回的信息可以报送");
      d.status = "submitted";
      d.stage = firstStage(d.orgId);
      d.submittedAt ??= at;
      if (from === "draft") d.year = Number(localDate(at).slice(0, 4));
      if (d.stage === "city") d.reachedCity = true;
      trail = entry(actor, at, "submit", from, d.status, { stage: d.stage });
      break;
    }
    case "return": {
      if (from !== "submitted") throw conflict("只有待审核的信息可以退回");
      trail = entry(actor, at, "return", from, "returned", { stage: d.stage, comment: step.comment });
      d.status = "returned";
      d.stage = null;
      d.lastComment = step.comment;
      break;
    }
    case "forward": {
      if (from !== "submitted" || d.stage !== "county") throw conflict("只有县区办公室待审核的信息可以转报市局");
      d.stage = "city";
      d.forwardedAt = at;
      d.reachedCity = true;
      trail = entry(actor, at, "forward", from, d.status, { stage: "city", comment: step.comment });
      break;
    }
    case "adopt": {
      const adopted = from === "adopted";
      if (!adopted && !(from === "submitted" && d.stage === "city"))
        throw conflict("只有市局办公室待审核的信息可以采用");
      if (adopted && d.adoption!.level === step.level && d.adoption!.usedIn === step.usedIn) return null;
      const value = points.information[step.level];
      const keepDate = adopted;
      d.status = "adopted";
      d.stage = null;
      d.adoption = {
        level: step.level,
        usedIn: step.usedIn,
        points: value,
        adoptedAt: adopted ? d.adoption!.adoptedAt : at,
        adoptedByName: actor.name,
      };
      d.fact = nextFact(d.fact, infoFactBase(d, value, step.level, at), keepDate);
      trail = entry(actor, at, "adopt", from, d.status, {
        comment: step.comment,
        level: step.level,
        usedIn: step.usedIn,
        points: value,
        factVersion: d.fact.version,
      });
      break;
    }
    case "revoke": {
      if (from !== "adopted") throw conflict("只有已采用的信息可以撤销采用");
      d.status = "submitted";
      d.stage = "city";
      d.adoption = null;
      d.lastComment = step.comment;
      d.fact = nextFact(d.fact, infoFactBase(d, 0, d.fact?.level as InfoLevel | null, at), true);
      trail = entry(actor, at, "revoke", from, d.status, {
        stage: "city",
        comment: step.comment,
        points: 0,
        factVersion: d.fact.version,
      });
      break;
    }
  }
  return recorded(d, trail, commandId);
}

/** A step's end, the same for both kinds: its trail entry kept (with the command id), a new version. */
function recorded<D extends { trail: TrailDoc[]; version: number; updatedAt: Date }>(
  d: D,
  trail: TrailDoc,
  commandId: string | null,
): D {
  trail.commandId = commandId;
  d.trail.push(trail);
  d.version += 1;
  d.updatedAt = trail.at;
  return d;
}

const publicityFactBase = (d: PublicityDoc, value: number) => ({
  factId: `pub:${d._id}`,
  kind: "publicity" as const,
  staffId: d.authorStaffId,
  orgId: d.orgId,
  divisionId: d.divisionId,
  date: d.publishedOn,
  value,
  label: `${d.title}（${d.outlet}）`,
  level: d.outletLevel,
});

/** Applies a verification step; null when it changes nothing (verifying a verified item). */
export function applyPublicityStep(
  doc: PublicityDoc,
  step: PublicityStep,
  actor: Actor,
  at: Date,
  points: Points,
  commandId: string | null,
): PublicityDoc | null {
  const d: PublicityDoc = structuredClone(doc);
  const from = d.status;
  let trail: TrailDoc;
  switch (step.action) {
    case "verify": {
      if (from === "verified") return null;
      if (from !== "pending") throw conflict("只有待核实的稿件可以核实");
      const value = points.publicity[d.outletLevel];
      d.status = "verified";
      d.points = value;
      d.verifiedAt = at;
      d.verifiedByName = actor.name;
      d.fact = nextFact(d.fact, publicityFactBase(d, value), false);
      trail = entry(actor, at, "verify", from, d.status, {
        comment: step.comment,
        level: d.outletLevel,
        points: value,
        factVersion: d.fact.version,
      });
      break;
    }
    case "reject": {
      if (from !== "pending") throw conflict("只有待核实的稿件可以退回");
      d.status = "rejected";
      d.lastComment = step.comment;
      trail = entry(actor, at, "reject", from, d.status, { comment: step.comment });
      break;
    }
    case "revoke": {
      if (from !== "verified") throw conflict("只有已核实的稿件可以撤销核实");
      d.status = "pending";
      d.points = null;
      d.verifiedAt = null;
      d.verifiedByName = null;
      d.lastComment = step.comment;
      d.fact = nextFact(d.fact, publicityFactBase(d, 0), true);
      trail = entry(actor, at, "revoke", from, d.status, {
        comment: step.comment,
        points: 0,
        factVersion: d.fact.version,
      });
      break;
    }
  }
  return recorded(d, trail, commandId);
}

/** The author's own steps (create, edit, record) as trail entries. */
export const authorEntry = (
  actor: Actor,
  at: Date,
  action: InfoAction | PublicityAction,
  from: string | null,
  to: string,
  stage: ReviewStage | null = null,
  commandId: string | null = null,
): TrailDoc => entry(actor, at, action, from, to, { stage, commandId });

/** What the caller may do with a report now. */
export function infoAllowed(
  d: Pick<InfoDoc, "status" | "stage">,
  who: { author: boolean; reviewsCounty: boolean; reviewsCity: boolean },
): InfoAction[] {
  const out: InfoAction[] = [];
  if (who.author && (d.status === "draft" || d.status === "returned")) out.push("edit", "submit");
  const reviews = d.stage === "county" ? who.reviewsCounty : d.stage === "city" ? who.reviewsCity : false;
  if (d.status === "submitted" && reviews) out.push("return", d.stage === "county" ? "forward" : "adopt");
  if (d.status === "adopted" && who.reviewsCity) out.push("adopt", "revoke");
  return out;
}

/** What the caller may do with a publicity item now. */
export function publicityAllowed(
  d: Pick<PublicityDoc, "status">,
  who: { owner: boolean; office: boolean },
): PublicityAction[] {
  const out: PublicityAction[] = [];
  if ((who.owner || who.office) && d.status !== "verified") out.push("edit");
  if (who.office && d.status === "pending") out.push("verify", "reject");
  if (who.office && d.status === "verified") out.push("revoke");
  return out;
}

/** The author's notification for a reviewer's step; null for the author's own steps. */
export function infoNotification(d: InfoDoc, t: TrailDoc): NotificationRequested | null {
  if (t.actorStaffId && t.actorStaffId === d.authorStaffId) return null;
  const level = t.level ? INFO_LEVEL_LABELS[t.level as InfoLevel] : "";
  const texts: Partial<Record<InfoAction, [string, string]>> = {
    return: [`你的信息《${d.title}》被退回`, `退回意见：${t.comment ?? ""}`],
    forward: [`你的信息《${d.title}》已转报市局`, t.comment ? `县区办公室意见：${t.comment}` : "等待市局办公室审核"],
    adopt: [`你的信息《${d.title}》被${level}采用`, `采用于${t.usedIn ?? ""}，计 ${t.points ?? 0} 分`],
    revoke: [`你的信息《${d.title}》已撤销采用`, `原因：${t.comment ?? ""}`],
  };
  const text = texts[t.action as InfoAction];
  if (!text) return null;
  return {
    recipientStaffId: d.authorStaffId,
    kind: `${NOTIFICATION_KINDS.info}.${t.action}`,
    title: text[0],
    body: text[1],
    link: INFO_LINKS.info(d._id),
  };
}

export function publicityNotification(d: PublicityDoc, t: TrailDoc): NotificationRequested | null {
  if (t.actorStaffId && t.actorStaffId === d.authorStaffId) return null;
  const texts: Partial<Record<PublicityAction, [string, string]>> = {
    verify: [
      `你的宣传稿件《${d.title}》已核实`,
      `${d.outlet}（${OUTLET_LEVEL_LABELS[d.outletLevel]}），计 ${t.points ?? 0} 分`,
    ],
    reject: [`你的宣传稿件《${d.title}》未通过核实`, `意见：${t.comment ?? ""}`],
    revoke: [`你的宣传稿件《${d.title}》已撤销核实`, `原因：${t.comment ?? ""}`],
  };
  const text = texts[t.action as PublicityAction];
  if (!text) return null;
  return {
    recipientStaffId: d.authorStaffId,
    kind: `${NOTIFICATION_KINDS.publicity}.${t.action}`,
    title: text[0],
    body: text[1],
    link: INFO_LINKS.publicity(d._id),
  };
}

/** Durable event ids, stable per step so a re-sent step is delivered once. */
export const factEventId = (f: IndicatorFact): string => `${f.factId}:v${f.version}`;
export const notificationEventId = (itemId: string, trailIndex: number): string => `${itemId}:t${trailIndex}:notify`;
