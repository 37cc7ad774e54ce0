import { useQuery } from "@tanstack/react-query";
import { Card, Col, List, Row, Table, Typography } from "antd";
import { Link, useParams } from "react-router";
import type { StaffStats } from "@shared/contracts/personnel";
import type { ComplianceReport } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { firstOfMonth, today, useLookup } from "../../lib/hooks";
import { ComplianceStats, pct } from "../../components/Compliance";
import { Feed } from "../../components/Feed";
import { Loading, PageError } from "../../components/States";

const KIND: Record<string, string> = { city: "市局", district: "区", county: "县", zone: "管理区" };

function OrgList() {
  const { orgs } = useLookup();
  const stats = useQuery({ queryKey: ["stats", "all"], queryFn: () => get<StaffStats>("/api/personnel/stats/staff") });
  return (
    <div className="mb-page">
      <Typography.Title level={4}>单位与处室</Typography.Title>
      <List
        grid={{ gutter: 12, xs: 1, sm: 2, md: 3, lg: 4 }}
        dataSource={orgs}
        renderItem={(o) => (
          <List.Item>
            <Card
              size="small"
              title={<Link to={`/orgs/${o.id}`}>{o.name}</Link>}
              extra={<span className="mb-muted">{KIND[o.kind]}</span>}
            >
              <div>
                {stats.data?.byOrg[o.id] ?? "…"} 人 · {o.divisions.length} 个{o.id === "city" ? "处室" : "股室"}
              </div>
            </Card>
          </List.Item>
        )}
      />
    </div>
  );
}

export default function Org() {
  const { id } = useParams();
  const { orgs, divisionName } = useLookup();
  const t = today();
  const from = firstOfMonth(t);
  const org = orgs.find((o) => o.id === id);
  const stats = useQuery({
    queryKey: ["stats", id],
    enabled: !!id,
    queryFn: () => get<StaffStats>("/api/personnel/stats/staff", { orgId: id }),
  });
  const compliance = useQuery({
    queryKey: ["compliance", id, from, t],
    enabled: !!id,
    queryFn: () => get<ComplianceReport>("/api/worklog/compliance", { from, to: t, orgId: id }),
  });
  if (!id) return <OrgList />;
  if (stats.isError) return <PageError error={stats.error} />;
  const orgRow = compliance.data?.orgs.find((r) => r.id === id);
  const divRates = new Map((compliance.data?.divisions ?? []).map((d) => [d.id, d]));
  return (
    <div className="mb-page" data-testid="org-page">
      <Typography.Title level={4}>
        {org?.name ?? id}{" "}
        <span className="mb-muted" style={{ fontSize: 14, fontWeight: 400 }}>
          {stats.data?.total ?? "…"} 人
        </span>
      </Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title="本月日志完成情况">
            {compliance.isLoading ? <Loading rows={2} /> : <ComplianceStats row={orgRow} label="全单位完成率" />}
          </Card>
          <Card size="small" title="处室" style={{ marginTop: 12 }}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={org?.divisions ?? []}
              columns={[
                {
                  title: "处室",
                  dataIndex: "name",
                  render: (v: string, d) => <Link to={`/divisions/${d.id}`}>{v}</Link>,
                },
                {
                  title: "人数",
                  key: "n",
                  align: "right",
                  render: (_: unknown, d) => stats.data?.byDivision[d.id] ?? 0,
                },
                {
                  title: "本月日志完成率",
                  key: "r",
                  align: "right",
                  render: (_: unknown, d) => pct(divRates.get(d.id)),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="单位日志">
            <Feed filter={{ orgId: id, kind: "org" }} empty={`${divisionName(null)}暂无单位日志`} />
          </Card>
          <Card size="small" title="最新个人日志" style={{ marginTop: 12 }}>
            <Feed filter={{ orgId: id, kind: "personal", limit: 5 }} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
