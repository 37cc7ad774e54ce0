import { createHash } from "node:crypto";
import { BodyShapeError, CONTENT_SECURITY_POLICY, checkBodyShape } from "../../../gateway/guards";

const LIMITS = { maxDepth: 32, maxKeys: 100 };
/** `[[[…]]]` nested `depth` deep (the top level counts as 1). */
const nested = (depth: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
};
const shapeError = (body: unknown): string | null => {
  try {
    checkBodyShape(body, LIMITS);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(BodyShapeError);
    expect((err as BodyShapeError).code).toBe(400);
    return (err as Error).message;
  }
};

describe("the body shape check", () => {
  test("when a body is nested to the limit, then it passes; one level deeper, then 400 names the limit", () => {
    expect(shapeError(nested(32))).toBeNull();
    expect(shapeError({ a: { b: nested(30) } })).toBeNull();
    expect(shapeError(nested(33))).toBe("请求体嵌套过深（最多 32 层）");
    expect(shapeError({ a: { b: nested(31) } })).toBe("请求体嵌套过深（最多 32 层）");
  });

  test("when a body is nested 100,000 deep, then the check answers 400 instead of overflowing the stack", () => {
    expect(shapeError({ filter: nested(100_000) })).toMatch(/嵌套过深/);
  });

  test("when a body holds more keys and items than the limit, then 400; scalars of any size pass", () => {
    // One key and 99 items: 100 in all.
    expect(shapeError({ ids: Array.from({ length: 99 }, (_, i) => `s-${i}`) })).toBeNull();
    expect(shapeError({ ids: Array.from({ length: 60 }, String), more: Array.from({ length: 40 }, String) })).toBe(
      "请求体字段过多（最多 100 个）",
    );
    expect(shapeError({ text: "字".repeat(100_000), n: 1, b: true, z: null })).toBeNull();
    expect(shapeError(undefined)).toBeNull();
  });
});

describe("the content security policy", () => {
  const directive = (name: string) =>
    CONTENT_SECURITY_POLICY.split("; ")
      .find((d) => d.startsWith(`${name} `))
      ?.slice(name.length + 1);

  test("when a page is served, then no inline script runs but the print button's handler, by its hash", () => {
    const hash = createHash("sha256").update("window.print()").digest("base64");
    expect(directive("script-src")).toBe(`'self' 'unsafe-hashes' 'sha256-${hash}'`);
    expect(directive("frame-ancestors")).toBe("'none'");
    expect(directive("object-src")).toBe("'none'");
  });
});
