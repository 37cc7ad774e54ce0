/**
 * `worklog.compliance.changed`: a person's or an organisation's year of compliance, recomputed from
 * the read index right after a change and published, so that consumers (assessment) store what they
 * are sent instead of asking for a whole-year report after a while. One person costs a walk of their
 * own logs of the year (the index's author list) and their rule's units: no database read (a staff
 * change: one policy read by `_id`).
 */
import { CITY_ORG_ID } from "../../../shared/auth";
import { addDays, weekStart } from "../../../shared/calendar";
import type { StaffChanged } from "../../../shared/contracts/personnel";
import type { ComplianceChanged } from "../../../shared/contracts/worklog";
import { publish } from "../../../shared/events";
import { computeRates, type Fact, type Person, type Policy } from "../compliance";
import { defaultPolicy } from "../rules";
import type { This } from "../types";
import { policyView } from "../views";
import type { LogDoc, PolicyDoc } from "./models";

/** Whose compliance: a person (their personal logs), or an organisation (its weekly organisation log). */
export type ComplianceSubject = { staffId: string } | { orgId: string };

export const complianceEventMethods = {
  /**
   * Publishes the year's counts of each subject as they stand now. A person who is not active, or
   * unknown to worklog's staff copy, is left out (compliance reports count active staff only).
   */
  async publishCompliance(this: This, subjects: ComplianceSubject[], year: number, month: number): Promise<void> {
    if (!subjects.length) return;
    const [policies, staff] = await Promise.all([this.policies(), this.allStaff()]);
    const people: Person[] = [];
    const orgIds: string[] = [];
    for (const s of subjects)
      if ("orgId" in s) orgIds.push(s.orgId);
      else {
        const p = staff.get(s.staffId);
        if (p?.status === "active") people.push({ id: p._id, name: p.name, orgId: p.orgId, divisionId: p.divisionId });
      }
    await this.publishComplianceOf(people, orgIds, policies, year, month);
  },

  /**
   * A staff member's compliance after their record changed, from the event's record and their
   * organisation's stored policy (one read by `_id`): not from the staff copy and policies, whose
   * caches every staff event drops, so that an import of the whole bureau reads neither again per person.
   */
  async staffCompliance(this: This, s: StaffChanged, year: number): Promise<void> {
    if (s.status !== "active") return;
    const doc = await this.m.Policy.findById(s.orgId).lean<PolicyDoc>();
    const policy: Policy = doc ? policyView(doc) : defaultPolicy(s.orgId, CITY_ORG_ID);
    const person = { id: s.staffId, name: s.name, orgId: s.orgId, divisionId: s.divisionId };
    await this.publishComplianceOf([person], [], new Map([[s.orgId, policy]]), year, 0);
  },

  /** Computes these people's and organisations' year from the read index and publishes each. */
  async publishComplianceOf(
    this: This,
    people: Person[],
    orgIds: string[],
    policies: Map<string, Policy>,
    year: number,
    month: number,
  ): Promise<void> {
    const cal = await this.calendar();
    // As the year's report reads them: whole ISO weeks, from the first Monday to the last Sunday.
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const first = weekStart(from);
    const last = addDays(weekStart(to), 6);
    const index = this.sync.index;
    const scoped = new Map<string, Policy>();
    let facts: Fact[] = [];
    const known = people.filter((p) => policies.has(p.orgId));
    const orgs = orgIds.filter((id) => policies.has(id));
    for (const p of known) {
      scoped.set(p.orgId, policies.get(p.orgId)!);
      facts = facts.concat(index.subjectFacts("personal", p.id, p.orgId, first, last));
    }
    for (const orgId of orgs) {
      scoped.set(orgId, policies.get(orgId)!);
      facts = facts.concat(index.subjectFacts("org", orgId, orgId, first, last));
    }
    const r = computeRates({ from, to, now: this.now(), cal, people: known, policies: scoped, facts, counties: [] });
    // Versions taken here, right after the computation (no await between): a later one saw a later index.
    const events: ComplianceChanged[] = [
      ...r.people.map((p) => ({
        orgId: p.orgId,
        staffId: p.staffId,
        year,
        month,
        counts: { due: p.due, done: p.done, onTime: p.onTime },
        version: this.nextComplianceVersion(),
      })),
      ...orgs.map((orgId) => {
        const row = r.orgLog.get(orgId);
        return {
          orgId,
          year,
          month,
          counts: { due: row?.due ?? 0, done: row?.done ?? 0, onTime: row?.onTime ?? 0 },
          version: this.nextComplianceVersion(),
        };
      }),
    ];
    await Promise.all(
      events.map((e) =>
        publish(this.broker, "worklog.compliance.changed", e, `${e.staffId ?? e.orgId}:${e.year}:${e.version}`),
      ),
    );
  },

  /** After a log was published, edited or withdrawn (already in the index): its author's or organisation's counts. */
  async logCompliance(this: This, log: LogDoc, previousDate?: string): Promise<void> {
    const subject: ComplianceSubject = log.kind === "org" ? { orgId: log.orgId } : { staffId: log.authorStaffId };
    const months = new Set([log.date.slice(0, 7), (previousDate ?? log.date).slice(0, 7)]);
    await Promise.all(
      [...months].map((ym) => this.publishCompliance([subject], Number(ym.slice(0, 4)), Number(ym.slice(5, 7)))),
    );
  },

  /** Milliseconds since the epoch, one more than the last if the clock has not moved (or went back). */
  nextComplianceVersion(this: This): number {
    this.complianceVersion = Math.max(Date.now(), (this.complianceVersion ?? 0) + 1);
    return this.complianceVersion;
  },

  /**
   * After what compliance is measured by changed (a policy, the calendar): every active person of
   * these organisations (all when none are named) and the organisations, in the background. The
   * change is already stored; a publish lost here is made good by the consumers' periodic sweep.
   */
  complianceMoved(this: This, year: number, orgId?: string): void {
    void (async () => {
      const staff = await this.activeStaff(orgId);
      const orgIds = orgId ? [orgId] : [...(await this.policies()).keys()];
      await this.publishCompliance(
        [...staff.map((s) => ({ staffId: s._id })), ...orgIds.map((id) => ({ orgId: id }))],
        year,
        0,
      );
    })().catch((err: Error) => this.logger.warn("Compliance change not published:", err.message));
  },
};
