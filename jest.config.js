/** Jest runs TypeScript through SWC; type checking is `npm run lint`'s job. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2023" } }],
    // file-type, sanitize-html's parser and their helpers are ESM-only: Node 24 require()s them natively, jest (without
    // --experimental-vm-modules) only once SWC has made them CommonJS.
    "/node_modules/.+\\.js$": ["@swc/jest", { jsc: { target: "es2023" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: [
    "/node_modules/(?!(file-type|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|htmlparser2|domhandler|domutils|domelementtype|dom-serializer|entities)/)",
  ],
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/test/e2e/"],
};
