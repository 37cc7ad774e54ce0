/** 流程设置: an administrator edits the steps of one flow per document kind of their organisation (data, no BPMN). */
import { useQuery } from "@tanstack/react-query";
import { App, Button, Card, Input, InputNumber, Select, Space, Switch, Table } from "antd";
import { useEffect, useState } from "react";
import { DOC_KIND_LABELS, DOC_KINDS, type DocKind, type Flow, type FlowStep } from "@shared/contracts/documents";
import { isCityWide } from "@shared/auth";
import { ApiError, api, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";

const ASSIGNEE_LABELS: Record<string, string> = {
  drafter: "拟稿人",
  "divisionHead:drafter": "本处室负责人",
  "divisionHead:countersign": "会签处室负责人",
  "divisionHead:handling": "承办处室负责人",
  "divisionHead:kind:office": "办公室负责人",
  "divisionHead:kind:leadership": "局领导",
};
const assigneeKey = (a: FlowStep["assignees"][number]) =>
  a.type === "divisionHead" ? `divisionHead:${a.division}` : a.type;
const fromKey = (k: string): FlowStep["assignees"][number] =>
  k === "drafter"
    ? { type: "drafter" }
    : { type: "divisionHead", division: k.slice("divisionHead:".length) as "drafter" };

export default function FlowSettings() {
  const me = useUser();
  const { orgs } = useLookup();
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState(me.orgId);
  const [kind, setKind] = useState<DocKind>("outgoing");
  const q = useQuery({
    queryKey: ["flow", orgId, kind],
    queryFn: () => get<Flow>(`/api/documents/flows/${orgId}/${kind}`),
  });
  const [flow, setFlow] = useState<Flow | null>(null);
  useEffect(() => setFlow(q.data ?? null), [q.data]);
  const setStep = (i: number, patch: Partial<FlowStep>) =>
    flow && setFlow({ ...flow, steps: flow.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  async function save() {
    if (!flow) return;
    try {
      await api("PUT", `/api/documents/flows/${orgId}/${kind}`, {
        steps: flow.steps,
        numberPrefix: flow.numberPrefix,
        dueWorkingDays: flow.dueWorkingDays,
      });
      message.success("流程已保存，新公文按新流程办理");
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : "保存失败");
    }
  }
  return (
    <div className="mb-page">
      <Card title="公文流程设置">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 200 }}
            value={orgId}
            onChange={setOrgId}
            options={orgs
              .filter((o) => isCityWide(me) || o.id === me.orgId)
              .map((o) => ({ value: o.id, label: o.name }))}
          />
          <Select
            style={{ width: 120 }}
            value={kind}
            onChange={setKind}
            options={DOC_KINDS.map((k) => ({ value: k, label: DOC_KIND_LABELS[k] }))}
          />
          {flow && (
            <>
              发文机关代字
              <Input
                style={{ width: 100 }}
                value={flow.numberPrefix}
                onChange={(e) => setFlow({ ...flow, numberPrefix: e.target.value })}
              />
              {(["平件", "加急", "特急"] as const).map((u) => (
                <span key={u}>
                  {u}
                  <InputNumber
                    min={1}
                    max={60}
                    style={{ width: 64, marginLeft: 4 }}
                    value={flow.dueWorkingDays[u]}
                    onChange={(v) => setFlow({ ...flow, dueWorkingDays: { ...flow.dueWorkingDays, [u]: v ?? 1 } })}
                  />
                  个工作日
                </span>
              ))}
            </>
          )}
        </Space>
        <Table<FlowStep>
          size="small"
          bordered
          pagination={false}
          rowKey="key"
          loading={q.isLoading}
          dataSource={flow?.steps}
          columns={[
            {
              title: "步骤",
              dataIndex: "name",
              render: (v: string, _s, i) => <Input value={v} onChange={(e) => setStep(i, { name: e.target.value })} />,
            },
            {
              title: "办理人",
              key: "assignees",
              render: (_, s, i) => (
                <Select
                  mode="multiple"
                  style={{ minWidth: 180 }}
                  value={s.assignees.map(assigneeKey)}
                  onChange={(keys: string[]) => setStep(i, { assignees: keys.map(fromKey) })}
                  options={Object.entries(ASSIGNEE_LABELS).map(([value, label]) => ({ value, label }))}
                />
              ),
            },
            {
              title: "方式",
              dataIndex: "mode",
              render: (v: FlowStep["mode"], _s, i) => (
                <Select
                  value={v}
                  onChange={(mode) => setStep(i, { mode })}
                  options={[
                    { value: "serial", label: "串行" },
                    { value: "parallel", label: "并行" },
                  ]}
                />
              ),
            },
            {
              title: "可退回",
              dataIndex: "mayReturn",
              render: (v: boolean, _s, i) => <Switch checked={v} onChange={(mayReturn) => setStep(i, { mayReturn })} />,
            },
            {
              title: "",
              key: "remove",
              render: (_, _s, i) =>
                flow &&
                flow.steps.length > 1 && (
                  <Button
                    size="small"
                    danger
                    onClick={() => setFlow({ ...flow, steps: flow.steps.filter((_x, j) => j !== i) })}
                  >
                    删除
                  </Button>
                ),
            },
          ]}
        />
        <Button type="primary" style={{ marginTop: 12 }} onClick={() => void save()}>
          保存
        </Button>
      </Card>
    </div>
  );
}
