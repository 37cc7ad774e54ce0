/** Form helpers of the plan pages (what they may offer a user is in @shared/permissions). */
import type { ProgressStatus } from "@shared/contracts/plans";
import { ApiError, type FieldError } from "./api";

export const STATUS_COLOURS: Record<ProgressStatus, string> = {
  not_started: "default",
  in_progress: "processing",
  done: "success",
  delayed: "error",
};

/** The progress a status implies when it is picked (未开始 0, 已完成 100), else the current one. */
export function progressFor(status: ProgressStatus, current: number): number {
  if (status === "done") return 100;
  if (status === "not_started") return 0;
  return current;
}

/** "tasks[2].reason" → ["tasks", 2, "reason"]: a server field error as an antd form field name. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Server field errors in the shape antd's form.setFields takes. */
export const formErrors = (fields: FieldError[]) =>
  fields.map((f) => ({ name: fieldPath(f.field), errors: [f.message] }));

/** A failed save: the server's field errors go on the form, and its first message (or `fallback`) is shown. */
export function showSaveError(
  err: unknown,
  form: { setFields: (f: never) => void },
  show: (text: string) => void,
  fallback: string,
) {
  if (err instanceof ApiError && err.fields.length) form.setFields(formErrors(err.fields) as never);
  show(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : fallback);
}
