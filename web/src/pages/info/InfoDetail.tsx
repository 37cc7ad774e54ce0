/** One report or publicity item: its content, its trail, and the steps the caller may take now. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Typography } from "antd";
import { useState } from "react";
import { Link, useParams } from "react-router";
import {
  INFO_ACTION_LABELS,
  INFO_LEVELS,
  INFO_LEVEL_LABELS,
  OUTLET_LEVEL_LABELS,
  PUBLICITY_ACTION_LABELS,
  type InfoReportView,
  type PublicityView,
} from "@shared/contracts/info";
import { api, ApiError, get } from "../../lib/api";
import { useLookup } from "../../lib/hooks";
import { commandId } from "../../lib/useCommand";
import { pageState } from "../../components/States";
import { ReportFields } from "./ReportFields";
import { InfoStatusTag, PublicityStatusTag, Trail } from "./Trail";

/** A step that needs a comment (return, reject, revoke) or a level (adopt). */
interface Step {
  action: string;
  label: string;
  comment: "required" | "optional" | "none";
  adopt?: boolean;
}

function StepModal({
  step,
  onClose,
  onRun,
}: {
  step: Step | null;
  onClose: () => void;
  onRun: (body: Record<string, string>) => Promise<void>;
}) {
  const [form] = Form.useForm<Record<string, string>>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={!!step}
      title={step?.label}
      onCancel={onClose}
      confirmLoading={busy}
      forceRender
      onOk={() =>
        void form.validateFields().then(async (v) => {
          setBusy(true);
          try {
            await onRun(Object.fromEntries(Object.entries(v).filter(([, x]) => x)));
            form.resetFields();
          } finally {
            setBusy(false);
          }
        })
      }
    >
      <Form form={form} layout="vertical" initialValues={{ level: "city" }}>
        {step?.adopt && (
          <>
            <Form.Item name="level" label="采用级别" rules={[{ required: true }]}>
              <Select options={INFO_LEVELS.map((l) => ({ value: l, label: INFO_LEVEL_LABELS[l] }))} />
            </Form.Item>
            <Form.Item
              name="usedIn"
              label="刊用于"
              rules={[{ required: true, whitespace: true, message: "请填写刊用的刊物或渠道" }]}
            >
              <Input placeholder="如：《河北财政信息》2026年第12期" maxLength={200} />
            </Form.Item>
          </>
        )}
        {step && step.comment !== "none" && (
          <Form.Item
            name="comment"
            label={step.comment === "required" ? "意见（必填）" : "意见"}
            rules={step.comment === "required" ? [{ required: true, whitespace: true, message: "请填写意见" }] : []}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function useStep<T>(key: unknown[], base: string) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [step, setStep] = useState<Step | null>(null);
  async function run(action: string, body: Record<string, string>, label: string) {
    try {
      const v = await api<T>("POST", `${base}/${action}`, { ...body, commandId: commandId() });
      qc.setQueryData(key, v);
      void qc.invalidateQueries({ queryKey: ["info-list"] });
      void qc.invalidateQueries({ queryKey: ["publicity-list"] });
      message.success(`已${label}`);
      setStep(null);
    } catch (err) {
      message.error(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : "操作失败");
      throw err;
    }
  }
  return { step, setStep, run };
}

/** The author changes a draft or a returned report (then submits it again). */
function EditReport({ report, onClose }: { report: InfoReportView | null; onClose: () => void }) {
  const [form] = Form.useForm<{ title: string; body: string; category: string | null }>();
  const qc = useQueryClient();
  const { message } = App.useApp();
  return (
    <Modal
      open={!!report}
      title="修改信息"
      width={720}
      forceRender
      onCancel={onClose}
      afterOpenChange={(o) => o && report && form.setFieldsValue(report)}
      onOk={() =>
        void form.validateFields().then(async (v) => {
          try {
            qc.setQueryData(
              ["info", report!.id],
              await api<InfoReportView>("PATCH", `/api/info/info/${report!.id}`, v),
            );
            message.success("已保存修改");
            onClose();
          } catch (err) {
            message.error(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : "保存失败");
          }
        })
      }
    >
      <Form form={form} layout="vertical">
        <ReportFields />
      </Form>
    </Modal>
  );
}

export function ReportDetail() {
  const { id = "" } = useParams();
  const { orgName, divisionName } = useLookup();
  const key = ["info", id];
  const q = useQuery({ queryKey: key, queryFn: () => get<InfoReportView>(`/api/info/info/${id}`) });
  const { step, setStep, run } = useStep<InfoReportView>(key, `/api/info/info/${id}`);
  const [editing, setEditing] = useState(false);
  const state = pageState(q, 8);
  if (state) return state;
  const r = q.data!;
  const STEPS: Record<string, Step> = {
    submit: { action: "submit", label: INFO_ACTION_LABELS.submit, comment: "none" },
    return: { action: "return", label: "退回修改", comment: "required" },
    forward: { action: "forward", label: INFO_ACTION_LABELS.forward, comment: "optional" },
    adopt: { action: "adopt", label: r.adoption ? "修改采用" : "采用", comment: "optional", adopt: true },
    revoke: { action: "revoke", label: INFO_ACTION_LABELS.revoke, comment: "required" },
  };
  return (
    <div className="mb-page mb-narrow" data-testid="report-detail">
      <Card
        size="small"
        title={<Link to="/info">信息报送</Link>}
        extra={
          <Space className="mb-no-print">
            {r.allowed
              .filter((a) => STEPS[a])
              .map((a) => (
                <Button
                  key={a}
                  type={a === "adopt" || a === "submit" ? "primary" : "default"}
                  danger={a === "return" || a === "revoke"}
                  onClick={() =>
                    STEPS[a].comment === "none" && !STEPS[a].adopt
                      ? void run(a, {}, STEPS[a].label).catch(() => undefined)
                      : setStep(STEPS[a])
                  }
                  data-testid={`info-${a}`}
                >
                  {STEPS[a].label}
                </Button>
              ))}
            {r.allowed.includes("edit") && (
              <Button onClick={() => setEditing(true)} data-testid="info-edit">
                修改
              </Button>
            )}
            <Button onClick={() => window.print()}>打印</Button>
          </Space>
        }
      >
        <Typography.Title level={4}>{r.title}</Typography.Title>
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
          <Descriptions.Item label="作者">{r.authorName}</Descriptions.Item>
          <Descriptions.Item label="单位">
            {orgName(r.orgId)} {divisionName(r.divisionId)}
          </Descriptions.Item>
          <Descriptions.Item label="类别">{r.category ?? "—"}</Descriptions.Item>
          <Descriptions.Item label="状态" span={3}>
            <InfoStatusTag r={r} />
            {r.adoption && `刊用于 ${r.adoption.usedIn}（${r.adoption.adoptedByName}）`}
          </Descriptions.Item>
          {r.lastComment && r.status === "returned" && (
            <Descriptions.Item label="退回意见" span={3}>
              <span style={{ color: "#d46b08" }}>{r.lastComment}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <div className="mb-log-body">{r.body}</div>
        <h4 style={{ marginTop: 16 }}>流转记录</h4>
        <Trail trail={r.trail} kind="info" />
      </Card>
      <EditReport report={editing ? r : null} onClose={() => setEditing(false)} />
      <StepModal step={step} onClose={() => setStep(null)} onRun={(b) => run(step!.action, b, step!.label)} />
    </div>
  );
}

export function PublicityDetail() {
  const { id = "" } = useParams();
  const { orgName, divisionName } = useLookup();
  const key = ["publicity", id];
  const q = useQuery({ queryKey: key, queryFn: () => get<PublicityView>(`/api/info/publicity/${id}`) });
  const { step, setStep, run } = useStep<PublicityView>(key, `/api/info/publicity/${id}`);
  const state = pageState(q);
  if (state) return state;
  const p = q.data!;
  const STEPS: Record<string, Step> = {
    verify: { action: "verify", label: PUBLICITY_ACTION_LABELS.verify, comment: "none" },
    reject: { action: "reject", label: PUBLICITY_ACTION_LABELS.reject, comment: "required" },
    revoke: { action: "revoke", label: PUBLICITY_ACTION_LABELS.revoke, comment: "required" },
  };
  return (
    <div className="mb-page mb-narrow" data-testid="publicity-detail">
      <Card
        size="small"
        title={<Link to="/info?kind=publicity">宣传</Link>}
        extra={
          <Space className="mb-no-print">
            {p.allowed
              .filter((a) => STEPS[a])
              .map((a) => (
                <Button
                  key={a}
                  type={a === "verify" ? "primary" : "default"}
                  danger={a !== "verify"}
                  onClick={() =>
                    STEPS[a].comment === "none"
                      ? void run(a, {}, STEPS[a].label).catch(() => undefined)
                      : setStep(STEPS[a])
                  }
                  data-testid={`publicity-${a}`}
                >
                  {STEPS[a].label}
                </Button>
              ))}
          </Space>
        }
      >
        <Typography.Title level={4}>{p.title}</Typography.Title>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="媒体">
            {p.outlet}（{OUTLET_LEVEL_LABELS[p.outletLevel]}）
          </Descriptions.Item>
          <Descriptions.Item label="刊发日期">{p.publishedOn}</Descriptions.Item>
          <Descriptions.Item label="作者">
            {p.authorName}（{orgName(p.orgId)} {divisionName(p.divisionId)}）
          </Descriptions.Item>
          <Descriptions.Item label="登记人">{p.recordedByName}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <PublicityStatusTag status={p.status} />
            {p.points != null && `${p.points} 分`}
            {p.verifiedByName && `（${p.verifiedByName} 核实）`}
          </Descriptions.Item>
          <Descriptions.Item label="链接">
            {p.url ? (
              <a href={p.url} target="_blank" rel="noreferrer">
                {p.url}
              </a>
            ) : (
              "—"
            )}
          </Descriptions.Item>
          {p.summary && (
            <Descriptions.Item label="摘要" span={2}>
              {p.summary}
            </Descriptions.Item>
          )}
          {p.lastComment && p.status === "rejected" && (
            <Descriptions.Item label="退回意见" span={2}>
              <span style={{ color: "#d46b08" }}>{p.lastComment}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <h4 style={{ marginTop: 16 }}>流转记录</h4>
        <Trail trail={p.trail} kind="publicity" />
      </Card>
      <StepModal step={step} onClose={() => setStep(null)} onRun={(b) => run(step!.action, b, step!.label)} />
    </div>
  );
}
