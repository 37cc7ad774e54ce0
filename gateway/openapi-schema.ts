/**
 * fastest-validator rules → JSON Schema (the OpenAPI 3.0 dialect), so the OpenAPI document says
 * exactly what the validator accepts: nested objects with their props, arrays with their items,
 * records, enums, optional and nullable fields, string and number limits. No library does this for
 * fastest-validator, and moleculer-auto-openapi types anything nested as `string`.
 */

/** A JSON Schema object (OpenAPI 3.0 flavour: `nullable` instead of a `null` type). */
export type JsonSchema = { [key: string]: unknown };

/** A fastest-validator rule in its object form. */
type Rule = { type: string; [key: string]: unknown };

/** Keys of a params object that configure the validator rather than name a field. */
const META_KEY = /^\$\$/;

/**
 * A short-hand rule (`"string|min:1|max:64|trim"`, `"number|optional|convert"`, `"string[]"`) in
 * its object form, parsed as fastest-validator's own `parseShortHand` does.
 */
export function parseShortHand(str: string): Rule {
  const [head, ...mods] = str.split("|").map((s) => s.trim());
  const rule: Rule = head.endsWith("[]") ? { type: "array", items: head.slice(0, -2) } : { type: head };
  for (const m of mods) {
    const i = m.indexOf(":");
    if (i === -1) {
      if (m.startsWith("no-")) rule[m.slice(3)] = false;
      else rule[m] = true;
      continue;
    }
    const raw = m.slice(i + 1).trim();
    rule[m.slice(0, i).trim()] =
      raw === "true" ? true : raw === "false" ? false : !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return rule;
}

/** Any rule form (short-hand, object, an array of alternatives) as an object rule. */
function toRule(rule: unknown): Rule {
  if (typeof rule === "string") return parseShortHand(rule);
  if (Array.isArray(rule)) return { type: "multi", rules: rule };
  if (rule && typeof rule === "object") {
    const r = rule as Record<string, unknown>;
    // An object without `type` is a nested schema (`{ a: "string", b: "number" }`).
    if (typeof r.type !== "string") return { type: "object", props: r, strict: r.$$strict };
    return r as Rule;
  }
  return { type: "any" };
}

/** True when the field may be left out. */
export function isOptional(rule: unknown): boolean {
  const r = toRule(rule);
  if (r.type === "multi") return (r.rules as unknown[]).every(isOptional);
  return r.optional === true || r.default !== undefined;
}

function copy(src: Rule, dest: JsonSchema, pairs: [string, string][]): void {
  for (const [from, to] of pairs) if (src[from] !== undefined) dest[to] = src[from];
}

function typeOf(values: unknown[]): string | undefined {
  const types = new Set(values.map((v) => (Number.isInteger(v) ? "integer" : typeof v)));
  if (types.size !== 1) return undefined;
  const [t] = types;
  return t === "integer" || t === "number" ? (values.every(Number.isInteger) ? "integer" : "number") : t;
}

function stringSchema(r: Rule): JsonSchema {
  const s: JsonSchema = { type: "string" };
  copy(r, s, [
    ["min", "minLength"],
    ["max", "maxLength"],
  ]);
  if (typeof r.length === "number") s.minLength = s.maxLength = r.length;
  if (r.empty === false && !s.minLength) s.minLength = 1;
  if (r.pattern !== undefined) s.pattern = r.pattern instanceof RegExp ? r.pattern.source : String(r.pattern);
  if (Array.isArray(r.enum)) s.enum = r.enum;
  if (r.numeric) s.pattern = "^-?[0-9]+(\\.[0-9]+)?$";
  if (r.alpha) s.pattern = "^[a-zA-Z]+$";
  if (r.alphanum) s.pattern = "^[a-zA-Z0-9]+$";
  if (r.alphadash) s.pattern = "^[a-zA-Z0-9_-]+$";
  if (r.hex) s.pattern = "^([0-9a-fA-F]{2})+$";
  return s;
}

function numberSchema(r: Rule): JsonSchema {
  const s: JsonSchema = { type: r.integer ? "integer" : "number" };
  copy(r, s, [
    ["min", "minimum"],
    ["max", "maximum"],
  ]);
  if (r.equal !== undefined) s.enum = [r.equal];
  if (r.positive) s.exclusiveMinimum = true;
  if (r.positive && s.minimum === undefined) s.minimum = 0;
  if (r.negative) s.exclusiveMaximum = true;
  if (r.negative && s.maximum === undefined) s.maximum = 0;
  return s;
}

function objectSchema(r: Rule): JsonSchema {
  const props = (r.props ?? r.properties) as Record<string, unknown> | undefined;
  if (!props) {
    // A bare "object": any keys, any values (the handler checks the content).
    const s: JsonSchema = { type: "object", additionalProperties: true };
    copy(r, s, [
      ["minProps", "minProperties"],
      ["maxProps", "maxProperties"],
    ]);
    return s;
  }
  const s = paramsSchema(props);
  if (r.strict === true || r.strict === "remove") s.additionalProperties = false;
  copy(r, s, [
    ["minProps", "minProperties"],
    ["maxProps", "maxProperties"],
  ]);
  return s;
}

/** One fastest-validator rule (any form) as a JSON Schema. */
export function ruleSchema(rule: unknown): JsonSchema {
  const r = toRule(rule);
  let s: JsonSchema;
  switch (r.type) {
    case "string":
      s = stringSchema(r);
      break;
    case "number":
      s = numberSchema(r);
      break;
    case "boolean":
      s = { type: "boolean" };
      break;
    case "enum": {
      const values = (r.values as unknown[]) ?? [];
      s = { enum: values };
      const t = typeOf(values);
      if (t) s = { type: t, enum: values };
      break;
    }
    case "equal":
      s = { enum: [r.value] };
      if (typeOf([r.value])) s.type = typeOf([r.value]);
      break;
    case "array": {
      s = { type: "array", items: r.items === undefined ? {} : ruleSchema(r.items) };
      copy(r, s, [
        ["min", "minItems"],
        ["max", "maxItems"],
        ["unique", "uniqueItems"],
      ]);
      if (typeof r.length === "number") s.minItems = s.maxItems = r.length;
      if (r.empty === false && !s.minItems) s.minItems = 1;
      if (Array.isArray(r.enum)) s.items = { ...(s.items as JsonSchema), enum: r.enum };
      break;
    }
    case "object":
      s = objectSchema(r);
      break;
    case "record": {
      // JSON keys are strings; the key rule's limits go to the description, OpenAPI 3.0 has no propertyNames.
      s = { type: "object", additionalProperties: r.value === undefined ? {} : ruleSchema(r.value) };
      break;
    }
    case "multi":
      s = { oneOf: (r.rules as unknown[]).map((x) => ruleSchema(x)) };
      break;
    case "email":
      s = { type: "string", format: "email" };
      copy(r, s, [
        ["min", "minLength"],
        ["max", "maxLength"],
      ]);
      break;
    case "url":
      s = { type: "string", format: "uri" };
      break;
    case "uuid":
      s = { type: "string", format: "uuid" };
      break;
    case "date":
      s = { type: "string", format: "date-time" };
      break;
    case "objectID":
      s = { type: "string", pattern: "^[0-9a-fA-F]{24}$" };
      break;
    case "tuple":
      s = { type: "array", items: {} };
      if (Array.isArray(r.items)) s.minItems = s.maxItems = r.items.length;
      break;
    default:
      // any, custom, class, function, …: nothing a client can be told beyond "some value".
      s = {};
  }
  if (r.nullable === true) s.nullable = true;
  if (r.default !== undefined && typeof r.default !== "function") s.default = r.default;
  copy(r, s, [
    ["description", "description"],
    ["example", "example"],
  ]);
  if (s.example === undefined) {
    const ex = exampleOf(s);
    if (ex !== undefined) s.example = ex;
  }
  return s;
}

/** A plausible value for a leaf schema, so the document shows what to send. */
function exampleOf(s: JsonSchema): unknown {
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (s.type === "integer" || s.type === "number") {
    if (typeof s.minimum === "number") return s.minimum + (s.exclusiveMinimum ? 1 : 0);
    return typeof s.maximum === "number" ? s.maximum : undefined;
  }
  if (s.type === "string" && s.maxLength === 10 && s.minLength === 10) return "2026-01-31";
  return undefined;
}

/**
 * An action's `params` (a map of field → rule, with `$$strict` and other `$$` options) as an
 * object schema: `properties`, `required` (the fields that are neither optional nor defaulted),
 * and `additionalProperties: false` when `$$strict` rejects unknown fields.
 */
export function paramsSchema(params: Record<string, unknown>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(params)) {
    if (META_KEY.test(name)) continue;
    if (toRule(rule).type === "forbidden") continue;
    properties[name] = ruleSchema(rule);
    if (!isOptional(rule)) required.push(name);
  }
  const s: JsonSchema = { type: "object", properties };
  if (required.length) s.required = required;
  if (params.$$strict === true || params.$$strict === "remove") s.additionalProperties = false;
  return s;
}
