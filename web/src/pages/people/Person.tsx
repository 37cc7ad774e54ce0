import { useQuery } from "@tanstack/react-query";
import { Card, Col, Row, Typography } from "antd";
import { useMemo } from "react";
import { useParams } from "react-router";
import type { StaffDetail } from "@shared/contracts/personnel";
import type { MonthCount } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { useLookup } from "../../lib/hooks";
import { Chart } from "../../components/Chart";
import { Feed } from "../../components/Feed";
import { StaffProfile } from "../../components/Profile";
import { ErrorState, Loading } from "../../components/States";
import { PlanBrief } from "../../components/PlanBrief";
import { ScoreBrief } from "../../components/ScoreBrief";

export function MonthChart({ counts }: { counts?: MonthCount[] }) {
  const option = useMemo(() => {
    const rows = [...(counts ?? [])].reverse().slice(-12);
    return {
      grid: { left: 32, right: 8, top: 16, bottom: 24 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map((r) => `${r.year % 100}年${r.month}月`) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: rows.map((r) => r.count), itemStyle: { color: "#1f4e8c" }, name: "日志篇数" }],
    };
  }, [counts]);
  return <Chart option={option} height={200} />;
}

export default function Person() {
  const { id = "" } = useParams();
  const { orgName, divisionName } = useLookup();
  const staff = useQuery({ queryKey: ["staff", id], queryFn: () => get<StaffDetail>(`/api/personnel/staff/${id}`) });
  const counts = useQuery({
    queryKey: ["counts", "author", id],
    queryFn: () => get<MonthCount[]>("/api/worklog/counts", { authorId: id }),
  });
  if (staff.isLoading)
    return (
      <div className="mb-page">
        <Loading rows={8} />
      </div>
    );
  if (staff.isError || !staff.data)
    return (
      <div className="mb-page">
        <ErrorState error={staff.error} />
      </div>
    );
  const s = staff.data;
  return (
    <div className="mb-page" data-testid="person-page">
      <Typography.Title level={4}>
        {s.name}{" "}
        <span className="mb-muted" style={{ fontSize: 14, fontWeight: 400 }}>
          {orgName(s.orgId)} · {divisionName(s.divisionId)} · {s.title}
        </span>
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 12 }}>
        <StaffProfile s={s} />
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <Card size="small" title="工作日志">
            <Feed filter={{ authorId: id }} empty="还没有发布日志" />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title="近 12 个月日志篇数">
            {counts.isLoading ? <Loading rows={3} /> : <MonthChart counts={counts.data} />}
          </Card>
          <Card size="small" title="年度任务与月度安排" style={{ marginTop: 12 }}>
            <PlanBrief tasksPath={`/api/plans/staff/${id}/tasks`} divisionId={s.divisionId} partOf={s.divisionId} />
          </Card>
          <Card size="small" title="指标与得分" style={{ marginTop: 12 }}>
            <ScoreBrief staffId={id} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
