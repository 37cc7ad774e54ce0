/** Each organisation's reminder settings, and each person's opt-out of non-essential SMS. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import {
  REMINDER_POLICIES,
  type OrgReminderSettings,
  type OrgReminderSettingsInput,
  type OrgReminderSettingsView,
} from "../../../shared/contracts/reminders";
import { ForbiddenError, ValidationError, type FieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { rolesOf } from "../../../shared/permissions";
import { isHm } from "../rules";
import type { Ctx, This } from "../types";

const POLICY_PARAMS = {
  type: "object",
  optional: true,
  strict: true,
  props: {
    enabled: "boolean|optional",
    essential: "boolean|optional",
    time: "string|optional|length:5",
    template: "string|optional|min:1|max:300",
    afterMissed: "number|optional|integer|min:1|max:60",
    weekday: "number|optional|integer|min:1|max:7",
    adminStaffIds: { type: "array", optional: true, max: 50, items: ID },
  },
};

export const settingsActions: Service.ServiceActionsSchema<This> = {
  "settings.get": {
    rest: "GET /settings/:orgId",
    auth: rolesOf("reminders.read"),
    params: { $$strict: true, orgId: ID },
    async handler(this: This, ctx: Ctx<{ orgId: string }>): Promise<OrgReminderSettingsView> {
      this.scopeOrg(ctx, ctx.params.orgId);
      return this.view(await this.settingsOf(ctx.params.orgId));
    },
  },

  "settings.set": {
    rest: "PUT /settings/:orgId",
    auth: rolesOf("reminders.configure"),
    params: Object.fromEntries([
      ["$$strict", true],
      ["orgId", ID],
      ...REMINDER_POLICIES.map((p) => [p, POLICY_PARAMS]),
    ]),
    async handler(
      this: This,
      ctx: Ctx<OrgReminderSettingsInput & { orgId: string }>,
    ): Promise<OrgReminderSettingsView> {
      const { orgId, ...input } = ctx.params;
      this.scopeOrg(ctx, orgId);
      const current = await this.settingsOf(orgId);
      const next = { ...current } as OrgReminderSettings;
      const errors: FieldError[] = [];
      for (const p of REMINDER_POLICIES) {
        const v = input[p];
        if (!v) continue;
        if (v.time !== undefined && !isHm(v.time)) errors.push({ field: `${p}.time`, message: "时间格式应为 HH:MM" });
        (next as unknown as Record<string, unknown>)[p] = { ...current[p], ...v };
      }
      errors.push(...(await this.foreignRecipients(ctx, orgId, input)));
      if (errors.length) throw new ValidationError("提醒设置有误", errors);
      const now = this.clock.now();
      const by = ctx.meta.user?.accountId ?? null;
      const $set: Record<string, unknown> = { updatedAt: now, updatedBy: by };
      for (const p of REMINDER_POLICIES) $set[p] = next[p];
      await this.m.Settings.updateOne({ _id: orgId }, { $set }, { upsert: true });
      await audit(ctx, "reminders.settings.set", "success", `org:${orgId}`, { policies: Object.keys(input) });
      return this.view({ ...next, updatedAt: now.toISOString(), updatedBy: by });
    },
  },

  /** The caller's own choice: no non-essential SMS reminders. */
  "optOut.get": {
    rest: "GET /opt-out",
    params: { $$strict: true },
    async handler(this: This, ctx: Ctx): Promise<{ optedOut: boolean }> {
      const staffId = ctx.meta.user?.staffId;
      if (!staffId) return { optedOut: false };
      return { optedOut: (await this.optedOut([staffId])).has(staffId) };
    },
  },

  "optOut.set": {
    rest: "PUT /opt-out",
    params: { $$strict: true, optedOut: "boolean" },
    async handler(this: This, ctx: Ctx<{ optedOut: boolean }>): Promise<{ optedOut: boolean }> {
      const staffId = ctx.meta.user?.staffId;
      if (!staffId) throw new ForbiddenError("该账号没有对应的人员档案", "NO_STAFF_RECORD");
      await this.m.OptOut.updateOne(
        { _id: staffId },
        { $set: { optedOut: ctx.params.optedOut, updatedAt: this.clock.now() } },
        { upsert: true },
      );
      return { optedOut: ctx.params.optedOut };
    },
  },
};
