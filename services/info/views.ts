/** Stored reports and publicity items → their API views, with what the caller may do with them now. */
import type { InfoReportView, PublicityView, TrailEntry } from "../../shared/contracts/info";
import { isOfficeOf, type Actor } from "../../shared/office";
import { ownsItem, reviewsStage } from "./access";
import type { InfoDoc, PublicityDoc, TrailDoc } from "./data/models";
import type { This } from "./types";
import { infoAllowed, publicityAllowed } from "./workflow";

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

const trailView = (t: TrailDoc): TrailEntry => ({
  at: iso(t.at)!,
  action: t.action,
  actorStaffId: t.actorStaffId,
  actorName: t.actorName,
  fromStatus: t.fromStatus,
  toStatus: t.toStatus,
  stage: t.stage,
  comment: t.comment,
  level: t.level,
  usedIn: t.usedIn,
  points: t.points,
});

export const viewMethods = {
  infoView(this: This, d: InfoDoc, actor: Actor): InfoReportView {
    return {
      id: d._id,
      title: d.title,
      body: d.body,
      category: d.category,
      status: d.status,
      stage: d.stage,
      authorStaffId: d.authorStaffId,
      authorName: d.authorName,
      orgId: d.orgId,
      divisionId: d.divisionId,
      year: d.year,
      submittedAt: iso(d.submittedAt),
      forwardedAt: iso(d.forwardedAt),
      adoption: d.adoption ? { ...d.adoption, adoptedAt: iso(d.adoption.adoptedAt)! } : null,
      lastComment: d.lastComment,
      version: d.version,
      createdAt: iso(d.createdAt)!,
      updatedAt: iso(d.updatedAt)!,
      trail: d.trail.map(trailView),
      allowed: infoAllowed(d, {
        author: !!actor.staffId && actor.staffId === d.authorStaffId,
        reviewsCounty: !ownsItem(actor, d) && reviewsStage(actor, "county", d.orgId),
        reviewsCity: !ownsItem(actor, d) && reviewsStage(actor, "city", d.orgId),
      }),
    };
  },

  publicityView(this: This, d: PublicityDoc, actor: Actor): PublicityView {
    return {
      id: d._id,
      title: d.title,
      outlet: d.outlet,
      outletLevel: d.outletLevel,
      publishedOn: d.publishedOn,
      url: d.url,
      summary: d.summary,
      authorStaffId: d.authorStaffId,
      authorName: d.authorName,
      orgId: d.orgId,
      divisionId: d.divisionId,
      year: d.year,
      status: d.status,
      points: d.points,
      verifiedAt: iso(d.verifiedAt),
      verifiedByName: d.verifiedByName,
      lastComment: d.lastComment,
      recordedByName: d.recordedByName,
      version: d.version,
      createdAt: iso(d.createdAt)!,
      updatedAt: iso(d.updatedAt)!,
      trail: d.trail.map(trailView),
      allowed: publicityAllowed(d, {
        owner: ownsItem(actor, d),
        office: !ownsItem(actor, d) && isOfficeOf(actor, d.orgId),
      }),
    };
  },
};
