import { paramsSchema, parseShortHand, ruleSchema } from "../../../gateway/openapi-schema";
import { buildDocument } from "../../../gateway/openapi.service";
import { DATE, ID, YEAR } from "../../../shared/params";

describe("fastest-validator rules as JSON Schema", () => {
  test("when a short-hand string has modifiers, then its limits carry over and `trim` changes nothing", () => {
    expect(parseShortHand("string|min:1|max:64|trim")).toEqual({ type: "string", min: 1, max: 64, trim: true });
    expect(ruleSchema(ID)).toEqual({ type: "string", minLength: 1, maxLength: 64 });
    expect(ruleSchema(DATE)).toEqual({ type: "string", minLength: 10, maxLength: 10, example: "2026-01-31" });
    expect(ruleSchema("string|optional|no-empty")).toEqual({ type: "string", minLength: 1 });
    expect(ruleSchema("string[]")).toEqual({ type: "array", items: { type: "string" } });
  });

  test("when a number is an integer with bounds and `convert`, then it is an integer with minimum/maximum", () => {
    expect(ruleSchema(YEAR)).toEqual({ type: "integer", minimum: 2000, maximum: 2100, example: 2000 });
    expect(ruleSchema("number|optional|convert")).toEqual({ type: "number" });
    expect(ruleSchema({ type: "number", nullable: true, optional: true })).toEqual({ type: "number", nullable: true });
  });

  test("when a rule is an enum, then the values and their type are listed", () => {
    expect(ruleSchema({ type: "enum", values: ["draft", "done"] })).toEqual({
      type: "string",
      enum: ["draft", "done"],
      example: "draft",
    });
    expect(ruleSchema({ type: "enum", values: [1, 2, 3] })).toMatchObject({ type: "integer", enum: [1, 2, 3] });
    expect(ruleSchema({ type: "string", enum: ["a", "b"] })).toMatchObject({ type: "string", enum: ["a", "b"] });
  });

  test("when params nest objects, arrays of objects and records, then each keeps its shape", () => {
    const s = paramsSchema({
      $$strict: true,
      year: YEAR,
      weights: { type: "object", strict: true, props: { a: "number|min:0|max:1", b: "number|optional" } },
      items: {
        type: "array",
        max: 30,
        items: { type: "object", props: { id: ID, note: { type: "string", optional: true, nullable: true } } },
      },
      owners: { type: "record", key: ID, value: ID, optional: true },
      inline: { x: "boolean" },
      anything: "object",
      gone: "forbidden",
    });
    expect(s).toEqual({
      type: "object",
      additionalProperties: false,
      required: ["year", "weights", "items", "inline", "anything"],
      properties: {
        year: { type: "integer", minimum: 2000, maximum: 2100, example: 2000 },
        weights: {
          type: "object",
          additionalProperties: false,
          required: ["a"],
          properties: {
            a: { type: "number", minimum: 0, maximum: 1, example: 0 },
            b: { type: "number" },
          },
        },
        items: {
          type: "array",
          maxItems: 30,
          items: {
            type: "object",
            required: ["id"],
            properties: {
              id: { type: "string", minLength: 1, maxLength: 64 },
              note: { type: "string", nullable: true },
            },
          },
        },
        owners: { type: "object", additionalProperties: { type: "string", minLength: 1, maxLength: 64 } },
        inline: { type: "object", required: ["x"], properties: { x: { type: "boolean" } } },
        anything: { type: "object", additionalProperties: true },
      },
    });
  });

  test("when a field has a default or every alternative is optional, then it is not required", () => {
    const s = paramsSchema({ page: { type: "number", default: 1 }, q: ["string|optional", "number|optional"] });
    expect(s.required).toBeUndefined();
    expect((s.properties as Record<string, unknown>).page).toEqual({ type: "number", default: 1, example: 1 });
    expect((s.properties as Record<string, unknown>).q).toEqual({ oneOf: [{ type: "string" }, { type: "number" }] });
  });
});

describe("the document built from the gateway's aliases", () => {
  const doc = buildDocument([
    {
      actionName: "assessment.schemes.set",
      fullPath: "/api/assessment/schemes/:year",
      methods: "PUT",
      routePath: "/api",
      action: { params: { $$strict: true, year: YEAR, staffWeights: "object" }, auth: ["hr"] },
    },
    {
      actionName: "plans.tasks.list",
      fullPath: "/api/plans/tasks",
      methods: "GET",
      routePath: "/api",
      action: { params: { $$strict: true, year: YEAR, orgId: `${ID}|optional` } },
    },
    {
      actionName: "openapi.generateDocs",
      fullPath: "/api/openapi.json",
      methods: "GET",
      routePath: "/api/openapi.json",
    },
  ]) as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: object } };

  test("when a route has a path parameter and a body, then the parameter is in the path and the rest in the JSON body", () => {
    const op = doc.paths["/api/assessment/schemes/{year}"].put;
    expect(op.parameters).toEqual([
      {
        name: "year",
        in: "path",
        required: true,
        schema: { type: "integer", minimum: 2000, maximum: 2100, example: 2000 },
      },
    ]);
    expect(op.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/assessment.schemes.set" } } },
    });
    expect(doc.components.schemas).toMatchObject({
      "assessment.schemes.set": {
        type: "object",
        additionalProperties: false,
        required: ["staffWeights"],
        properties: { staffWeights: { type: "object", additionalProperties: true } },
      },
    });
    expect(op.responses).toMatchObject({ "401": { $ref: "#/components/responses/Error" } });
  });

  test("when a route is a GET, then its params are query parameters and the document itself is not listed", () => {
    expect(doc.paths["/api/plans/tasks"].get.parameters).toEqual([
      expect.objectContaining({ name: "year", in: "query", required: true }),
      expect.objectContaining({ name: "orgId", in: "query", required: false }),
    ]);
    expect(Object.keys(doc.paths)).toEqual(["/api/assessment/schemes/{year}", "/api/plans/tasks"]);
  });
});
