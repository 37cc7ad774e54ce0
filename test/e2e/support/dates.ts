/** Dates as the bureau's users see them: Asia/Shanghai. */

/** "YYYY-MM-DD" in Asia/Shanghai, `days` days before today. */
export const localDay = (days = 0): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() - days * 86_400_000));

/** This year in Asia/Shanghai. */
export const thisYear = (): number => Number(localDay().slice(0, 4));
