/** Policies: each organisation's log policy. (The working-day overrides are personnel's: actions/calendar.ts there.) */
import type { ServiceActionsSchema } from "moleculer";
import { audit } from "../../../shared/audit";
import { CITY_ORG_ID } from "../../../shared/auth";
import { PERSONAL_RULES, type LogPolicy, type PolicyInput } from "../../../shared/contracts/worklog";
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import type { StaffCopyDoc } from "../data/models";
import { isDeadline } from "../rules";
import type { Ctx, This } from "../types";

export const policyActions: ServiceActionsSchema<This> = {
  "policies.list": {
    rest: "GET /policies",
    params: { $$strict: true },
    async handler(this: This): Promise<LogPolicy[]> {
      return [...(await this.policies()).values()].sort((a, b) =>
        a.orgId === CITY_ORG_ID ? -1 : b.orgId === CITY_ORG_ID ? 1 : a.orgId.localeCompare(b.orgId),
      );
    },
  },

  "policies.get": {
    rest: "GET /policies/:orgId",
    params: { $$strict: true, orgId: ID },
    async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<LogPolicy> {
      const orgs = await this.orgs();
      if (orgs.length && !orgs.some((o) => o._id === ctx.params.orgId))
        throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      return this.policyOf(ctx.params.orgId);
    },
  },

  "policies.set": {
    rest: "PUT /policies/:orgId",
    auth: rolesOf("worklog.setPolicy"),
    params: {
      $$strict: true,
      orgId: ID,
      personal: { type: "enum", values: PERSONAL_RULES, optional: true },
      orgLogWeekly: "boolean|optional",
      orgLogAuthors: { type: "array", optional: true, max: 20, unique: true, items: "string|min:1|max:64" },
      deadline: "string|optional|length:5",
      graceMinutes: "number|optional|integer|min:0|max:1440",
    },
    async handler(this: This, ctx: Ctx<PolicyInput & { orgId: string }>): Promise<LogPolicy> {
      const { orgId, ...input } = ctx.params;
      const orgs = await this.orgs();
      if (orgs.length && !orgs.some((o) => o._id === orgId)) throw new NotFoundError("ORG_NOT_FOUND", "单位不存在");
      if (!allowed(ctx.meta, "worklog.setPolicy", { orgId })) throw new ForbiddenError("只能设置本单位的日志制度");
      const errors: FieldError[] = [];
      if (input.deadline !== undefined && !isDeadline(input.deadline))
        errors.push({ field: "deadline", message: "截止时间格式应为 HH:MM" });
      if (input.orgLogAuthors?.length) {
        const found = await this.m.Staff.find({ _id: { $in: input.orgLogAuthors }, orgId }, { _id: 1 }).lean<
          StaffCopyDoc[]
        >();
        const known = new Set(found.map((s) => s._id));
        const unknown = input.orgLogAuthors.filter((id) => !known.has(id));
        if (unknown.length) errors.push({ field: "orgLogAuthors", message: `不是本单位人员：${unknown.join("、")}` });
      }
      if (errors.length) throw new ValidationError("日志制度有误", errors);
      const current = await this.policyOf(orgId);
      const next = { ...current, ...input };
      await this.m.Policy.updateOne(
        { _id: orgId },
        {
          $set: {
            personal: next.personal,
            orgLogWeekly: next.orgLogWeekly,
            orgLogAuthors: next.orgLogAuthors,
            deadline: next.deadline,
            graceMinutes: next.graceMinutes,
            updatedAt: this.now(),
            updatedBy: ctx.meta.user?.accountId ?? null,
          },
        },
        { upsert: true },
      );
      this.invalidate(["policies"]);
      this.complianceMoved(Number(this.today().slice(0, 4)), orgId);
      await audit(ctx, "worklog.policy.set", "success", `org:${orgId}`, { fields: Object.keys(input) });
      return this.policyOf(orgId);
    },
  },
};
