import { Progress, Statistic } from "antd";
import type { RateRow } from "@shared/contracts/worklog";

export const pct = (r: RateRow | null | undefined): string =>
  r?.rate == null ? "—" : `${Math.round(r.rate * 1000) / 10}%`;

/** Due / done / on time for a period, as the worklog compliance report gives them. */
export function ComplianceStats({ row, label = "日志完成率" }: { row?: RateRow | null; label?: string }) {
  if (!row) return <span className="mb-muted">本期没有应写日志</span>;
  return (
    <div className="mb-stat-grid" data-testid="compliance">
      <div>
        <Statistic title={label} value={pct(row)} />
        <Progress
          percent={row.rate == null ? 0 : Math.round(row.rate * 100)}
          showInfo={false}
          size="small"
          status={row.rate != null && row.rate < 0.8 ? "exception" : "normal"}
        />
      </div>
      <Statistic title="已写 / 应写" value={`${row.done} / ${row.due}`} />
      <Statistic title="按时" value={row.onTime} suffix="篇" />
    </div>
  );
}
