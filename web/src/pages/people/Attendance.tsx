import { SaveOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Select, Space, Table, Tabs, Tag } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { isCityWide } from "@shared/auth";
import { may } from "@shared/permissions";
import {
  ATTENDANCE_LABELS,
  ATTENDANCE_STATUSES,
  type AttendanceCounts,
  type AttendanceImportResult,
  type AttendanceMonthResult,
  type AttendanceStatus,
} from "@shared/contracts/personnel";
import { api, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { ExportButton } from "../../components/ExportButton";
import { XlsxImport } from "../../components/XlsxImport";
import { EmptyState, ErrorState, Loading } from "../../components/States";

const COLOURS: Partial<Record<AttendanceStatus, string>> = {
  leave_personal: "orange",
  leave_sick: "red",
  leave_annual: "green",
  business_trip: "blue",
  training: "purple",
  absent: "magenta",
};
const SHORT: Record<AttendanceStatus, string> = {
  present: "√",
  leave_personal: "事",
  leave_sick: "病",
  leave_annual: "年",
  business_trip: "差",
  training: "训",
  absent: "缺",
};
const COUNT_KEYS = [...ATTENDANCE_STATUSES, "notRecorded"] as const;
const countLabel = (k: (typeof COUNT_KEYS)[number]) => (k === "notRecorded" ? "未录" : ATTENDANCE_LABELS[k]);

export default function Attendance() {
  const me = useUser();
  const { orgs, divisionName } = useLookup();
  const { message } = App.useApp();
  const [month, setMonth] = useState(dayjs());
  const admin = may(me, "staff.administer", { orgId: me.orgId });
  const [orgId, setOrgId] = useState(me.orgId);
  const [divisionId, setDivisionId] = useState<string | undefined>(admin ? undefined : (me.divisionId ?? undefined));
  const [changes, setChanges] = useState<Record<string, AttendanceStatus>>({});
  const [saving, setSaving] = useState(false);
  const y = month.year();
  const m = month.month() + 1;
  const q = useQuery({
    queryKey: ["attendance", divisionId ?? orgId, y, m],
    enabled: !!(divisionId || admin),
    queryFn: () =>
      get<AttendanceMonthResult>(
        "/api/personnel/attendance/month",
        divisionId ? { year: y, month: m, divisionId } : { year: y, month: m, orgId },
      ),
  });
  const orgChoices = isCityWide(me) ? orgs : orgs.filter((o) => o.id === me.orgId);
  const divisions = orgs.find((o) => o.id === orgId)?.divisions ?? [];

  const grid = useMemo(() => {
    const days = q.data?.workingDays ?? [];
    return [
      { title: "姓名", dataIndex: "name", fixed: "left" as const, width: 72 },
      ...days.map((d) => ({
        title: (
          <span style={{ fontSize: 11 }}>
            {d.slice(8)}
            <br />
            {"日一二三四五六"[dayjs(d).day()]}
          </span>
        ),
        key: d,
        width: 52,
        align: "center" as const,
        render: (_: unknown, r: AttendanceMonthResult["people"][number]) => {
          const k = `${r.staffId}|${d}`;
          const v = changes[k] ?? r.days[d];
          return (
            <Select
              size="small"
              variant="borderless"
              value={v}
              placeholder="·"
              popupMatchSelectWidth={90}
              style={{ width: 46, background: changes[k] ? "#fffbe6" : undefined }}
              suffixIcon={null}
              onChange={(s) => setChanges((c) => ({ ...c, [k]: s }))}
              options={ATTENDANCE_STATUSES.map((s) => ({ value: s, label: SHORT[s], title: ATTENDANCE_LABELS[s] }))}
              optionRender={(o) =>
                `${SHORT[o.value as AttendanceStatus]} ${ATTENDANCE_LABELS[o.value as AttendanceStatus]}`
              }
            />
          );
        },
      })),
    ];
  }, [q.data, changes]);

  async function save() {
    const byDivision = new Map<string, { staffId: string; date: string; status: AttendanceStatus }[]>();
    const divOf = new Map((q.data?.people ?? []).map((p) => [p.staffId, p.divisionId]));
    for (const [k, status] of Object.entries(changes)) {
      const [staffId, date] = k.split("|");
      const d = divOf.get(staffId)!;
      byDivision.set(d, [...(byDivision.get(d) ?? []), { staffId, date, status }]);
    }
    setSaving(true);
    try {
      for (const [d, entries] of byDivision) await api("POST", "/api/personnel/attendance", { divisionId: d, entries });
      message.success(`已保存 ${Object.keys(changes).length} 条考勤`);
      setChanges({});
      await q.refetch();
    } catch (err) {
      message.error(err instanceof Error ? err.message : "保存失败");
    } finally {
      setSaving(false);
    }
  }

  const countCols = COUNT_KEYS.map((k) => ({
    title: countLabel(k),
    key: k,
    align: "right" as const,
    width: 60,
    render: (_: unknown, r: { counts: AttendanceCounts }) => r.counts[k] || "",
  }));

  return (
    <div className="mb-page" style={{ maxWidth: "none" }}>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
          <DatePicker
            picker="month"
            value={month}
            onChange={(v) => v && (setMonth(v), setChanges({}))}
            allowClear={false}
          />
          {admin && (
            <Select
              style={{ width: 140 }}
              value={orgId}
              onChange={(v) => {
                setOrgId(v);
                setDivisionId(undefined);
                setChanges({});
              }}
              options={orgChoices.map((o) => ({ value: o.id, label: o.shortName }))}
            />
          )}
          {admin ? (
            <Select
              allowClear
              placeholder="全部处室"
              style={{ width: 160 }}
              value={divisionId}
              onChange={(v) => {
                setDivisionId(v);
                setChanges({});
              }}
              options={divisions.map((d) => ({ value: d.id, label: d.name }))}
            />
          ) : (
            <Tag>{divisionName(divisionId)}</Tag>
          )}
          <ExportButton
            path="/api/personnel/exports/attendance"
            query={{ year: y, month: m, orgId: divisionId ? undefined : orgId, divisionId }}
            fileName={`考勤${y}-${m}.xlsx`}
            testId="attendance-export"
          />
          {admin && (
            <XlsxImport<AttendanceImportResult>
              path="/api/personnel/imports/attendance"
              body={{ year: y, month: m }}
              label={`导入${m}月考勤 .xlsx`}
              testId="attendance-import"
              onDone={(r) => {
                void q.refetch();
                return `导入完成：${r.created + r.updated} 人的 ${r.days} 天考勤有变化，${r.unchanged} 人无变化`;
              }}
            />
          )}
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
        {q.isLoading ? (
          <Loading rows={8} />
        ) : q.isError ? (
          <ErrorState error={q.error} />
        ) : !q.data?.people.length ? (
          <EmptyState title="没有人员" />
        ) : (
          <Tabs
            items={[
              {
                key: "grid",
                label: "录入",
                children: (
                  <>
                    {!divisionId && (
                      <Alert
                        type="info"
                        showIcon
                        style={{ marginBottom: 8 }}
                        title="请先选择处室再录入；全单位视图请看“月度汇总”。"
                      />
                    )}
                    {divisionId && (
                      <>
                        <Space style={{ marginBottom: 8 }}>
                          <Button
                            type="primary"
                            icon={<SaveOutlined />}
                            disabled={!Object.keys(changes).length}
                            loading={saving}
                            onClick={() => void save()}
                          >
                            保存（{Object.keys(changes).length}）
                          </Button>
                          <span className="mb-muted" style={{ fontSize: 12 }}>
                            √出勤 事事假 病病假 年年假 差出差 训培训 缺缺勤；只列出截至今天的工作日
                          </span>
                        </Space>
                        <Table
                          size="small"
                          rowKey="staffId"
                          bordered
                          pagination={false}
                          dataSource={q.data.people}
                          columns={grid}
                          scroll={{ x: 72 + q.data.workingDays.length * 52 }}
                          data-testid="attendance-grid"
                        />
                      </>
                    )}
                  </>
                ),
              },
              {
                key: "summary",
                label: "月度汇总",
                children: (
                  <>
                    <Table
                      size="small"
                      rowKey="divisionId"
                      pagination={false}
                      bordered
                      title={() => `${y} 年 ${m} 月 按处室汇总（人天）`}
                      dataSource={q.data.divisions}
                      columns={[
                        { title: "处室", dataIndex: "divisionId", render: (v: string) => divisionName(v) },
                        { title: "人数", dataIndex: "people", align: "right" as const },
                        ...countCols,
                      ]}
                    />
                    <Table
                      size="small"
                      rowKey="staffId"
                      style={{ marginTop: 12 }}
                      bordered
                      pagination={{ pageSize: 50 }}
                      title={() => "按人员汇总（天）"}
                      dataSource={q.data.people}
                      columns={[
                        { title: "姓名", dataIndex: "name" },
                        { title: "处室", dataIndex: "divisionId", render: (v: string) => divisionName(v) },
                        ...countCols,
                      ]}
                    />
                  </>
                ),
              },
            ]}
          />
        )}
      </Card>
      <style>
        {Object.entries(COLOURS)
          .map(([k, c]) => `.att-${k}{color:${c}}`)
          .join("")}
      </style>
    </div>
  );
}
