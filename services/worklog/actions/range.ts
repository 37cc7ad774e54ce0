/** The date-range check the feed, search and compliance actions share. */
import { addDays } from "../../../shared/calendar";
import { ValidationError, type FieldError } from "../../../shared/errors";
import { isIsoDate } from "../../../shared/time";

export function checkRange(from: string | undefined, to: string | undefined, maxDays?: number): void {
  const errors: FieldError[] = [];
  if (from !== undefined && !isIsoDate(from)) errors.push({ field: "from", message: "日期格式应为 YYYY-MM-DD" });
  if (to !== undefined && !isIsoDate(to)) errors.push({ field: "to", message: "日期格式应为 YYYY-MM-DD" });
  if (!errors.length && from && to && from > to) errors.push({ field: "to", message: "结束日期不能早于开始日期" });
  if (!errors.length && maxDays && from && to && addDays(from, maxDays) <= to)
    errors.push({ field: "to", message: `时间段不能超过 ${maxDays} 天` });
  if (errors.length) throw new ValidationError("日期有误", errors);
}
