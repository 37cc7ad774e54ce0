/**
 * Moleculer errors with stable `type` codes. The gateway maps `code` to the HTTP status
 * and renders one JSON error shape: { error: { type, message, fields? } }.
 */
import { Errors } from "moleculer";

export interface FieldError {
  field: string;
  message: string;
  type?: string;
  /** For a file import: the spreadsheet row (1-based, as Excel shows it) and column header at fault. */
  row?: number;
  column?: string;
}

export class ValidationError extends Errors.MoleculerClientError {
  constructor(message: string, fields: FieldError[]) {
    super(message, 422, "VALIDATION_ERROR", fields);
  }
}

export class NotFoundError extends Errors.MoleculerClientError {
  constructor(type: string, message: string) {
    super(message, 404, type);
  }
}

export class ForbiddenError extends Errors.MoleculerClientError {
  constructor(message = "无权执行此操作", type = "FORBIDDEN") {
    super(message, 403, type);
  }
}

export class UnauthorizedError extends Errors.MoleculerClientError {
  constructor(message = "请先登录", type = "UNAUTHORIZED") {
    super(message, 401, type);
  }
}

export class ConflictError extends Errors.MoleculerClientError {
  constructor(type: string, message: string) {
    super(message, 409, type);
  }
}

/** One field at fault, as a 422. */
export const fieldError = (field: string, message: string): ValidationError =>
  new ValidationError(message, [{ field, message }]);
