/** One JSON error shape for every failure the gateway returns. */
import type { FieldError } from "../shared/errors";

export interface ErrorBody {
  error: { type: string; message: string; fields?: FieldError[] };
}

interface AnyError {
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  message?: string;
  name?: string;
  data?: unknown;
}

const MESSAGES: Record<number, [string, string]> = {
  400: ["BAD_REQUEST", "请求格式错误"],
  401: ["UNAUTHORIZED", "请先登录"],
  403: ["FORBIDDEN", "无权执行此操作"],
  404: ["NOT_FOUND", "未找到请求的资源"],
  413: ["BODY_TOO_LARGE", "请求内容过大"],
  415: ["UNSUPPORTED_MEDIA_TYPE", "不支持的内容类型"],
  429: ["RATE_LIMITED", "请求过于频繁，请稍后再试"],
  503: ["SERVICE_UNAVAILABLE", "服务暂时不可用，请稍后再试"],
  504: ["TIMEOUT", "服务响应超时，请稍后再试"],
};

/** Maps Moleculer, moleculer-web and body-parser errors to an HTTP status and the error body. */
export function toErrorResponse(err: AnyError): { status: number; body: ErrorBody } {
  const raw = [err.code, err.status, err.statusCode].find((c) => typeof c === "number" && c >= 400 && c < 600) as
    number | undefined;
  let status = raw ?? 500;
  let type = typeof err.type === "string" ? err.type : undefined;
  let message = err.message ?? "";
  let fields: FieldError[] | undefined;

  if (type === "entity.parse.failed") [type, message] = ["MALFORMED_JSON", "请求体不是有效的 JSON"];
  else if (type === "entity.too.large") [type, message] = ["BODY_TOO_LARGE", "请求内容过大"];
  else if (type === "encoding.unsupported" || type === "charset.unsupported") status = 415;

  if (type === "VALIDATION_ERROR" || err.name === "ValidationError") {
    status = 422;
    type = "VALIDATION_ERROR";
    const data = Array.isArray(err.data)
      ? (err.data as {
          field?: string;
          message?: string;
          type?: string;
          actual?: unknown;
          row?: number;
          column?: string;
        }[])
      : [];
    // An unknown field (strict params) is reported on the object; name the field itself.
    fields = data.map((d) => ({
      field: d.type === "objectStrict" && typeof d.actual === "string" ? d.actual : (d.field ?? ""),
      message: d.type === "objectStrict" ? `不允许的字段：${String(d.actual)}` : (d.message ?? ""),
      type: d.type,
      // A spreadsheet import names the row and column of each bad cell.
      ...(d.row !== undefined ? { row: d.row, column: d.column } : {}),
    }));
    message = fields.length ? `参数校验失败：${fields.map((f) => f.field).join("、")}` : message || "参数校验失败";
  }
  if (err.name === "ServiceNotFoundError" || err.name === "ServiceNotAvailableError") status = 503;
  if (err.name === "RequestTimeoutError") status = 504;

  const [defType, defMessage] = MESSAGES[status] ?? ["INTERNAL_ERROR", "服务器内部错误"];
  if (status >= 500) message = defMessage; // never leak internals
  return {
    status,
    body: {
      error: {
        type: status >= 500 ? defType : (type ?? defType),
        message: message || defMessage,
        ...(fields ? { fields } : {}),
      },
    },
  };
}
