/**
 * `worklog.compliance.changed`: a person's or an organisation's year of compliance, recomputed from
 * the read index right after a change and published, so that consumers (assessment) store what they
 * are sent instead of asking for a whole-year report after a while. One person costs a walk of their
 * own logs of the year (the index's author list) and their rule's units: no database read.
 */
import { addDays, weekStart } from "../../../shared/calendar";
import type { ComplianceChanged } from "../../../shared/contracts/worklog";
import { publish } from "../../../shared/events";
import { computeRates, type Fact, type Person, type Policy } from "../compliance";
import type { This } from "../types";
import type { LogDoc } from "./models";

/** Whose compliance: a person (their personal logs), or an organisation (its weekly organisation log). */
export type ComplianceSubject = { staffId: string } | { orgId: string };

export const complianceEventMethods = {
  /**
   * Publishes the year's counts of each subject as they stand now. A person who is not active, or
   * unknown to worklog's staff copy, is left out (compliance reports count active staff only).
   */
  async publishCompliance(this: This, subjects: ComplianceSubject[], year: number, month: number): Promise<void> {
    if (!subjects.length) return;
    const [cal, policies, staff] = await Promise.all([this.calendar(), this.policies(), this.allStaff()]);
    // As the year's report reads them: whole ISO weeks, from the first Monday to the last Sunday.
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const first = weekStart(from);
    const last = addDays(weekStart(to), 6);
    const index = this.sync.index;
    const people: Person[] = [];
    const orgIds: string[] = [];
    const scoped = new Map<string, Policy>();
    let facts: Fact[] = [];
    for (const s of subjects) {
      if ("staffId" in s) {
        const p = staff.get(s.staffId);
        const policy = p && policies.get(p.orgId);
        if (!p || p.status !== "active" || !policy) continue;
        people.push({ id: p._id, name: p.name, orgId: p.orgId, divisionId: p.divisionId });
        scoped.set(p.orgId, policy);
        facts = facts.concat(index.subjectFacts("personal", p._id, p.orgId, first, last));
      } else {
        const policy = policies.get(s.orgId);
        if (!policy) continue;
        orgIds.push(s.orgId);
        scoped.set(s.orgId, policy);
        facts = facts.concat(index.subjectFacts("org", s.orgId, s.orgId, first, last));
      }
    }
    const r = computeRates({ from, to, now: this.now(), cal, people, policies: scoped, facts, counties: [] });
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
      ...orgIds.map((orgId) => {
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
