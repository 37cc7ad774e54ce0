/** Who administers reminders, and the organisation an administrator's request is scoped to. */
import { isCityWide } from "../../shared/auth";
import { call } from "../../shared/contracts/actions";
import { REMINDER_POLICIES, type OrgReminderSettingsInput } from "../../shared/contracts/reminders";
import { ForbiddenError, type FieldError } from "../../shared/errors";
import { may } from "../../shared/permissions";
import type { Ctx, This } from "./types";

export const accessMethods = {
  scopeOrg(this: This, ctx: Ctx<unknown>, orgId: string | undefined): string | undefined {
    const user = ctx.meta.user;
    if (!user) return orgId;
    const scoped = orgId ?? (isCityWide(user) ? undefined : user.orgId);
    if (scoped && !may(user, "reminders.read", { orgId: scoped })) throw new ForbiddenError("无权查看其他单位");
    return scoped;
  },

  /**
   * Recipients named in the settings who are not active staff of the organisation: an
   * organisation's reminders (some essential, with a free-text template) go to its own people only.
   */
  async foreignRecipients(
    this: This,
    ctx: Ctx<unknown>,
    orgId: string,
    input: OrgReminderSettingsInput,
  ): Promise<FieldError[]> {
    const named = REMINDER_POLICIES.flatMap((p) => {
      const ids = (input[p] as { adminStaffIds?: string[] } | undefined)?.adminStaffIds ?? [];
      return ids.map((id, i) => ({ p, id, i }));
    });
    if (!named.length) return [];
    const ids = [...new Set(named.map((n) => n.id))];
    const found = await call(ctx, "personnel.staff.directory", { ids }, { meta: { system: true } });
    const ours = new Set(found.filter((s) => s.orgId === orgId && s.status === "active").map((s) => s.id));
    return named
      .filter((n) => !ours.has(n.id))
      .map((n) => ({ field: `${n.p}.adminStaffIds[${n.i}]`, message: `${n.id} 不是本单位在职人员` }));
  },
};
