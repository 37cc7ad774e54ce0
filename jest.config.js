/** Jest runs TypeScript through SWC; type checking is `npm run lint`'s job. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2023" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/test/e2e/"],
};
