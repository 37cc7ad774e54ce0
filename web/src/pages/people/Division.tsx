import { useQuery } from "@tanstack/react-query";
import { Card, Col, Row, Table, Tag, Typography } from "antd";
import { Link, useParams } from "react-router";
import type { Post, StaffListResult } from "@shared/contracts/personnel";
import type { ComplianceReport, MonthCount } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { firstOfMonth, today, useLookup } from "../../lib/hooks";
import { ComplianceStats, pct } from "../../components/Compliance";
import { Feed } from "../../components/Feed";
import { Loading, PageError } from "../../components/States";
import { PlanBrief } from "../../components/PlanBrief";
import { MonthChart } from "./Person";

export default function Division() {
  const { id = "" } = useParams();
  const { division, orgName } = useLookup();
  const d = division(id);
  const t = today();
  const from = firstOfMonth(t);
  const staff = useQuery({
    queryKey: ["staff-list", { divisionId: id }],
    queryFn: () => get<StaffListResult>("/api/personnel/staff", { divisionId: id, status: "active", limit: 200 }),
  });
  const posts = useQuery({
    queryKey: ["posts", id],
    queryFn: () => get<Post[]>("/api/personnel/posts", { divisionId: id }),
  });
  const counts = useQuery({
    queryKey: ["counts", "division", id],
    queryFn: () => get<MonthCount[]>("/api/worklog/counts", { divisionId: id }),
  });
  const compliance = useQuery({
    queryKey: ["compliance", d?.orgId, from, t],
    enabled: !!d,
    queryFn: () => get<ComplianceReport>("/api/worklog/compliance", { from, to: t, orgId: d!.orgId }),
  });
  const names = new Map((staff.data?.rows ?? []).map((s) => [s.id, s.name]));
  const people = compliance.data?.people.filter((p) => p.divisionId === id) ?? [];
  const divRow = compliance.data?.divisions.find((r) => r.id === id);

  if (staff.isError) return <PageError error={staff.error} />;
  return (
    <div className="mb-page" data-testid="division-page">
      <Typography.Title level={4}>
        {d?.name ?? id}{" "}
        <span className="mb-muted" style={{ fontSize: 14, fontWeight: 400 }}>
          {d && <Link to={`/orgs/${d.orgId}`}>{orgName(d.orgId)}</Link>} · {staff.data?.total ?? "…"} 人
        </span>
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title="岗位与 AB 岗">
            {posts.isLoading ? (
              <Loading />
            ) : (
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ x: 520 }}
                dataSource={posts.data}
                columns={[
                  {
                    title: "岗位",
                    dataIndex: "title",
                    width: 120,
                    render: (v: string, p: Post) => (
                      <>
                        {v}
                        {p.isHead && (
                          <Tag color="blue" style={{ marginLeft: 4 }}>
                            负责人
                          </Tag>
                        )}
                      </>
                    ),
                  },
                  {
                    title: "A 岗",
                    dataIndex: "aHolderId",
                    width: 80,
                    render: (v: string | null) =>
                      v ? <Link to={`/people/${v}`}>{names.get(v) ?? v}</Link> : <Tag>空缺</Tag>,
                  },
                  {
                    title: "B 岗",
                    dataIndex: "bHolderId",
                    width: 80,
                    render: (v: string | null) =>
                      v ? <Link to={`/people/${v}`}>{names.get(v) ?? v}</Link> : <Tag color="orange">未设置</Tag>,
                  },
                  { title: "岗位职责", dataIndex: "responsibilities", ellipsis: true },
                ]}
              />
            )}
          </Card>
          <Card size="small" title="处室日志" style={{ marginTop: 12 }}>
            <Feed filter={{ divisionId: id }} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="本月日志完成情况">
            {compliance.isLoading ? (
              <Loading rows={3} />
            ) : (
              <>
                <ComplianceStats row={divRow} label="处室完成率" />
                <Table
                  size="small"
                  rowKey="staffId"
                  pagination={false}
                  style={{ marginTop: 8 }}
                  dataSource={people}
                  columns={[
                    {
                      title: "姓名",
                      dataIndex: "name",
                      render: (v: string, r) => <Link to={`/people/${r.staffId}`}>{v}</Link>,
                    },
                    { title: "应写", dataIndex: "due", align: "right" },
                    { title: "已写", dataIndex: "done", align: "right" },
                    {
                      title: "完成率",
                      key: "rate",
                      align: "right",
                      render: (_: unknown, r) => pct(r),
                      sorter: (a, b) => (a.rate ?? 0) - (b.rate ?? 0),
                    },
                  ]}
                />
              </>
            )}
          </Card>
          <Card size="small" title="近 12 个月日志篇数" style={{ marginTop: 12 }}>
            <MonthChart counts={counts.data} />
          </Card>
          <Card size="small" title="处室年度任务" style={{ marginTop: 12 }}>
            <PlanBrief tasksPath={`/api/plans/divisions/${id}/tasks`} divisionId={id} partOf={id} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
