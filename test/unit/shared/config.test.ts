import { configSchema, loadConfig } from "../../../shared/config";

describe("configuration", () => {
  test("when nothing is set, then every key has its documented default", () => {
    const cfg = loadConfig({});
    expect(cfg.port).toBe(3000);
    expect(cfg.lockoutFailures).toBe(5);
    expect(cfg.lockoutWindowMinutes).toBe(15);
    expect(cfg.idleTimeoutMinutes).toBe(30);
    for (const e of Object.values(configSchema)) expect(e.doc.length).toBeGreaterThan(10);
  });

  test.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["MONGO_URL", "http://x"],
    ["LOG_LEVEL", "loud"],
    ["LOCKOUT_FAILURES", "0"],
  ])("when %s=%s, then loading fails with a message naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid ${name}=`));
  });

  test("when values are valid, then they are parsed to their types", () => {
    const cfg = loadConfig({ PORT: "8080", SERVICES: "personnel,gateway" });
    expect(cfg.port).toBe(8080);
    expect(cfg.services).toBe("personnel,gateway");
  });
});
