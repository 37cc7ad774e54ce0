/** Reminder settings per organisation (policies, times, zh-CN templates) and the daily SMS summary. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Switch,
  Table,
  Tabs,
  Tag,
  TimePicker,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { isCityWide } from "@shared/auth";
import { holds } from "@shared/permissions";
import {
  REMINDER_POLICIES,
  type DailySummaryRow,
  type OrgReminderSettingsView,
  type OrgReminderSettingsInput,
  type ReminderPolicy,
} from "@shared/contracts/reminders";
import { api, get } from "../../lib/api";
import { today, useLookup, useUser } from "../../lib/hooks";
import { showSaveError } from "../../lib/plans";
import { POLICY_LABELS, TEMPLATE_VARS, preview } from "../../lib/reminders";
import { ErrorState, Loading } from "../../components/States";
import { StaffSelect } from "../../components/StaffSelect";

type PolicyValues = {
  enabled: boolean;
  essential: boolean;
  time: dayjs.Dayjs;
  template: string;
  afterMissed?: number;
  weekday?: number;
  adminStaffIds?: string[];
};
type Values = Record<ReminderPolicy, PolicyValues>;

const WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

function OrgSelect({
  value,
  onChange,
  allowAll,
}: {
  value?: string;
  onChange: (v?: string) => void;
  allowAll?: boolean;
}) {
  const me = useUser();
  const { orgs, orgName } = useLookup();
  if (!isCityWide(me)) return <Tag>{orgName(me.orgId)}</Tag>;
  return (
    <Select
      style={{ width: 150 }}
      allowClear={allowAll}
      placeholder="全部单位"
      value={value}
      onChange={onChange}
      showSearch={{ optionFilterProp: "label" }}
      options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
      data-testid="org-select"
    />
  );
}

function Settings({ orgId }: { orgId: string }) {
  const me = useUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const mayEdit = holds(me, "reminders.configure");
  const q = useQuery({
    queryKey: ["reminder-settings", orgId],
    queryFn: () => get<OrgReminderSettingsView>(`/api/reminders/settings/${orgId}`),
  });
  useEffect(() => {
    if (!q.data) return;
    form.setFieldsValue(
      Object.fromEntries(
        REMINDER_POLICIES.map((p) => [p, { ...q.data[p], time: dayjs(q.data[p].time, "HH:mm") }]),
      ) as unknown as Values,
    );
  }, [q.data, form]);

  async function save(v: Values) {
    const body: OrgReminderSettingsInput = Object.fromEntries(
      REMINDER_POLICIES.map((p) => [p, { ...v[p], time: v[p].time.format("HH:mm") }]),
    );
    setSaving(true);
    try {
      const saved = await api<OrgReminderSettingsView>("PUT", `/api/reminders/settings/${orgId}`, body);
      qc.setQueryData(["reminder-settings", orgId], saved);
      message.success("提醒设置已保存");
    } catch (err) {
      showSaveError(err, form, message.error, "保存失败");
    } finally {
      setSaving(false);
    }
  }

  if (q.isLoading) return <Loading rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const quiet = q.data!.quietHours;
  return (
    <Form
      form={form}
      layout="vertical"
      disabled={!mayEdit}
      onFinish={(v) => void save(v)}
      data-testid="reminder-settings"
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={`提醒只在工作日、免打扰时段以外发送。免打扰时段由系统统一配置：${quiet.start} 至${quiet.start > quiet.end ? "次日 " : " "}${quiet.end}。`}
        description={
          <>
            模板可用占位符：
            {Object.entries(TEMPLATE_VARS).map(([k, v]) => (
              <Typography.Text key={k} code title={v.label}>
                {`{${k}}`}
                {v.label}
              </Typography.Text>
            ))}
            。选择“不受退订影响”的提醒，也会发给已退订非必要提醒的人。
          </>
        }
      />
      <Row gutter={[12, 12]}>
        {REMINDER_POLICIES.map((p) => (
          <Col xs={24} xl={12} key={p}>
            <Card
              size="small"
              title={POLICY_LABELS[p].title}
              extra={
                <Form.Item name={[p, "enabled"]} valuePropName="checked" noStyle>
                  <Switch checkedChildren="开" unCheckedChildren="关" data-testid={`policy-${p}-enabled`} />
                </Form.Item>
              }
            >
              <div className="mb-muted" style={{ marginBottom: 8, fontSize: 12 }}>
                {POLICY_LABELS[p].desc}
              </div>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item
                    name={[p, "time"]}
                    label="最早发送时间"
                    rules={[{ required: true, message: "请选择时间" }]}
                  >
                    <TimePicker format="HH:mm" minuteStep={5} allowClear={false} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name={[p, "essential"]} label="不受退订影响" valuePropName="checked">
                    <Switch />
                  </Form.Item>
                </Col>
                {p === "escalation" && (
                  <Col span={8}>
                    <Form.Item name={[p, "afterMissed"]} label="连续未写几次后告知">
                      <InputNumber min={1} max={60} precision={0} />
                    </Form.Item>
                  </Col>
                )}
                {p === "orgWeekly" && (
                  <Col span={8}>
                    <Form.Item name={[p, "weekday"]} label="每周从哪天起提醒">
                      <Select options={WEEKDAYS.map((label, i) => ({ value: i + 1, label }))} />
                    </Form.Item>
                  </Col>
                )}
              </Row>
              {p === "orgWeekly" && (
                <Form.Item name={[p, "adminStaffIds"]} label="同时提醒的单位管理员">
                  <StaffSelect orgId={orgId} multiple />
                </Form.Item>
              )}
              <Form.Item
                name={[p, "template"]}
                label="短信模板"
                rules={[{ required: true, max: 300, message: "模板不能为空，且不超过 300 字" }]}
              >
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={300} showCount />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a[p]?.template !== b[p]?.template}>
                {({ getFieldValue }) => (
                  <div style={{ fontSize: 12 }} className="mb-muted">
                    预览：{preview(getFieldValue([p, "template"]) ?? "")}
                  </div>
                )}
              </Form.Item>
            </Card>
          </Col>
        ))}
      </Row>
      <div style={{ marginTop: 12, display: "flex", gap: 12, alignItems: "center" }}>
        {mayEdit && (
          <Button type="primary" htmlType="submit" loading={saving} data-testid="reminder-settings-save">
            保存
          </Button>
        )}
        <span className="mb-muted">
          {q.data?.updatedAt
            ? `最近修改：${dayjs(q.data.updatedAt).format("YYYY-MM-DD HH:mm")}`
            : "尚未修改，使用默认设置"}
        </span>
      </div>
    </Form>
  );
}

function Daily({ orgId }: { orgId?: string }) {
  const { orgName } = useLookup();
  const [date, setDate] = useState(dayjs(today()));
  const d = date.format("YYYY-MM-DD");
  const q = useQuery({
    queryKey: ["sms-summary", d, orgId ?? "all"],
    queryFn: () => get<DailySummaryRow[]>("/api/reminders/summary", { date: d, orgId }),
  });
  const rows = q.data ?? [];
  const sum = (k: "sent" | "delivered" | "failed" | "skipped") => rows.reduce((n, r) => n + r[k], 0);
  return (
    <>
      <div className="mb-no-print" style={{ marginBottom: 12, display: "flex", gap: 8 }}>
        <DatePicker value={date} onChange={(v) => v && setDate(v)} allowClear={false} />
        <Button onClick={() => window.print()}>打印</Button>
      </div>
      {q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<DailySummaryRow>
          size="small"
          bordered
          rowKey="orgId"
          loading={q.isLoading}
          pagination={false}
          dataSource={rows}
          title={() => `${d} 短信提醒日汇总`}
          data-testid="sms-daily"
          summary={() =>
            rows.length > 1 ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                {(["sent", "delivered", "failed", "skipped"] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 1} align="right">
                    {sum(k)}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            ) : undefined
          }
          columns={[
            { title: "单位", dataIndex: "orgId", render: (v: string) => orgName(v) },
            { title: "已发送", dataIndex: "sent", align: "right" },
            { title: "已送达", dataIndex: "delivered", align: "right" },
            {
              title: "失败",
              dataIndex: "failed",
              align: "right",
              render: (n: number, r) =>
                n ? (
                  <Link to={`/admin/sms?orgId=${r.orgId}&date=${d}&status=failed`} style={{ color: "#cf1322" }}>
                    {n}
                  </Link>
                ) : (
                  0
                ),
            },
            { title: "未发送（退订等）", dataIndex: "skipped", align: "right" },
          ]}
        />
      )}
    </>
  );
}

export default function ReminderSettings() {
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const [orgId, setOrgId] = useState<string | undefined>(me.orgId);
  const tab = params.get("tab") ?? "settings";
  return (
    <div className="mb-page">
      <Card
        size="small"
        title="提醒设置"
        extra={<OrgSelect value={orgId} onChange={setOrgId} allowAll={tab === "daily"} />}
      >
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={[
            {
              key: "settings",
              label: "提醒策略与模板",
              children: <Settings orgId={orgId ?? me.orgId} />,
            },
            { key: "daily", label: "每日发送汇总", children: <Daily orgId={orgId} /> },
          ]}
        />
      </Card>
    </div>
  );
}
