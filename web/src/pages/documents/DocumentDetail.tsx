/** One document: its fields, the caller's step actions with an opinion (a phone's width too), the timeline, 分发 and 归档. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Descriptions, Input, Select, Space, Tag, Timeline, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { DOC_KIND_LABELS, type DocumentView } from "@shared/contracts/documents";
import { ApiError, api, get } from "../../lib/api";
import { EVENT_LABELS, STAGE_LABELS, isDocOffice, myOpenTask } from "../../lib/documents";
import { useLookup, useUser } from "../../lib/hooks";
import { pageState } from "../../components/States";

const time = (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : "—");

function StepActions({ doc, onDone }: { doc: DocumentView; onDone: (d: DocumentView) => void }) {
  const me = useUser();
  const { orgs } = useLookup();
  const { message } = App.useApp();
  const [opinion, setOpinion] = useState("");
  const [toStep, setToStep] = useState<number>(0);
  const [handling, setHandling] = useState<string[]>([]);
  const [due, setDue] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const task = myOpenTask(doc, me.staffId);
  const withdrawable =
    ["flow", "signed"].includes(doc.stage) && doc.tasks.some((t) => t.status === "done" && t.assigneeId === me.staffId);
  async function send(path: string, body: object, done: string) {
    setBusy(true);
    try {
      onDone(await api<DocumentView>("POST", `/api/documents/items/${doc.id}/${path}`, body));
      setOpinion("");
      message.success(done);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : "操作失败");
    } finally {
      setBusy(false);
    }
  }
  if (!task && !withdrawable) return null;
  const step = doc.steps[doc.step];
  const first = doc.step === 0 && doc.stage === "draft";
  const divisions = orgs.find((o) => o.id === doc.orgId)?.divisions ?? [];
  return (
    <Card title={task ? `办理：${step.name}` : "撤回"} className="mb-no-print" data-testid="step-actions">
      {task && (
        <Space direction="vertical" style={{ width: "100%" }}>
          {task.coversFor && <Tag color="purple">代{task.coversFor.name}办理</Tag>}
          {!first && (
            <Input.TextArea
              rows={3}
              value={opinion}
              onChange={(e) => setOpinion(e.target.value)}
              placeholder={
                step.action === "handle" ? "办理结果" : step.action === "propose" ? "拟办意见" : "意见（默认“同意”）"
              }
              data-testid="opinion"
            />
          )}
          {step.action === "assign" && (
            <Space wrap>
              <Select
                mode="multiple"
                style={{ minWidth: 220 }}
                placeholder="承办处室"
                value={handling}
                onChange={setHandling}
                options={divisions.map((d) => ({ value: d.id, label: d.name }))}
                data-testid="handling"
              />
              <DatePicker
                placeholder="期限（默认按紧急程度）"
                onChange={(d) => setDue(d ? d.format("YYYY-MM-DD") : undefined)}
              />
            </Space>
          )}
          <Space wrap>
            <Button
              type="primary"
              size="large"
              loading={busy}
              data-testid="act"
              onClick={() =>
                void send(
                  "act",
                  {
                    ...(opinion && { opinion }),
                    ...(step.action === "assign" && { handlingDivisionIds: handling, ...(due && { dueDate: due }) }),
                  },
                  "已办理",
                )
              }
            >
              {first
                ? "送出"
                : { approve: "同意", sign: "签发", receive: "签收", propose: "拟办", assign: "批办", handle: "办结" }[
                    step.action
                  ]}
            </Button>
            {step.mayReturn && doc.step > 0 && (
              <Space.Compact>
                <Select
                  style={{ width: 120 }}
                  value={toStep}
                  onChange={setToStep}
                  options={doc.steps.slice(0, doc.step).map((s, i) => ({ value: i, label: `退回${s.name}` }))}
                />
                <Button
                  danger
                  size="large"
                  loading={busy}
                  data-testid="return"
                  onClick={() => void send("return", { toStep, reason: opinion || "请修改" }, "已退回")}
                >
                  退回
                </Button>
              </Space.Compact>
            )}
          </Space>
        </Space>
      )}
      {withdrawable && !task && (
        <Button loading={busy} onClick={() => void send("withdraw", {}, "已撤回")}>
          撤回（下一步办理人处理前）
        </Button>
      )}
    </Card>
  );
}

function IssueForm({ doc, onDone }: { doc: DocumentView; onDone: (d: DocumentView) => void }) {
  const { orgs } = useLookup();
  const { message } = App.useApp();
  const [ids, setIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  async function issue() {
    setBusy(true);
    try {
      onDone(
        await api<DocumentView>("POST", `/api/documents/items/${doc.id}/issue`, {
          recipients: ids.map((id) => ({ type: "org", id })),
        }),
      );
      message.success("已编号分发");
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : "分发失败");
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="编号分发" className="mb-no-print">
      <Space wrap>
        <Select
          mode="multiple"
          style={{ minWidth: 280 }}
          placeholder="分发单位"
          value={ids}
          onChange={setIds}
          options={orgs.filter((o) => o.id !== doc.orgId).map((o) => ({ value: o.id, label: o.name }))}
          data-testid="recipients"
        />
        <Button onClick={() => setIds(orgs.filter((o) => o.id !== doc.orgId).map((o) => o.id))}>全部县区</Button>
        <Button type="primary" loading={busy} disabled={!ids.length} onClick={() => void issue()} data-testid="issue">
          编号并分发
        </Button>
      </Space>
    </Card>
  );
}

/** /documents/items/:id */
export default function DocumentDetail() {
  const { id = "" } = useParams();
  const me = useUser();
  const lookup = useLookup();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["document", id], queryFn: () => get<DocumentView>(`/api/documents/items/${id}`) });
  const state = pageState(q);
  if (state) return state;
  const doc = q.data!;
  const update = (d: DocumentView) => {
    qc.setQueryData(["document", id], d);
    void qc.invalidateQueries({ queryKey: ["documents"] });
  };
  const office = isDocOffice(me, lookup, doc.orgId);
  return (
    <div className="mb-page">
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Card
          title={
            <Space wrap>
              <Tag>{DOC_KIND_LABELS[doc.kind]}</Tag>
              <span data-testid="doc-heading">{doc.title}</span>
            </Space>
          }
          extra={
            doc.number && (
              <Link to={`/documents/items/${doc.id}/print`} className="mb-no-print">
                打印
              </Link>
            )
          }
        >
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="状态">
              <span data-testid="doc-stage">
                {doc.stage === "flow" ? doc.steps[doc.step]?.name : STAGE_LABELS[doc.stage]}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="文号">{doc.number ?? "—"}</Descriptions.Item>
            <Descriptions.Item label="文种">{doc.docType}</Descriptions.Item>
            <Descriptions.Item label="紧急程度">{doc.urgency}</Descriptions.Item>
            <Descriptions.Item label="密级">{doc.secrecy}</Descriptions.Item>
            <Descriptions.Item label={doc.kind === "incoming" ? "来文单位" : "拟稿"}>
              {doc.kind === "incoming"
                ? doc.senderName
                : `${doc.drafterName}（${lookup.divisionName(doc.divisionId)}）`}
            </Descriptions.Item>
            {doc.mainTo && <Descriptions.Item label="主送">{doc.mainTo}</Descriptions.Item>}
            {doc.result && <Descriptions.Item label="办理结果">{doc.result}</Descriptions.Item>}
          </Descriptions>
          <div className="mb-doc-body" dangerouslySetInnerHTML={{ __html: doc.body }} />
          {doc.attachments.length > 0 && (
            <div>
              附件：
              {doc.attachments.map((a) => (
                <a key={a.id} href={`/api/files/documents/${a.id}`} style={{ marginRight: 12 }}>
                  {a.name}
                </a>
              ))}
            </div>
          )}
        </Card>
        <StepActions doc={doc} onDone={update} />
        {doc.stage === "signed" && office && <IssueForm doc={doc} onDone={update} />}
        {["issued", "done"].includes(doc.stage) && office && (
          <Button
            className="mb-no-print"
            onClick={() => void api<DocumentView>("POST", `/api/documents/items/${doc.id}/archive`).then(update)}
          >
            归档
          </Button>
        )}
        {doc.distribution.length > 0 && (
          <Card title="分发与签收">
            {doc.distribution.map((r) => (
              <div key={`${r.type}:${r.id}`} data-testid="distribution-row">
                {r.name}：{r.receivedAt ? `${time(r.receivedAt)} ${r.receivedBy ?? ""} 签收` : "未签收"}
                {r.result && `；办理结果：${r.result}`}
              </div>
            ))}
          </Card>
        )}
        <Card title="流程跟踪">
          <Timeline
            items={doc.timeline.map((e) => ({
              color: e.event === "return" ? "red" : e.event === "delegate" ? "purple" : "blue",
              children: (
                <div>
                  <Typography.Text strong>
                    {e.step ? `${e.step} · ` : ""}
                    {EVENT_LABELS[e.event] ?? e.event}
                  </Typography.Text>{" "}
                  {e.name} <span className="mb-muted">{time(e.at)}</span>
                  {e.opinion && <div>意见：{e.opinion}</div>}
                  {e.detail && <div className="mb-muted">{e.detail}</div>}
                </div>
              ),
            }))}
          />
        </Card>
      </Space>
    </div>
  );
}
