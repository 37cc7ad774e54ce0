import { HistoryOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Timeline,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { may } from "@shared/permissions";
import {
  BACKDATE_DAYS,
  MAX_CONTENT,
  type LogPolicy,
  type LogVersionView,
  type LogView,
} from "@shared/contracts/worklog";
import { api, ApiError, get } from "../../lib/api";
import { today, useUser } from "../../lib/hooks";
import { ErrorState, Loading } from "../../components/States";

interface Draft {
  date: string;
  kind: "personal" | "org";
  done: string;
  thoughts: string;
  tags: string[];
  savedAt: number;
}

const draftKey = (staffId: string) => `mingbai.draft.${staffId}`;

export default function Write() {
  const me = useUser();
  const [params] = useSearchParams();
  const editId = params.get("id");
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [fieldErr, setFieldErr] = useState<string | null>(null);
  const key = draftKey(me.staffId ?? "none");
  const minDate = today(-BACKDATE_DAYS);
  const maxDate = today();

  const policy = useQuery({
    queryKey: ["policy", me.orgId],
    queryFn: () => get<LogPolicy>(`/api/worklog/policies/${me.orgId}`),
  });
  const mayOrgLog = may(me, "worklog.writeOrgLog", {
    orgId: me.orgId,
    orgLogAuthors: policy.data?.orgLogAuthors ?? [],
  });
  const editing = useQuery({
    queryKey: ["log-history", editId],
    enabled: !!editId,
    queryFn: () => get<{ current: LogView; versions: LogVersionView[] }>(`/api/worklog/logs/${editId}/versions`),
  });

  const initial = useMemo<Partial<Draft>>(() => {
    if (editId) return {};
    try {
      const d = JSON.parse(localStorage.getItem(key) ?? "null") as Draft | null;
      if (d) return d;
    } catch {
      /* a broken draft is dropped */
    }
    return { date: maxDate, kind: "personal", done: "", thoughts: "", tags: [] };
  }, [editId, key, maxDate]);

  useEffect(() => {
    if (editing.data) {
      const c = editing.data.current;
      form.setFieldsValue({ date: dayjs(c.date), kind: c.kind, done: c.done, thoughts: c.thoughts, tags: c.tags });
    }
  }, [editing.data, form]);

  useEffect(() => {
    if (!editId && initial.savedAt) setSavedAt(initial.savedAt);
  }, [editId, initial.savedAt]);

  // The draft is remembered on this device as the user types (not when editing a published log).
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onValuesChange = useCallback(() => {
    if (editId) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const v = form.getFieldsValue() as {
        date?: Dayjs;
        kind: Draft["kind"];
        done?: string;
        thoughts?: string;
        tags?: string[];
      };
      const d: Draft = {
        date: v.date?.format("YYYY-MM-DD") ?? maxDate,
        kind: v.kind ?? "personal",
        done: v.done ?? "",
        thoughts: v.thoughts ?? "",
        tags: v.tags ?? [],
        savedAt: Date.now(),
      };
      if (d.done || d.thoughts || d.tags.length) {
        localStorage.setItem(key, JSON.stringify(d));
        setSavedAt(d.savedAt);
      } else localStorage.removeItem(key);
    }, 400);
  }, [editId, form, key, maxDate]);

  async function submit(publish: boolean) {
    setFieldErr(null);
    let v: { date: Dayjs; kind: Draft["kind"]; done: string; thoughts?: string; tags?: string[] };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const body = { date: v.date.format("YYYY-MM-DD"), done: v.done, thoughts: v.thoughts ?? "", tags: v.tags ?? [] };
      const log = editId
        ? await api<LogView>("PATCH", `/api/worklog/logs/${editId}`, body)
        : await api<LogView>("POST", "/api/worklog/logs", { ...body, kind: v.kind, publish });
      if (!editId) localStorage.removeItem(key);
      void qc.invalidateQueries({ queryKey: ["feed"] });
      void qc.invalidateQueries({ queryKey: ["log", log.id] });
      qc.removeQueries({ queryKey: ["log-history", log.id] });
      message.success(editId ? "已保存修改" : publish ? "日志已发布" : "已存为草稿（仅自己可见）");
      nav(`/worklog/logs/${log.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(
          err.fields
            .filter((f) => ["date", "done", "thoughts", "tags"].includes(f.field))
            .map((f) => ({ name: f.field, errors: [f.message] })),
        );
        setFieldErr(err.fields.map((f) => f.message).join("；"));
      } else setFieldErr(err instanceof Error ? err.message : "提交失败");
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(e: React.KeyboardEvent) {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      void submit(true);
    }
  }

  if (!me.staffId)
    return (
      <div className="mb-page">
        <Alert type="info" title="此账号未关联干部信息，不能写日志。" />
      </div>
    );
  if (editId && editing.isLoading)
    return (
      <div className="mb-page">
        <Loading />
      </div>
    );
  if (editId && editing.isError)
    return (
      <div className="mb-page">
        <ErrorState error={editing.error} />
      </div>
    );

  return (
    <div className="mb-page mb-narrow" onKeyDown={onKeyDown}>
      <Card
        title={editId ? "编辑日志" : "写日志"}
        extra={
          editId && (
            <Button icon={<HistoryOutlined />} onClick={() => setHistory(true)} data-testid="history-open">
              修改记录（{editing.data?.versions.length ?? 0}）
            </Button>
          )
        }
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ ...initial, date: dayjs(initial.date ?? maxDate) }}
          onValuesChange={onValuesChange}
        >
          <Space wrap size={16} align="start">
            <Form.Item
              name="date"
              label="日期"
              rules={[{ required: true, message: "请选择日期" }]}
              extra={`可补写最近 ${BACKDATE_DAYS} 天：${minDate} 至 ${maxDate}`}
            >
              <DatePicker
                allowClear={false}
                disabledDate={(d) => d.format("YYYY-MM-DD") < minDate || d.format("YYYY-MM-DD") > maxDate}
                data-testid="write-date"
              />
            </Form.Item>
            {!editId && mayOrgLog && (
              <Form.Item name="kind" label="类型">
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: "personal", label: "个人日志" },
                    { value: "org", label: "单位日志" },
                  ]}
                />
              </Form.Item>
            )}
          </Space>
          <Form.Item
            name="done"
            label="所干（今天做了什么）"
            rules={[{ required: true, whitespace: true, message: "请填写今天的工作" }, { max: MAX_CONTENT }]}
          >
            <Input.TextArea
              autoSize={{ minRows: 6, maxRows: 20 }}
              maxLength={MAX_CONTENT}
              showCount
              placeholder="例如：完成预算执行情况分析，核对国库集中支付数据……"
              data-testid="write-done"
            />
          </Form.Item>
          <Form.Item name="thoughts" label="所想（体会与思考，可选）" rules={[{ max: MAX_CONTENT }]}>
            <Input.TextArea
              autoSize={{ minRows: 3, maxRows: 12 }}
              maxLength={MAX_CONTENT}
              placeholder="经验、问题、改进的想法"
              data-testid="write-thoughts"
            />
          </Form.Item>
          <Form.Item
            name="tags"
            label="标签"
            extra="最多 10 个，每个不超过 20 字；输入后回车"
            rules={[{ type: "array", max: 10, message: "最多 10 个标签" }]}
          >
            <Select
              mode="tags"
              tokenSeparators={[",", "，", " "]}
              placeholder="如：预算、调研"
              open={false}
              data-testid="write-tags"
            />
          </Form.Item>
          <Form.Item label="关联计划任务" extra="计划模块上线后可在此关联年度任务。">
            <Select disabled placeholder="计划模块尚未上线" />
          </Form.Item>
          {fieldErr && (
            <Alert type="error" showIcon title={fieldErr} style={{ marginBottom: 12 }} data-testid="write-error" />
          )}
          <Space wrap>
            <Button type="primary" onClick={() => void submit(true)} loading={busy} data-testid="write-publish">
              {editId ? "保存修改" : "发布"}
            </Button>
            {!editId && (
              <Button onClick={() => void submit(false)} disabled={busy}>
                存为草稿
              </Button>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              Ctrl+Enter 发布{!editId && savedAt ? ` · 草稿已自动保存于 ${dayjs(savedAt).format("HH:mm:ss")}` : ""}
            </Typography.Text>
          </Space>
        </Form>
      </Card>
      <Drawer open={history} onClose={() => setHistory(false)} title="修改记录" size={480}>
        <VersionTimeline data={editing.data} />
      </Drawer>
    </div>
  );
}

export function VersionTimeline({ data }: { data?: { current: LogView; versions: LogVersionView[] } }) {
  if (!data) return <Loading />;
  if (!data.versions.length) return <Typography.Text type="secondary">这篇日志发布后没有修改过。</Typography.Text>;
  return (
    <Timeline
      items={[
        {
          color: "blue",
          content: (
            <>
              <b>当前版本（第 {data.current.version} 版）</b>
              <div className="mb-muted">
                {data.current.editedAt ? dayjs(data.current.editedAt).format("YYYY-MM-DD HH:mm") : ""}
              </div>
            </>
          ),
        },
        ...[...data.versions].reverse().map((v) => ({
          color: v.replacedBy === "withdraw" ? "red" : "gray",
          content: (
            <div>
              <b>第 {v.version} 版</b>{" "}
              <span className="mb-muted">
                （{v.date}，{dayjs(v.replacedAt).format("MM-DD HH:mm")} 被
                {v.replacedBy === "withdraw" ? "撤回" : "修改"}）
              </span>
              <div className="mb-log-body" style={{ fontSize: 13 }}>
                <span className="mb-log-label">所干</span>
                {v.done}
              </div>
              {v.thoughts && (
                <div className="mb-log-body mb-muted" style={{ fontSize: 13 }}>
                  <span className="mb-log-label">所想</span>
                  {v.thoughts}
                </div>
              )}
            </div>
          ),
        })),
      ]}
    />
  );
}
