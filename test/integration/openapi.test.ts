/**
 * The OpenAPI document tells the truth: a client generated from it (openapi-typescript) accepts the
 * calls the services accept and rejects, at compile time, the ones their params would reject.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import ts from "typescript";
import { schemas, startNode, useTestNamespace, waitFor } from "../support/broker";
import { client } from "../support/http";
import { GATEWAY_SERVICES } from "../../shared/services";

useTestNamespace();

const nodes: ServiceBroker[] = [];
let doc: {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
let dir: string;
let actionsWithRest = 0;

beforeAll(async () => {
  for (const name of GATEWAY_SERVICES) nodes.push(await startNode(name, await schemas(name)));
  const gateway = await startNode("gateway", await schemas("gateway"));
  nodes.push(gateway);
  const gw = gateway.getLocalService("gateway") as unknown as { server: { address(): AddressInfo } };
  const http = client(`http://127.0.0.1:${gw.server.address().port}`);
  const services = gateway.registry.getServiceList({ withActions: true }) as unknown as {
    name: string;
    actions: Record<string, { name: string; rest?: unknown }>;
  }[];
  const seen = new Set<string>();
  for (const s of services.filter((x) => (GATEWAY_SERVICES as string[]).includes(x.name)))
    for (const a of Object.values(s.actions)) if (a.rest && !seen.has(a.name)) seen.add(a.name);
  actionsWithRest = seen.size;
  // The gateway builds its routes shortly after the services appear (debounced); the document lists
  // the routes as they are, so wait for them.
  const r = await waitFor(
    () => http.get("/api/openapi.json"),
    (x) =>
      x.status === 200 && Object.values(x.body.paths).flatMap((p) => Object.keys(p as object)).length >= seen.size + 2,
  );
  doc = r.body;
  dir = mkdtempSync(path.join(tmpdir(), "mingbai-openapi-"));
  writeFileSync(path.join(dir, "openapi.json"), JSON.stringify(r.body));
  // openapi-typescript is ESM-only underneath, which jest's CommonJS runtime cannot load: its Node
  // API runs in a plain node process instead.
  const generate = `import openapiTS, { astToString } from "openapi-typescript";
import { readFileSync, writeFileSync } from "node:fs";
const doc = JSON.parse(readFileSync(process.argv[1], "utf8"));
writeFileSync(process.argv[2], astToString(await openapiTS(doc)));`;
  execFileSync(
    process.execPath,
    ["--input-type=module", "-e", generate, path.join(dir, "openapi.json"), path.join(dir, "api.d.ts")],
    {
      cwd: process.cwd(),
    },
  );
}, 300_000);

afterAll(async () => {
  for (const n of nodes.reverse()) await n.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The compiler's complaints about each snippet, type-checked together against the generated `api.d.ts`. */
function typeErrors(snippets: Record<string, string>): Record<string, string[]> {
  const files = Object.entries(snippets).map(([name, code]) => {
    const file = path.join(dir, `${name}.ts`);
    writeFileSync(file, `import type { paths } from "./api";\n${code}\n`);
    return [name, file] as const;
  });
  const program = ts.createProgram(
    files.map(([, f]) => f),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      types: [],
      skipLibCheck: true,
    },
  );
  return Object.fromEntries(
    files.map(([name, file]) => [
      name,
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, " ")),
    ]),
  );
}

const SCHEME_BODY = `type SchemeBody = paths["/api/assessment/schemes/{year}"]["put"]["requestBody"]["content"]["application/json"];
type SchemeYear = paths["/api/assessment/schemes/{year}"]["put"]["parameters"]["path"]["year"];`;

test("when the document is fetched, then every routed action is in it, once, with the one error shape", () => {
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  const ids = ops.map((o) => o.operationId);
  expect(new Set(ids).size).toBe(ids.length);
  // Every action with a `rest`, plus accounts.login and reminders.sms.status routed by hand.
  expect(ids.length).toBe(actionsWithRest + 2);
  expect(ids).toEqual(expect.arrayContaining(["accounts.login", "reminders.sms.status", "assessment.schemes.set"]));
  expect(ops.every((o) => (o.responses["422"] as { $ref: string }).$ref === "#/components/responses/Error")).toBe(true);
  expect(doc.components.schemas.Error).toMatchObject({ required: ["error"] });
});

test("when assessment.schemes.set is described, then its weights are objects, not strings", () => {
  expect(doc.components.schemas["assessment.schemes.set"]).toEqual({
    type: "object",
    additionalProperties: false,
    required: ["staffWeights", "divisionWeights", "rules", "grades"],
    properties: {
      staffWeights: { type: "object", additionalProperties: true },
      divisionWeights: { type: "object", additionalProperties: true },
      rules: { type: "object", additionalProperties: true },
      grades: { type: "object", additionalProperties: true },
    },
  });
});

test("when the web client's calls are type-checked against the generated types, then right ones compile and wrong ones fail", () => {
  const errors = typeErrors({
    right: `${SCHEME_BODY}
const year: SchemeYear = 2026;
const body: SchemeBody = {
  staffWeights: { dailyWork: 40, keyTasks: 30, attendance: 10, evaluation: 20 },
  divisionWeights: { keyTasks: 60, evaluation: 40 },
  rules: { lateLogPenalty: 1 },
  grades: { excellentRatio: 0.2 },
};
const login: paths["/api/accounts/login"]["post"]["requestBody"]["content"]["application/json"] = {
  username: "staff",
  password: "Mingbai@2026",
};
export { year, body, login };`,
    wrongWeights: `${SCHEME_BODY}
export const body: SchemeBody = { staffWeights: "heavy", divisionWeights: {}, rules: {}, grades: {} };`,
    missing: `${SCHEME_BODY}\nexport const body: SchemeBody = { staffWeights: {} };`,
    unknownField: `${SCHEME_BODY}
export const body: SchemeBody = { staffWeights: {}, divisionWeights: {}, rules: {}, grades: {}, frozen: true };`,
    year: `${SCHEME_BODY}\nexport const year: SchemeYear = "2026";`,
    login: `export const b: paths["/api/accounts/login"]["post"]["requestBody"]["content"]["application/json"] = { username: 1, password: "x" };`,
  });
  expect(errors.right).toEqual([]);
  expect(errors.wrongWeights.join("\n")).toMatch(/not assignable/);
  for (const name of ["missing", "unknownField", "year", "login"])
    expect([name, errors[name].length > 0]).toEqual([name, true]);
});
