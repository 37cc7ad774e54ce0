import { Errors } from "moleculer";
import { toErrorResponse } from "../../../gateway/errors";
import { ForbiddenError, fieldError } from "../../../shared/errors";

describe("the one error shape", () => {
  test("when the validator rejects params, then 422 lists each field", () => {
    const err = new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
      { type: "required", field: "password", message: "The 'password' field is required." },
    ]);
    expect(toErrorResponse(err)).toEqual({
      status: 422,
      body: {
        error: {
          type: "VALIDATION_ERROR",
          message: "参数校验失败：password",
          fields: [{ field: "password", message: "The 'password' field is required.", type: "required" }],
        },
      },
    });
  });

  test("when an import has bad cells, then each field error keeps its row and column", () => {
    const err = new Errors.ValidationError("导入失败", "VALIDATION_ERROR", [
      { field: "phone", message: "手机号格式不正确", row: 7, column: "手机号" },
    ]);
    expect(toErrorResponse(err).body.error.fields).toEqual([
      { field: "phone", message: "手机号格式不正确", type: undefined, row: 7, column: "手机号" },
    ]);
  });

  test("when a service throws a typed client error, then its status and type pass through", () => {
    expect(toErrorResponse(new ForbiddenError())).toMatchObject({
      status: 403,
      body: { error: { type: "FORBIDDEN" } },
    });
    expect(toErrorResponse(fieldError("newPassword", "太短"))).toMatchObject({
      status: 422,
      body: { error: { fields: [{ field: "newPassword", message: "太短" }] } },
    });
  });

  test("when body-parser fails, then malformed JSON is 400 and oversize is 413", () => {
    expect(
      toErrorResponse({ status: 400, type: "entity.parse.failed", message: "Unexpected token" }).body.error.type,
    ).toBe("MALFORMED_JSON");
    expect(toErrorResponse({ status: 413, type: "entity.too.large" }).status).toBe(413);
  });

  test("when something unexpected breaks, then 500 without internal details", () => {
    const r = toErrorResponse(new Error("connection string mongodb://secret@host"));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain("secret");
  });

  test("when a service is down, then 503", () => {
    expect(toErrorResponse(new Errors.ServiceNotFoundError({ action: "personnel.staff.list" })).status).toBe(503);
  });
});
