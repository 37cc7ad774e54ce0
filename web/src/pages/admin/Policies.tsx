import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, InputNumber, Modal, Select, Switch, Table, TimePicker } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { may } from "@shared/permissions";
import type { LogPolicy, PersonalRule } from "@shared/contracts/worklog";
import { api, ApiError, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { PageError } from "../../components/States";

const RULES: Record<PersonalRule, string> = { daily: "每个工作日", weekly: "每周至少一篇", optional: "自愿" };

export default function Policies() {
  const me = useUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { orgName } = useLookup();
  const [edit, setEdit] = useState<LogPolicy | null>(null);
  const [form] = Form.useForm();
  const list = useQuery({ queryKey: ["policies"], queryFn: () => get<LogPolicy[]>("/api/worklog/policies") });

  async function save(v: {
    personal: PersonalRule;
    orgLogWeekly: boolean;
    deadline: dayjs.Dayjs;
    graceMinutes: number;
  }) {
    try {
      await api("PUT", `/api/worklog/policies/${edit!.orgId}`, {
        personal: v.personal,
        orgLogWeekly: v.orgLogWeekly,
        deadline: v.deadline.format("HH:mm"),
        graceMinutes: v.graceMinutes,
      });
      message.success("日志制度已保存");
      setEdit(null);
      void qc.invalidateQueries({ queryKey: ["policies"] });
    } catch (err) {
      message.error(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : "保存失败");
    }
  }

  if (list.isError) return <PageError error={list.error} />;
  return (
    <div className="mb-page">
      <Card size="small" title="日志制度" extra={<span className="mb-muted">逾期提醒设置将随提醒模块上线</span>}>
        <Table<LogPolicy>
          size="small"
          rowKey="orgId"
          loading={list.isLoading}
          dataSource={list.data}
          pagination={false}
          scroll={{ x: 700 }}
          columns={[
            { title: "单位", dataIndex: "orgId", render: (v: string) => orgName(v) },
            { title: "个人日志", dataIndex: "personal", render: (v: PersonalRule) => RULES[v] },
            { title: "单位日志每周", dataIndex: "orgLogWeekly", render: (v: boolean) => (v ? "是" : "否") },
            { title: "截止时间", dataIndex: "deadline" },
            { title: "宽限（分钟）", dataIndex: "graceMinutes", align: "right" },
            {
              title: "更新于",
              dataIndex: "updatedAt",
              render: (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : "默认"),
            },
            {
              title: "",
              key: "op",
              render: (_: unknown, p) =>
                may(me, "worklog.setPolicy", { orgId: p.orgId }) && (
                  <Button
                    size="small"
                    onClick={() => {
                      setEdit(p);
                      form.setFieldsValue({ ...p, deadline: dayjs(p.deadline, "HH:mm") });
                    }}
                  >
                    修改
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!edit}
        title={`日志制度：${orgName(edit?.orgId)}`}
        onCancel={() => setEdit(null)}
        onOk={() => form.submit()}
        okText="保存"
      >
        <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
          <Form.Item name="personal" label="个人日志要求">
            <Select options={Object.entries(RULES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="orgLogWeekly" label="每周须发布单位日志" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="deadline" label="当天截止时间">
            <TimePicker format="HH:mm" minuteStep={5} allowClear={false} />
          </Form.Item>
          <Form.Item name="graceMinutes" label="宽限时间（分钟）">
            <InputNumber min={0} max={1440} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
