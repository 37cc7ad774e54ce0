/**
 * The browser suite (test/e2e): Debian's Chromium through playwright-core, against a running
 * platform with demo data at MINGBAI_E2E_URL. `npm test` starts one and runs this after the unit
 * and integration suites; see deploy/local/launcher.js.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2023" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // Generous: a test that passes never waits for it; a loaded 2-core machine can take minutes for the first pages.
  testTimeout: 300000,
  maxWorkers: 1,
};
