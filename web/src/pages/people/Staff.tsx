import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Col, Drawer, Input, Row, Select, Space, Table, Tabs } from "antd";
import { useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { AGE_BANDS } from "@shared/time";
import {
  EDUCATION_LEVELS,
  GENDER_LABELS,
  STAFF_STATUS_LABELS,
  type StaffDetail,
  type StaffImportResult,
  type StaffListResult,
  type StaffStats,
  type StaffView,
} from "@shared/contracts/personnel";
import { get } from "../../lib/api";
import { holds } from "@shared/permissions";
import { useLookup, useUser } from "../../lib/hooks";
import { Chart, PALETTE } from "../../components/Chart";
import { ExportButton } from "../../components/ExportButton";
import { StaffProfile } from "../../components/Profile";
import { ErrorState, Loading } from "../../components/States";
import { XlsxImport } from "../../components/XlsxImport";

function Directory() {
  const me = useUser();
  const { orgs, orgName, divisionName } = useLookup();
  const [params, setParams] = useSearchParams();
  const f = Object.fromEntries(params.entries()) as Record<string, string>;
  const page = Number(f.page ?? 1);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ["staff-list", f],
    queryFn: () => get<StaffListResult>("/api/personnel/staff", { ...f, page, limit: 20 }),
    placeholderData: (prev) => prev,
  });
  const detail = useQuery({
    queryKey: ["staff", open],
    enabled: !!open,
    queryFn: () => get<StaffDetail>(`/api/personnel/staff/${open}`),
  });
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in patch)) next.delete("page");
    setParams(next, { replace: true });
  };
  const divisions = orgs.find((o) => o.id === f.orgId)?.divisions ?? [];
  const personal = (list.data?.rows ?? []).some((r) => "phone" in r);
  const admin = holds(me, "staff.administer");

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
        <Input.Search
          placeholder="姓名或拼音（如 zhangwei / zw）"
          allowClear
          defaultValue={f.q}
          onSearch={(v) => set({ q: v.trim() || undefined })}
          style={{ width: 240 }}
          data-testid="staff-search"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          placeholder="单位"
          style={{ width: 140 }}
          value={f.orgId}
          onChange={(v) => set({ orgId: v, divisionId: undefined })}
          options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
          data-testid="staff-org"
        />
        <Select
          allowClear
          placeholder="处室"
          style={{ width: 140 }}
          disabled={!f.orgId}
          value={f.divisionId}
          onChange={(v) => set({ divisionId: v })}
          options={divisions.map((d) => ({ value: d.id, label: d.name }))}
        />
        <Select
          allowClear
          placeholder="学历"
          style={{ width: 120 }}
          value={f.education}
          onChange={(v) => set({ education: v })}
          options={EDUCATION_LEVELS.map((e) => ({ value: e, label: e }))}
        />
        <Select
          allowClear
          placeholder="年龄段"
          style={{ width: 120 }}
          value={f.ageBand}
          onChange={(v) => set({ ageBand: v })}
          options={AGE_BANDS.map((e) => ({ value: e, label: e }))}
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 90 }}
          value={f.status}
          onChange={(v) => set({ status: v })}
          options={Object.entries(STAFF_STATUS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        {admin && <ImportExport orgId={f.orgId} divisionId={f.divisionId} />}
      </Space>
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<StaffView>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.rows}
          scroll={{ x: 900 }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: "pointer" } })}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 人`,
            onChange: (p) => set({ page: String(p) }),
          }}
          data-testid="staff-table"
          columns={[
            {
              title: "姓名",
              dataIndex: "name",
              width: 80,
              fixed: "left",
              render: (v: string, r) => (
                <Link to={`/people/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  {v}
                </Link>
              ),
            },
            { title: "性别", dataIndex: "gender", width: 50, render: (v: "male" | "female") => GENDER_LABELS[v] },
            { title: "单位", dataIndex: "orgId", width: 90, render: (v: string) => orgName(v) },
            { title: "处室", dataIndex: "divisionId", width: 110, render: (v: string) => divisionName(v) },
            { title: "职务", dataIndex: "title", width: 90 },
            { title: "学历", dataIndex: "education", width: 90 },
            { title: "年龄段", dataIndex: "ageBand", width: 90 },
            { title: "政治面貌", dataIndex: "politicalStatus", width: 80 },
            { title: "参加工作", dataIndex: "hireDate", width: 100 },
            ...(personal
              ? [
                  {
                    title: "手机",
                    dataIndex: "phone",
                    width: 120,
                    render: (v?: string | null) =>
                      v === undefined ? <span className="mb-muted">不可见</span> : (v ?? "—"),
                  },
                ]
              : []),
          ]}
        />
      )}
      <Drawer open={!!open} onClose={() => setOpen(null)} size={720} title={detail.data?.name ?? "干部信息"}>
        {detail.isLoading ? (
          <Loading />
        ) : detail.isError ? (
          <ErrorState error={detail.error} />
        ) : (
          detail.data && <StaffProfile s={detail.data} />
        )}
      </Drawer>
    </>
  );
}

function ImportExport({ orgId, divisionId }: { orgId?: string; divisionId?: string }) {
  const qc = useQueryClient();
  return (
    <>
      <XlsxImport<StaffImportResult>
        path="/api/personnel/imports/staff"
        testId="staff-import"
        onDone={(r) => {
          void qc.invalidateQueries({ queryKey: ["staff-list"] });
          void qc.invalidateQueries({ queryKey: ["stats"] });
          return `导入完成：新增 ${r.created} 人，更新 ${r.updated} 人，${r.unchanged} 人无变化`;
        }}
      />
      <ExportButton
        path="/api/personnel/exports/staff"
        query={{ orgId, divisionId }}
        fileName="干部职工名册.xlsx"
        testId="staff-export"
      />
    </>
  );
}

function Stats() {
  const { orgs, orgName } = useLookup();
  const [orgId, setOrgId] = useState<string | undefined>();
  const stats = useQuery({
    queryKey: ["stats", orgId ?? "all"],
    queryFn: () => get<StaffStats>("/api/personnel/stats/staff", { orgId }),
  });
  const pie = (data: Record<string, number>, order: readonly string[]) => ({
    color: PALETTE,
    tooltip: { trigger: "item", formatter: "{b}：{c} 人（{d}%）" },
    legend: { bottom: 0 },
    series: [
      {
        type: "pie",
        radius: ["35%", "65%"],
        center: ["50%", "45%"],
        data: order.filter((k) => data[k]).map((k) => ({ name: k, value: data[k] })),
        label: { formatter: "{b}\n{c}" },
      },
    ],
  });
  const byOrg = useMemo(() => {
    const rows = Object.entries(stats.data?.byOrg ?? {}).sort((a, b) => b[1] - a[1]);
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 8, top: 16, bottom: 70 },
      xAxis: { type: "category", data: rows.map(([id]) => orgName(id)), axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: "value" },
      series: [{ type: "bar", name: "人数", data: rows.map(([, n]) => n), itemStyle: { color: "#1f4e8c" } }],
    };
  }, [stats.data, orgName]);
  if (stats.isLoading) return <Loading rows={8} />;
  if (stats.isError || !stats.data) return <ErrorState error={stats.error} />;
  return (
    <>
      <Space style={{ marginBottom: 12 }} className="mb-no-print">
        <Select
          allowClear
          placeholder="全市"
          style={{ width: 160 }}
          value={orgId}
          onChange={setOrgId}
          options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
        />
        <span>在职 {stats.data.total} 人</span>
        <Button onClick={() => window.print()}>打印</Button>
      </Space>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title="学历分布">
            <Chart option={pie(stats.data.byEducation, EDUCATION_LEVELS)} testId="chart-education" />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title="年龄段分布">
            <Chart option={pie(stats.data.byAgeBand, AGE_BANDS)} />
          </Card>
        </Col>
        {!orgId && (
          <Col span={24}>
            <Card size="small" title="各单位人数">
              <Chart option={byOrg} />
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}

export default function Staff() {
  return (
    <div className="mb-page">
      <Tabs
        items={[
          { key: "list", label: "干部名册", children: <Directory /> },
          { key: "stats", label: "统计分析", children: <Stats /> },
        ]}
        destroyOnHidden
      />
    </div>
  );
}
