/** One person's score item by item, their indicators (学习、信息、宣传) and the facts behind them. */
import { useQuery } from "@tanstack/react-query";
import { Alert, Descriptions, Statistic, Table, Tag } from "antd";
import {
  GRADE_LABELS,
  INDICATOR_LABELS,
  type FactView,
  type ItemScore,
  type StaffBreakdown,
} from "@shared/contracts/assessment";
import { INFO_LEVEL_LABELS, OUTLET_LEVEL_LABELS } from "@shared/contracts/info";
import { get } from "../../lib/api";
import { ErrorState, EmptyState, Loading } from "../../components/States";

const LEVELS: Record<string, string> = { ...OUTLET_LEVEL_LABELS, ...INFO_LEVEL_LABELS };

export function useBreakdown(staffId: string | null | undefined, year: number) {
  return useQuery({
    queryKey: ["breakdown", staffId, year],
    enabled: !!staffId,
    queryFn: () => get<StaffBreakdown>(`/api/assessment/breakdown/${staffId}`, { year }),
  });
}

/** The score and the indicators at a glance (My page). */
export function ScoreSummary({ b }: { b: StaffBreakdown }) {
  return (
    <div className="mb-stat-grid" data-testid="my-score">
      <Statistic title={`${b.year} 年度得分`} value={b.score.toFixed(2)} suffix={<Tag>{GRADE_LABELS[b.grade]}</Tag>} />
      <Statistic title="单位内排名" value={b.rank} />
      <Statistic title="网络学习" value={b.indicators.learningHours} suffix="学时" precision={1} />
      <Statistic title="信息报送" value={b.indicators.informationPoints} suffix="分" precision={1} />
      <Statistic title="宣传" value={b.indicators.publicityPoints} suffix="分" precision={1} />
    </div>
  );
}

export function ItemsTable({ items }: { items: ItemScore[] }) {
  return (
    <Table<ItemScore>
      size="small"
      bordered
      rowKey="item"
      pagination={false}
      dataSource={items}
      scroll={{ x: 560 }}
      data-testid="score-items"
      columns={[
        { title: "考核项目", dataIndex: "label", width: 120 },
        { title: "权重", dataIndex: "weight", width: 60, align: "right" },
        {
          title: "得分（百分制）",
          dataIndex: "score",
          width: 110,
          align: "right",
          render: (v: number | null, r) =>
            r.hidden ? <span className="mb-muted">不公开</span> : (v?.toFixed(1) ?? "—"),
        },
        {
          title: "折合分",
          dataIndex: "points",
          width: 80,
          align: "right",
          render: (v: number | null) => v?.toFixed(2) ?? "—",
        },
        { title: "计算依据", dataIndex: "detail" },
      ]}
    />
  );
}

export default function Breakdown({ staffId, year }: { staffId: string; year: number }) {
  const q = useBreakdown(staffId, year);
  if (q.isLoading) return <Loading rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const b = q.data!;
  return (
    <div data-testid="breakdown">
      {b.frozen && <Alert type="success" showIcon style={{ marginBottom: 8 }} title={`${b.year} 年度考核结果已冻结`} />}
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label="姓名">{b.name}</Descriptions.Item>
        <Descriptions.Item label="处室">{b.divisionName}</Descriptions.Item>
        <Descriptions.Item label="处室得分">{b.division.score.toFixed(2)}</Descriptions.Item>
      </Descriptions>
      <ScoreSummary b={b} />
      <div style={{ marginTop: 12 }}>
        <ItemsTable items={b.items} />
      </div>
      {!b.full && (
        <div className="mb-muted" style={{ fontSize: 12, marginTop: 4 }}>
          出勤等个人信息项仅本人、本单位管理员和领导可见。
        </div>
      )}
      <h4 style={{ marginTop: 16 }}>指标明细（{b.facts.length} 项）</h4>
      {!b.facts.length ? (
        <EmptyState title="本年度暂无网络学习、信息采用或宣传记录" />
      ) : (
        <Table<FactView>
          size="small"
          bordered
          rowKey="factId"
          dataSource={b.facts}
          pagination={b.facts.length > 20 ? { pageSize: 20 } : false}
          data-testid="score-facts"
          columns={[
            { title: "日期", dataIndex: "date", width: 100 },
            { title: "指标", dataIndex: "kind", width: 90, render: (k: FactView["kind"]) => INDICATOR_LABELS[k] },
            { title: "内容", dataIndex: "label" },
            {
              title: "级别",
              dataIndex: "level",
              width: 80,
              render: (v: string | null) => (v ? (LEVELS[v] ?? v) : "—"),
            },
            {
              title: "分值 / 学时",
              dataIndex: "value",
              width: 90,
              align: "right",
            },
          ]}
        />
      )}
      <div className="mb-muted" style={{ fontSize: 12, marginTop: 8 }}>
        排名规则：{b.tieBreakRule}
      </div>
    </div>
  );
}
