/** Actions: the assessment scheme of a year (考核方案). */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import type { Scheme, SchemeInput } from "../../../shared/contracts/assessment";
import { ConflictError, ForbiddenError, ValidationError } from "../../../shared/errors";
import { YEAR, isDuplicateKey } from "../../../shared/params";
import { allowed, rolesOf } from "../../../shared/permissions";
import type { SchemeDoc } from "../data/models";
import { checkScheme } from "../scheme";
import type { Ctx, This } from "../types";
import { schemeView } from "../views";

export const schemeActions: Service.ServiceActionsSchema<This> = {
  "schemes.get": {
    rest: "GET /schemes/:year",
    params: { $$strict: true, year: YEAR },
    async handler(this: This, ctx: Ctx<{ year: number }>): Promise<Scheme> {
      return this.scheme(ctx.params.year);
    },
  },

  "schemes.set": {
    rest: "PUT /schemes/:year",
    auth: rolesOf("assessment.editScheme"),
    params: {
      $$strict: true,
      year: YEAR,
      staffWeights: "object",
      divisionWeights: "object",
      rules: "object",
      grades: "object",
    },
    async handler(this: This, ctx: Ctx<SchemeInput & { year: number }>): Promise<Scheme> {
      const user = ctx.meta.user;
      if (!allowed(ctx.meta, "assessment.editScheme")) throw new ForbiddenError("只有市局人教处可以修改考核方案");
      const { year, ...input } = ctx.params;
      const errors = checkScheme(input);
      if (errors.length) throw new ValidationError("考核方案有误", errors);
      const current = await this.scheme(year);
      if (current.frozen) throw new ConflictError("SCHEME_FROZEN", `${year} 年度考核结果已冻结，方案不能再修改`);
      const doc: SchemeDoc = {
        _id: String(year),
        year,
        ...input,
        frozen: false,
        version: current.version + 1,
        updatedAt: this.clock.now(),
        updatedBy: user?.accountId ?? null,
      };
      // Optimistic: the write lands only on the version read, so two editors cannot both win.
      const res = await this.m.Scheme.collection
        .updateOne({ _id: String(year), version: current.version } as never, { $set: doc } as never, {
          upsert: current.isDefault,
        })
        .catch((err: unknown) => {
          if (isDuplicateKey(err)) return { matchedCount: 0, upsertedCount: 0 };
          throw err;
        });
      if (!res.matchedCount && !res.upsertedCount)
        throw new ConflictError("SCHEME_CHANGED", "考核方案已被他人修改，请刷新后重试");
      // The cached scores are keyed by the scheme's version: they follow without dropping the documents.
      await audit(ctx, "assessment.scheme.set", "success", `scheme:${year}`, { version: doc.version });
      return schemeView(year, doc);
    },
  },
};
