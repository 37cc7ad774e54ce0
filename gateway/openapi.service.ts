/**
 * The OpenAPI document at /api/openapi.json, generated from what the gateway really routes (its
 * aliases, auto-aliased from the actions' `rest`) and the actions' own `params`, converted rule by
 * rule (gateway/openapi-schema.ts), so nested objects, arrays, records and enums keep their shape.
 */
import type { ServiceSchema } from "moleculer";
import { type JsonSchema, isOptional, paramsSchema, ruleSchema } from "./openapi-schema";

/** One alias as the gateway's `listAliases` (with `withActionSchema`) lists it. */
interface Alias {
  actionName?: string;
  fullPath: string;
  methods: string;
  routePath: string;
  action?: { params?: Record<string, unknown>; auth?: unknown; description?: string };
}

/** Routes whose body is form-encoded (Twilio's callbacks), not JSON; see the gateway's routes. */
const FORM_ROUTES = new Set(["/api/sms"]);
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

const errorResponse = { $ref: "#/components/responses/Error" };

const components = {
  securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  schemas: {
    FieldError: {
      type: "object",
      required: ["field", "message"],
      properties: {
        field: { type: "string", example: "password" },
        message: { type: "string" },
        type: { type: "string", example: "required" },
        row: { type: "integer", description: "For a file import: the spreadsheet row (1-based)" },
        column: { type: "string", description: "For a file import: the column header" },
      },
    },
    Error: {
      type: "object",
      required: ["error"],
      properties: {
        error: {
          type: "object",
          required: ["type", "message"],
          properties: {
            type: { type: "string", example: "VALIDATION_ERROR" },
            message: { type: "string", example: "参数校验失败：password" },
            fields: { type: "array", items: { $ref: "#/components/schemas/FieldError" } },
          },
        },
      },
    },
  },
  responses: {
    Error: {
      description: "The one error shape: { error: { type, message, fields? } }",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    },
  },
};

/** `/api/assessment/schemes/:year` → `/api/assessment/schemes/{year}` and the names of its parameters. */
function openapiPath(fullPath: string): { path: string; names: string[] } {
  const names: string[] = [];
  const path = fullPath.replace(/:([A-Za-z0-9_]+)\??/g, (_m, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path, names };
}

/** The operation of one alias. */
export function operation(alias: Alias, names: string[], method: string, schemas: Record<string, JsonSchema>) {
  const action = alias.actionName!;
  const params = alias.action?.params ?? {};
  const isPublic = alias.action?.auth === "public";
  const parameters: object[] = names.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: params[name] === undefined ? { type: "string" } : ruleSchema(params[name]),
  }));
  const op: Record<string, unknown> = {
    operationId: action,
    tags: [action.split(".")[0]],
    summary: alias.action?.description ?? action,
  };
  const rest = Object.fromEntries(Object.entries(params).filter(([k]) => !names.includes(k)));
  if (BODY_METHODS.has(method)) {
    const schema = paramsSchema(rest);
    schemas[action] = schema;
    const type = FORM_ROUTES.has(alias.routePath) ? "application/x-www-form-urlencoded" : "application/json";
    op.requestBody = {
      required: Array.isArray(schema.required) && schema.required.length > 0,
      content: { [type]: { schema: { $ref: `#/components/schemas/${action}` } } },
    };
  } else {
    for (const [name, rule] of Object.entries(rest)) {
      if (name.startsWith("$$")) continue;
      parameters.push({ name, in: "query", required: !isOptional(rule), schema: ruleSchema(rule) });
    }
  }
  if (parameters.length) op.parameters = parameters;
  op.responses = {
    "200": { description: "OK", content: { "application/json": { schema: {} } } },
    "400": errorResponse,
    ...(isPublic ? {} : { "401": errorResponse, "403": errorResponse }),
    "404": errorResponse,
    "409": errorResponse,
    "422": errorResponse,
    "429": errorResponse,
    "5XX": errorResponse,
  };
  op.security = isPublic ? [] : [{ bearer: [] }];
  return op;
}

/** The whole document from the gateway's aliases. */
export function buildDocument(aliases: Alias[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = {};
  const sorted = [...aliases].sort((a, b) => a.fullPath.localeCompare(b.fullPath));
  for (const alias of sorted) {
    if (!alias.actionName || !alias.fullPath.startsWith("/api/") || alias.actionName.startsWith("openapi.")) continue;
    const method = alias.methods.toUpperCase();
    if (!/^(GET|POST|PUT|PATCH|DELETE)$/.test(method)) continue;
    const { path, names } = openapiPath(alias.fullPath);
    (paths[path] ??= {})[method.toLowerCase()] = operation(alias, names, method, schemas);
  }
  return {
    openapi: "3.0.3",
    info: { title: "Mingbai 明白 API", version: "0.1.0", description: "干部管理平台 — REST API" },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths,
    components: { ...components, schemas: { ...components.schemas, ...schemas } },
  };
}

const OpenapiService: ServiceSchema = {
  name: "openapi",
  actions: {
    generateDocs: {
      auth: "public",
      async handler(): Promise<Record<string, unknown>> {
        const aliases = (await this.broker.call(
          "gateway.listAliases",
          { withActionSchema: true },
          { meta: { system: true } },
        )) as Alias[];
        return buildDocument(aliases);
      },
    },
  },
};

export default OpenapiService;
