import { ArrowLeftOutlined, PrinterOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Breadcrumb, Button, Card, Segmented, Space, Table, Typography } from "antd";
import { useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { ComplianceReport, CountyRank } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { firstOfMonth, today, useLookup } from "../../lib/hooks";
import { Chart } from "../../components/Chart";
import { pct } from "../../components/Compliance";
import { ErrorState, Loading } from "../../components/States";

const PERIODS = { month: "本月", weeks4: "近四周", quarter: "本季度", year: "本年" } as const;
type Period = keyof typeof PERIODS;

function range(p: Period): { from: string; to: string } {
  const to = today();
  const y = to.slice(0, 4);
  const m = Number(to.slice(5, 7));
  if (p === "month") return { from: firstOfMonth(to), to };
  if (p === "weeks4") return { from: today(-27), to };
  if (p === "quarter") return { from: `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, "0")}-01`, to };
  return { from: `${y}-01-01`, to };
}

const rate = (r: { rate: number | null }) => (r.rate == null ? 0 : Math.round(r.rate * 1000) / 10);

export default function Compare() {
  const [params, setParams] = useSearchParams();
  const period = (params.get("period") as Period) || "month";
  const orgId = params.get("org");
  const nav = useNavigate();
  const { orgName, divisionName } = useLookup();
  const [basis, setBasis] = useState<"personal" | "orgLog">("personal");
  const { from, to } = range(period);
  const all = useQuery({
    queryKey: ["compliance", "all", from, to],
    queryFn: () => get<ComplianceReport>("/api/worklog/compliance", { from, to }),
  });
  const one = useQuery({
    queryKey: ["compliance", orgId, from, to],
    enabled: !!orgId,
    queryFn: () => get<ComplianceReport>("/api/worklog/compliance", { from, to, orgId: orgId! }),
  });

  const ranking: CountyRank[] = all.data?.ranking[basis] ?? [];
  const countyOption = useMemo(
    () => ({
      tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 40, right: 12, top: 36, bottom: 70 },
      xAxis: { type: "category", data: ranking.map((r) => orgName(r.orgId)), axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        {
          name: "个人日志完成率",
          type: "bar",
          data: ranking.map((r) => rate(r.personal)),
          itemStyle: { color: "#1f4e8c" },
        },
        {
          name: "单位日志（每周）完成率",
          type: "bar",
          data: ranking.map((r) => rate(r.orgLog)),
          itemStyle: { color: "#52a0e6" },
        },
      ],
    }),
    [ranking, orgName],
  );

  const divisions = useMemo(
    () => [...(one.data?.divisions ?? [])].sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0)),
    [one.data],
  );
  const divisionOption = useMemo(
    () => ({
      tooltip: { trigger: "axis", valueFormatter: (v: number) => `${v}%` },
      grid: { left: 40, right: 12, top: 16, bottom: 70 },
      xAxis: {
        type: "category",
        data: divisions.map((d) => divisionName(d.id)),
        axisLabel: { rotate: 45, interval: 0 },
      },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "个人日志完成率", type: "bar", data: divisions.map((d) => rate(d)), itemStyle: { color: "#1f4e8c" } },
      ],
    }),
    [divisions, divisionName],
  );

  function set(patch: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  }

  return (
    <div className="mb-page" data-testid="compare-page">
      <div className="mb-print-only">
        <h2>
          县区日志完成情况对比（{from} 至 {to}）
        </h2>
      </div>
      <Space wrap style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }} className="mb-no-print">
        <Breadcrumb
          items={[
            { title: orgId ? <a onClick={() => set({ org: null })}>县区对比</a> : "县区对比" },
            ...(orgId ? [{ title: orgName(orgId) }] : []),
          ]}
        />
        <Space wrap>
          <Segmented
            value={period}
            onChange={(v) => set({ period: String(v) })}
            options={Object.entries(PERIODS).map(([value, label]) => ({ value, label }))}
          />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印
          </Button>
        </Space>
      </Space>
      {!orgId ? (
        <Card
          size="small"
          title={`20 个县区日志完成率（${from} 至 ${to}）`}
          extra={
            <Segmented
              size="small"
              value={basis}
              onChange={(v) => setBasis(v as typeof basis)}
              options={[
                { value: "personal", label: "按个人日志排名" },
                { value: "orgLog", label: "按单位日志排名" },
              ]}
            />
          }
        >
          {all.isLoading ? (
            <Loading rows={8} />
          ) : all.isError ? (
            <ErrorState error={all.error} onRetry={() => void all.refetch()} />
          ) : (
            <>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} className="mb-no-print">
                点击柱形查看该县区各股室
              </Typography.Text>
              <Chart
                option={countyOption}
                height={360}
                testId="county-chart"
                onClick={(p) => ranking[p.dataIndex] && set({ org: ranking[p.dataIndex].orgId })}
              />
              <Table
                size="small"
                rowKey="orgId"
                pagination={false}
                dataSource={ranking}
                onRow={(r) => ({ onClick: () => set({ org: r.orgId }), style: { cursor: "pointer" } })}
                columns={[
                  { title: "名次", dataIndex: "rank", width: 60, align: "center" },
                  {
                    title: "县区",
                    dataIndex: "orgId",
                    render: (v: string) => (
                      <Link to={`/orgs/${v}`} onClick={(e) => e.stopPropagation()}>
                        {orgName(v)}
                      </Link>
                    ),
                  },
                  {
                    title: "单位日志（周）",
                    key: "o",
                    align: "right",
                    render: (_: unknown, r) => `${r.orgLog.done}/${r.orgLog.due} · ${pct(r.orgLog)}`,
                  },
                  {
                    title: "个人日志 已写/应写",
                    key: "p",
                    align: "right",
                    render: (_: unknown, r) => `${r.personal.done}/${r.personal.due}`,
                  },
                  { title: "个人完成率", key: "pr", align: "right", render: (_: unknown, r) => pct(r.personal) },
                  { title: "按时", key: "ot", align: "right", render: (_: unknown, r) => r.personal.onTime },
                ]}
              />
            </>
          )}
        </Card>
      ) : (
        <Card
          size="small"
          title={`${orgName(orgId)} 各股室个人日志完成率`}
          extra={
            <Button size="small" icon={<ArrowLeftOutlined />} onClick={() => set({ org: null })}>
              返回县区对比
            </Button>
          }
        >
          {one.isLoading ? (
            <Loading rows={8} />
          ) : one.isError ? (
            <ErrorState error={one.error} />
          ) : (
            <>
              <Chart
                option={divisionOption}
                height={320}
                testId="division-chart"
                onClick={(p) => divisions[p.dataIndex] && nav(`/divisions/${divisions[p.dataIndex].id}`)}
              />
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={divisions}
                columns={[
                  {
                    title: "股室",
                    dataIndex: "id",
                    render: (v: string) => <Link to={`/divisions/${v}`}>{divisionName(v)}</Link>,
                  },
                  { title: "人数", dataIndex: "people", align: "right" },
                  { title: "已写/应写", key: "d", align: "right", render: (_: unknown, r) => `${r.done}/${r.due}` },
                  { title: "完成率", key: "r", align: "right", render: (_: unknown, r) => pct(r) },
                ]}
              />
            </>
          )}
        </Card>
      )}
    </div>
  );
}
