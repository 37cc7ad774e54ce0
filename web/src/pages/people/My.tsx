import { EditOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Button, Card, Col, List, Row, Table, Tag, Typography } from "antd";
import { Link, useNavigate } from "react-router";
import type { InboxList } from "@shared/contracts/inbox";
import {
  ATTENDANCE_LABELS,
  type AttendanceMonthResult,
  type AttendanceStatus,
  type StaffDetail,
} from "@shared/contracts/personnel";
import type { ComplianceReport, FeedResult } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { firstOfMonth, today, useLookup, useUser } from "../../lib/hooks";
import { AbPartner } from "../../components/Profile";
import { ComplianceStats } from "../../components/Compliance";
import { LogCard } from "../../components/LogCard";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { PlanBrief } from "../../components/PlanBrief";
import { ScoreBrief } from "../../components/ScoreBrief";

export default function My() {
  const me = useUser();
  const nav = useNavigate();
  const { orgName, divisionName } = useLookup();
  const staffId = me.staffId;
  const t = today();
  const monthStart = firstOfMonth(t);
  const [year, month] = [Number(t.slice(0, 4)), Number(t.slice(5, 7))];

  const staff = useQuery({
    queryKey: ["staff", staffId],
    enabled: !!staffId,
    queryFn: () => get<StaffDetail>(`/api/personnel/staff/${staffId}`),
  });
  const logs = useQuery({
    queryKey: ["feed", { authorId: staffId, limit: 5 }],
    enabled: !!staffId,
    queryFn: () => get<FeedResult>("/api/worklog/logs", { authorId: staffId!, limit: 5 }),
  });
  const compliance = useQuery({
    queryKey: ["compliance", me.orgId, monthStart, t],
    // After the logs: the heavier report must not hold up the first thing the user looks at.
    enabled: !!staffId && logs.isFetched,
    queryFn: () => get<ComplianceReport>("/api/worklog/compliance", { from: monthStart, to: t, orgId: me.orgId }),
    select: (r) => r.people.find((p) => p.staffId === staffId) ?? null,
  });
  const mayAttendance = !!staffId;
  const attendance = useQuery({
    queryKey: ["attendance", "mine", year, month],
    enabled: mayAttendance,
    queryFn: () =>
      get<{ counts: AttendanceMonthResult["people"][number]["counts"] }>("/api/personnel/attendance/mine", {
        year,
        month,
      }),
  });
  const inbox = useQuery<InboxList>({ queryKey: ["inbox"], enabled: false });

  return (
    <div className="mb-page" data-testid="my-page">
      <div style={{ display: "flex", alignItems: "center", flexWrap: "wrap", gap: 8, marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {me.name}
        </Typography.Title>
        <span className="mb-muted">
          {orgName(me.orgId)} · {divisionName(me.divisionId)}
          {staff.data ? ` · ${staff.data.title}` : ""}
        </span>
        <div style={{ flex: 1 }} />
        {staffId && (
          <Button type="primary" icon={<EditOutlined />} onClick={() => nav("/worklog/write")}>
            写今天的日志
          </Button>
        )}
      </div>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={16}>
          <Card
            size="small"
            title="我的日志"
            extra={staffId && <Link to={`/people/${staffId}`}>全部</Link>}
            data-testid="my-logs"
          >
            {!staffId ? (
              <EmptyState title="此账号未关联干部信息" />
            ) : logs.isLoading ? (
              <Loading />
            ) : logs.isError ? (
              <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
            ) : logs.data!.items.length === 0 ? (
              <EmptyState title="还没有写过日志">
                <Link to="/worklog/write">写第一篇</Link>
              </EmptyState>
            ) : (
              logs.data!.items.map((l) => <LogCard key={l.id} log={l} />)
            )}
          </Card>
          <Card size="small" title="今年任务 · 本月安排 · 上月完成" style={{ marginTop: 12 }} data-testid="my-plans">
            {staffId ? (
              <PlanBrief
                tasksPath={`/api/plans/staff/${staffId}/tasks`}
                divisionId={me.divisionId}
                partOf={me.divisionId}
              />
            ) : (
              <EmptyState title="此账号未关联干部信息" />
            )}
          </Card>
          <Card size="small" title="我的指标与得分" style={{ marginTop: 12 }} data-testid="my-indicators">
            {staffId ? <ScoreBrief staffId={staffId} /> : <EmptyState title="此账号未关联干部信息" />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card
            size="small"
            title={`本月日志完成情况（${monthStart.slice(5)} 至 ${t.slice(5)}）`}
            data-testid="my-compliance"
          >
            {compliance.isLoading ? (
              <Loading rows={2} />
            ) : compliance.isError ? (
              <ErrorState error={compliance.error} />
            ) : (
              <ComplianceStats row={compliance.data} />
            )}
          </Card>
          <Card size="small" title="AB 岗" style={{ marginTop: 12 }} data-testid="my-ab">
            {staff.isLoading ? (
              <Loading rows={2} />
            ) : staff.data ? (
              <AbPartner s={staff.data} />
            ) : (
              <EmptyState title="暂无岗位信息" />
            )}
          </Card>
          <Card size="small" title={`本月考勤（${month} 月）`} style={{ marginTop: 12 }} data-testid="my-attendance">
            {!mayAttendance ? (
              <EmptyState title="该账号未关联干部信息" />
            ) : attendance.isLoading ? (
              <Loading rows={2} />
            ) : !attendance.data ? (
              <EmptyState title="本月暂无考勤记录" />
            ) : (
              <Table
                size="small"
                pagination={false}
                rowKey="k"
                dataSource={Object.entries(attendance.data.counts)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => ({ k, n }))}
                columns={[
                  {
                    title: "状态",
                    dataIndex: "k",
                    render: (k: string) => (k === "notRecorded" ? "未录入" : ATTENDANCE_LABELS[k as AttendanceStatus]),
                  },
                  { title: "天数", dataIndex: "n", align: "right" },
                ]}
              />
            )}
          </Card>
          <Card size="small" title="未读提醒" style={{ marginTop: 12 }} data-testid="my-reminders">
            {inbox.data?.items.filter((i) => !i.readAt).length ? (
              <List
                size="small"
                dataSource={inbox.data.items.filter((i) => !i.readAt).slice(0, 5)}
                renderItem={(i) => (
                  <List.Item>
                    <Link to={i.link || "/me"}>{i.title}</Link>
                    <Tag>未读</Tag>
                  </List.Item>
                )}
              />
            ) : (
              <EmptyState title="没有未读提醒" />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
