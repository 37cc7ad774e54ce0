/** The points per level (a setting): read by all, changed by city HR and system admins (audited). */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import {
  INFO_LEVELS,
  OUTLET_LEVELS,
  type PointSettings,
  type PointSettingsUpdate,
} from "../../../shared/contracts/info";
import { ForbiddenError } from "../../../shared/errors";
import { may, rolesOf } from "../../../shared/permissions";
import type { Ctx, This } from "../types";

const POINT = { type: "number", min: 0, max: 100, convert: true, optional: true };

export const settingActions: Service.ServiceActionsSchema<This> = {
  "settings.get": {
    rest: "GET /settings",
    params: { $$strict: true },
    async handler(this: This): Promise<PointSettings> {
      return this.points();
    },
  },

  "settings.update": {
    rest: "PUT /settings",
    auth: rolesOf("info.configure"),
    params: {
      $$strict: true,
      information: {
        type: "object",
        strict: true,
        optional: true,
        props: Object.fromEntries(INFO_LEVELS.map((l) => [l, POINT])),
      },
      publicity: {
        type: "object",
        strict: true,
        optional: true,
        props: Object.fromEntries(OUTLET_LEVELS.map((l) => [l, POINT])),
      },
    },
    async handler(this: This, ctx: Ctx<PointSettingsUpdate>): Promise<PointSettings> {
      const user = ctx.meta.user;
      if (user && !may(user, "info.configure")) throw new ForbiddenError("只有市局人教处或系统管理员可以修改分值");
      const current = await this.points();
      const value = {
        information: { ...current.information, ...(ctx.params.information ?? {}) },
        publicity: { ...current.publicity, ...(ctx.params.publicity ?? {}) },
      };
      await this.m.Setting.updateOne(
        { _id: "points" },
        { $set: { value, updatedAt: this.now(), updatedBy: user?.name ?? "系统" } },
        { upsert: true },
      );
      await audit(ctx, "notices.settings.update", "success", "settings:points", {
        information: INFO_LEVELS.map((l) => `${l}=${value.information[l]}`),
        publicity: OUTLET_LEVELS.map((l) => `${l}=${value.publicity[l]}`),
      });
      return this.points();
    },
  },
};
