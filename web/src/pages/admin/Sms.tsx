/** The SMS log (短信记录): search by organisation, person, status, policy and day; each message with its history. */
import { useQuery } from "@tanstack/react-query";
import { Button, Card, DatePicker, Descriptions, Drawer, Select, Space, Table, Tag, Timeline } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { isCityWide } from "@shared/auth";
import {
  REMINDER_POLICIES,
  SMS_STATUSES,
  type SmsMessageView,
  type SmsSearchResult,
  type SmsStatus,
} from "@shared/contracts/reminders";
import { get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { POLICY_LABELS, SMS_STATUS_LABELS } from "../../lib/reminders";
import { EmptyState, ErrorState } from "../../components/States";
import { StaffSelect } from "../../components/StaffSelect";

const PAGE = 50;

function StatusTag({ status }: { status: SmsMessageView["history"][number]["status"] }) {
  const s = SMS_STATUS_LABELS[status];
  return <Tag color={s.color}>{s.label}</Tag>;
}

const time = (v: string) => dayjs(v).format("MM-DD HH:mm:ss");

function MessageDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { orgName } = useLookup();
  const q = useQuery({
    queryKey: ["sms", id],
    enabled: !!id,
    queryFn: () => get<SmsMessageView>(`/api/reminders/messages/${encodeURIComponent(id!)}`),
  });
  const m = q.data;
  return (
    <Drawer open={!!id} onClose={onClose} size={520} title="短信详情">
      {q.isError ? (
        <ErrorState error={q.error} />
      ) : !m ? null : (
        <div data-testid="sms-detail">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="收件人">
              <Link to={`/people/${m.recipientStaffId}`}>{m.recipientName}</Link>（{orgName(m.orgId)}）
            </Descriptions.Item>
            <Descriptions.Item label="手机号">{m.to ?? "—"}</Descriptions.Item>
            <Descriptions.Item label="提醒类型">{POLICY_LABELS[m.policy].title}</Descriptions.Item>
            <Descriptions.Item label="周期">{m.period}</Descriptions.Item>
            <Descriptions.Item label="内容">{m.body}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <StatusTag status={m.status} />
              {m.error && (
                <span style={{ color: "#cf1322" }}>
                  {m.error.code}：{m.error.message}
                </span>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="发送尝试">{m.attempts} 次</Descriptions.Item>
            <Descriptions.Item label="运营商">
              {m.provider ?? "—"} {m.providerId && <span className="mb-muted">{m.providerId}</span>}
            </Descriptions.Item>
            <Descriptions.Item label="编号">
              <span style={{ fontSize: 12, wordBreak: "break-all" }}>{m.id}</span>
            </Descriptions.Item>
          </Descriptions>
          <h4 style={{ marginTop: 16 }}>状态记录</h4>
          <Timeline
            data-testid="sms-history"
            items={m.history.map((h) => ({
              color: h.status === "failed" ? "red" : h.status === "delivered" ? "green" : "blue",
              content: (
                <div data-testid="sms-history-entry">
                  <StatusTag status={h.status} /> <span className="mb-muted">{time(h.at)}</span>
                  {h.detail && <div style={{ fontSize: 12 }}>{h.detail}</div>}
                </div>
              ),
            }))}
          />
        </div>
      )}
    </Drawer>
  );
}

export default function Sms() {
  const me = useUser();
  const { orgs, orgName } = useLookup();
  const [params, setParams] = useSearchParams();
  const f = Object.fromEntries(params.entries()) as Record<string, string | undefined>;
  const page = Number(f.page ?? 1);
  const [open, setOpen] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ["sms-log", f],
    queryFn: () =>
      get<SmsSearchResult>("/api/reminders/messages", {
        orgId: f.orgId,
        staffId: f.staffId,
        status: f.status,
        policy: f.policy,
        date: f.date,
        page,
        limit: PAGE,
      }),
    placeholderData: (p) => p,
  });
  const set = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    if (k !== "page") p.delete("page");
    setParams(p, { replace: true });
  };

  return (
    <div className="mb-page" data-testid="sms-page">
      <Card size="small" title="短信记录">
        <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
          {isCityWide(me) && (
            <Select
              allowClear
              placeholder="全部单位"
              style={{ width: 140 }}
              value={f.orgId}
              onChange={(v) => set("orgId", v)}
              showSearch={{ optionFilterProp: "label" }}
              options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
            />
          )}
          <StaffSelect
            orgId={isCityWide(me) ? f.orgId : me.orgId}
            value={f.staffId}
            onChange={(v) => set("staffId", typeof v === "string" ? v : undefined)}
            placeholder="收件人"
            style={{ width: 160 }}
          />
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 120 }}
            value={f.status}
            onChange={(v) => set("status", v)}
            options={SMS_STATUSES.map((s) => ({ value: s, label: SMS_STATUS_LABELS[s].label }))}
            data-testid="sms-status"
          />
          <Select
            allowClear
            placeholder="全部类型"
            style={{ width: 170 }}
            value={f.policy}
            onChange={(v) => set("policy", v)}
            options={REMINDER_POLICIES.map((p) => ({ value: p, label: POLICY_LABELS[p].title }))}
          />
          <DatePicker
            value={f.date ? dayjs(f.date) : null}
            onChange={(v) => set("date", v?.format("YYYY-MM-DD"))}
            placeholder="日期"
          />
          <Button onClick={() => setParams({}, { replace: true })}>重置</Button>
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
        {q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Table<SmsMessageView>
            size="small"
            rowKey="id"
            bordered
            loading={q.isFetching}
            dataSource={q.data?.items}
            scroll={{ x: 980 }}
            locale={{ emptyText: <EmptyState title="没有符合条件的短信">提醒发出后会在这里留下记录。</EmptyState> }}
            onRow={(m) => ({ onClick: () => setOpen(m.id), style: { cursor: "pointer" } })}
            data-testid="sms-table"
            pagination={{
              current: page,
              pageSize: PAGE,
              total: q.data?.total,
              showSizeChanger: false,
              onChange: (p) => set("page", String(p)),
              showTotal: (n) => `共 ${n} 条`,
            }}
            columns={[
              { title: "时间", dataIndex: "createdAt", width: 130, render: time },
              { title: "单位", dataIndex: "orgId", width: 90, render: (v: string) => orgName(v) },
              { title: "收件人", dataIndex: "recipientName", width: 80 },
              { title: "手机号", dataIndex: "to", width: 110, render: (v: string | null) => v ?? "—" },
              {
                title: "类型",
                dataIndex: "policy",
                width: 140,
                render: (p: SmsMessageView["policy"]) => POLICY_LABELS[p].title,
              },
              { title: "内容", dataIndex: "body", ellipsis: true },
              {
                title: "状态",
                dataIndex: "status",
                width: 90,
                render: (s: SmsStatus) => <StatusTag status={s} />,
              },
              { title: "尝试", dataIndex: "attempts", width: 56, align: "right" },
            ]}
          />
        )}
      </Card>
      <MessageDrawer id={open} onClose={() => setOpen(null)} />
    </div>
  );
}
