/** Flows as data: one per document kind per organisation, edited by its administrators. */
import type { Service } from "moleculer";
import { audit } from "../../../shared/audit";
import {
  DOC_KINDS,
  STEP_ACTIONS,
  type DocKind,
  type Flow,
  type FlowStep,
  type Urgency,
} from "../../../shared/contracts/documents";
import { ForbiddenError, fieldError } from "../../../shared/errors";
import { ID } from "../../../shared/params";
import { allowed } from "../../../shared/permissions";
import { checkSteps } from "../flows";
import type { Ctx, This } from "../types";

const KIND = { type: "enum", values: DOC_KINDS } as const;
const ASSIGNEE = {
  type: "object",
  strict: true,
  props: {
    type: { type: "enum", values: ["drafter", "divisionHead", "post", "staff"] },
    division: { type: "string", pattern: /^(drafter|countersign|handling|kind:[a-z_]{1,30})$/, optional: true },
    postId: `${ID}|optional`,
    staffId: `${ID}|optional`,
  },
} as const;
const STEP = {
  type: "object",
  strict: true,
  props: {
    key: { type: "string", pattern: /^[a-z][a-z0-9_]{0,30}$/ },
    name: "string|min:1|max:20|trim",
    mode: { type: "enum", values: ["serial", "parallel"] },
    assignees: { type: "array", min: 1, max: 10, items: ASSIGNEE },
    mayReturn: "boolean",
    action: { type: "enum", values: STEP_ACTIONS },
  },
} as const;
const DAYS = { type: "number", integer: true, min: 1, max: 60 } as const;

export const flowActions: Service.ServiceActionsSchema<This> = {
  "flows.get": {
    rest: "GET /flows/:orgId/:kind",
    params: { $$strict: true, orgId: ID, kind: KIND },
    async handler(this: This, ctx: Ctx<{ orgId: string; kind: DocKind }>): Promise<Flow> {
      if (!(await this.refs()).orgs.has(ctx.params.orgId)) throw fieldError("orgId", "单位不存在");
      const { _id, ...flow } = await this.flowFor(ctx.params.orgId, ctx.params.kind);
      void _id;
      return flow;
    },
  },

  "flows.set": {
    rest: "PUT /flows/:orgId/:kind",
    params: {
      $$strict: true,
      orgId: ID,
      kind: KIND,
      steps: { type: "array", min: 1, max: 20, items: STEP },
      numberPrefix: "string|min:1|max:20|trim",
      dueWorkingDays: { type: "object", strict: true, props: { 平件: DAYS, 加急: DAYS, 特急: DAYS } },
    },
    async handler(
      this: This,
      ctx: Ctx<{
        orgId: string;
        kind: DocKind;
        steps: FlowStep[];
        numberPrefix: string;
        dueWorkingDays: Record<Urgency, number>;
      }>,
    ): Promise<Flow> {
      const p = ctx.params;
      if (!(await this.refs()).orgs.has(p.orgId)) throw fieldError("orgId", "单位不存在");
      if (!allowed(ctx.meta, "documents.configureFlows", { orgId: p.orgId }))
        throw new ForbiddenError("无权修改该单位的流程", "NOT_FLOW_ADMIN");
      p.steps.forEach((s, i) =>
        s.assignees.forEach((a, j) => {
          const need = { divisionHead: "division", post: "postId", staff: "staffId", drafter: null }[a.type];
          if (need && !(a as Record<string, unknown>)[need])
            throw fieldError(`steps[${i}].assignees[${j}].${need}`, "请指定办理人");
        }),
      );
      const problem = checkSteps(p.steps);
      if (problem) throw fieldError("steps", problem);
      const flow: Flow = {
        orgId: p.orgId,
        kind: p.kind,
        steps: p.steps,
        numberPrefix: p.numberPrefix,
        dueWorkingDays: p.dueWorkingDays,
        updatedAt: this.now().toISOString(),
      };
      await this.m.Flow.collection.replaceOne({ _id: `${p.orgId}:${p.kind}` } as never, flow as never, {
        upsert: true,
      });
      await audit(ctx, "documents.flow.set", "success", `flow:${p.orgId}:${p.kind}`, { steps: p.steps.length });
      return flow;
    },
  },
};
