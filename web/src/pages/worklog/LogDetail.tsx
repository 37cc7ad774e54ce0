import {
  DeleteOutlined,
  EditOutlined,
  HistoryOutlined,
  LikeFilled,
  LikeOutlined,
  PrinterOutlined,
} from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Avatar, Button, Card, Drawer, Input, List, Mentions, Modal, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import type { StaffListResult } from "@shared/contracts/personnel";
import type { CommentView, LogVersionView, LogView } from "@shared/contracts/worklog";
import { api, ApiError, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { LogMeta } from "../../components/LogCard";
import { ErrorState, Loading } from "../../components/States";
import { VersionTimeline } from "./Write";

/** Marks made on this device (the API does not yet say whether the reader marked a log). */
const USEFUL_KEY = "mingbai.useful";
const myMarks = (): string[] => JSON.parse(localStorage.getItem(USEFUL_KEY) ?? "[]") as string[];

export default function LogDetail() {
  const { id = "" } = useParams();
  const me = useUser();
  const nav = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { orgName, divisionName } = useLookup();
  const [historyOpen, setHistoryOpen] = useState(false);
  const [marked, setMarked] = useState(() => myMarks().includes(id));
  const log = useQuery({ queryKey: ["log", id], queryFn: () => get<LogView>(`/api/worklog/logs/${id}`) });
  const comments = useQuery({
    queryKey: ["comments", id],
    queryFn: () => get<CommentView[]>(`/api/worklog/logs/${id}/comments`),
    enabled: log.isSuccess,
  });
  const history = useQuery({
    queryKey: ["log-history", id],
    enabled: historyOpen,
    queryFn: () => get<{ current: LogView; versions: LogVersionView[] }>(`/api/worklog/logs/${id}/versions`),
  });

  if (log.isLoading)
    return (
      <div className="mb-page mb-narrow">
        <Loading rows={8} />
      </div>
    );
  if (log.isError || !log.data)
    return (
      <div className="mb-page">
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      </div>
    );
  const l = log.data;
  const mine = l.authorStaffId === me.staffId;

  async function toggleUseful() {
    try {
      const r = await api<{ useful: boolean; usefulCount: number }>("PUT", `/api/worklog/logs/${id}/useful`, {
        useful: !marked,
      });
      setMarked(r.useful);
      const set = new Set(myMarks());
      if (r.useful) set.add(id);
      else set.delete(id);
      localStorage.setItem(USEFUL_KEY, JSON.stringify([...set].slice(-500)));
      qc.setQueryData<LogView>(["log", id], (old) => (old ? { ...old, usefulCount: r.usefulCount } : old));
    } catch (err) {
      message.error(err instanceof Error ? err.message : "操作失败");
    }
  }

  function withdraw() {
    let reason = "";
    Modal.confirm({
      title: "撤回这篇日志？",
      content: <Input.TextArea placeholder="撤回原因（可选）" onChange={(e) => (reason = e.target.value)} />,
      okText: "撤回",
      okButtonProps: { danger: true },
      onOk: async () => {
        await api("POST", `/api/worklog/logs/${id}/withdraw`, reason ? { reason } : {});
        await qc.invalidateQueries({ queryKey: ["log", id] });
        void qc.invalidateQueries({ queryKey: ["feed"] });
        message.success("已撤回");
      },
    });
  }

  async function publishDraft() {
    await api("POST", `/api/worklog/logs/${id}/publish`);
    await qc.invalidateQueries({ queryKey: ["log", id] });
    message.success("已发布");
  }

  return (
    <div className="mb-page mb-narrow">
      <Card data-testid="log-detail">
        <div style={{ display: "flex", gap: 8, alignItems: "baseline", flexWrap: "wrap" }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {l.kind === "org" ? (
              <Link to={`/orgs/${l.orgId}`}>{orgName(l.orgId)}</Link>
            ) : (
              <Link to={`/people/${l.authorStaffId}`}>{l.authorName}</Link>
            )}
            <span style={{ fontWeight: 400, fontSize: 15, marginLeft: 8 }}>{l.date} 工作日志</span>
          </Typography.Title>
          {l.kind === "org" && <Tag color="blue">单位日志</Tag>}
          {l.status === "draft" && <Tag>草稿（仅自己可见）</Tag>}
          {l.status === "withdrawn" && <Tag color="red">已撤回</Tag>}
        </div>
        <div className="mb-muted" style={{ margin: "4px 0 12px", fontSize: 13 }}>
          {orgName(l.orgId)} · <Link to={`/divisions/${l.divisionId}`}>{divisionName(l.divisionId)}</Link>
          {l.kind === "org" && (
            <>
              {" "}
              · 撰写人 <Link to={`/people/${l.authorStaffId}`}>{l.authorName}</Link>
            </>
          )}
        </div>
        {l.status === "withdrawn" ? (
          <Typography.Paragraph type="secondary">
            该日志已于 {dayjs(l.withdrawnAt).format("YYYY-MM-DD HH:mm")} 撤回
            {l.withdrawReason ? `，原因：${l.withdrawReason}` : ""}。历史版本仍可在修改记录中查看。
          </Typography.Paragraph>
        ) : (
          <>
            <Typography.Paragraph className="mb-log-body" data-testid="log-done">
              <span className="mb-log-label">所干</span>
              {l.done}
            </Typography.Paragraph>
            {l.thoughts && (
              <Typography.Paragraph className="mb-log-body" type="secondary">
                <span className="mb-log-label">所想</span>
                {l.thoughts}
              </Typography.Paragraph>
            )}
          </>
        )}
        <Space wrap size={4} style={{ marginBottom: 8 }}>
          {l.tags.map((t) => (
            <Link key={t} to={`/worklog?tag=${encodeURIComponent(t)}`}>
              <Tag>{t}</Tag>
            </Link>
          ))}
        </Space>
        <div style={{ display: "flex", justifyContent: "space-between", flexWrap: "wrap", gap: 8 }}>
          <LogMeta log={l} />
          <Space wrap className="mb-no-print">
            {!mine && l.status === "published" && (
              <Button
                size="small"
                type={marked ? "primary" : "default"}
                icon={marked ? <LikeFilled /> : <LikeOutlined />}
                onClick={() => void toggleUseful()}
                data-testid="useful-btn"
              >
                {marked ? "已标记有用" : "有用"}
              </Button>
            )}
            {(l.edited || l.status === "withdrawn") && (
              <Button size="small" icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)}>
                修改记录
              </Button>
            )}
            {mine && l.status === "draft" && (
              <Button size="small" type="primary" onClick={() => void publishDraft()}>
                发布
              </Button>
            )}
            {mine && l.status !== "withdrawn" && (
              <Button size="small" icon={<EditOutlined />} onClick={() => nav(`/worklog/write?id=${id}`)}>
                编辑
              </Button>
            )}
            {mine && l.status === "published" && (
              <Button size="small" danger icon={<DeleteOutlined />} onClick={withdraw}>
                撤回
              </Button>
            )}
            <Button size="small" icon={<PrinterOutlined />} onClick={() => window.print()}>
              打印
            </Button>
          </Space>
        </div>
      </Card>
      {l.status === "published" && (
        <Card
          title={`评论（${comments.data?.length ?? l.commentCount}）`}
          size="small"
          style={{ marginTop: 12 }}
          data-testid="comments"
        >
          {comments.isLoading ? (
            <Loading rows={2} />
          ) : comments.isError ? (
            <ErrorState error={comments.error} />
          ) : (
            <List
              dataSource={comments.data}
              locale={{ emptyText: "还没有评论，说说你的看法或可借鉴之处" }}
              renderItem={(c) => (
                <List.Item data-testid="comment">
                  <List.Item.Meta
                    avatar={<Avatar style={{ background: "#1f4e8c" }}>{c.authorName.slice(-1)}</Avatar>}
                    title={
                      <>
                        <Link to={`/people/${c.authorStaffId}`}>{c.authorName}</Link>{" "}
                        <span className="mb-muted" style={{ fontWeight: 400, fontSize: 12 }}>
                          {dayjs(c.createdAt).format("MM-DD HH:mm")}
                        </span>
                      </>
                    }
                    description={<CommentBody c={c} />}
                  />
                </List.Item>
              )}
            />
          )}
          <CommentBox
            logId={id}
            onAdded={() => {
              void comments.refetch();
              void log.refetch();
            }}
          />
        </Card>
      )}
      <Drawer open={historyOpen} onClose={() => setHistoryOpen(false)} title="修改记录" size={480}>
        <VersionTimeline data={history.data} />
      </Drawer>
    </div>
  );
}

function CommentBody({ c }: { c: CommentView }) {
  const names = new Map(c.mentions.map((m) => [m.name, m.staffId]));
  const parts = c.body.split(/(@[\u4e00-\u9fff]{2,4})/g);
  return (
    <span className="mb-log-body" style={{ color: "#262626" }}>
      {parts.map((p, i) => {
        const id = p.startsWith("@") ? names.get(p.slice(1)) : undefined;
        return id ? (
          <Link key={i} to={`/people/${id}`} className="mb-mention">
            {p}
          </Link>
        ) : (
          <span key={i}>{p}</span>
        );
      })}
    </span>
  );
}

function CommentBox({ logId, onAdded }: { logId: string; onAdded: () => void }) {
  const { message } = App.useApp();
  const { orgName } = useLookup();
  const [body, setBody] = useState("");
  const [options, setOptions] = useState<{ value: string; label: string; key: string; staffId: string }[]>([]);
  const picked = useRef(new Map<string, string>());
  const [busy, setBusy] = useState(false);
  const seq = useRef(0);

  const [searching, setSearching] = useState(false);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** Looks people up by name or pinyin, once the user pauses typing. */
  function search(q: string) {
    const n = ++seq.current;
    if (debounce.current) clearTimeout(debounce.current);
    if (!q) {
      setOptions([]);
      return;
    }
    setSearching(true);
    debounce.current = setTimeout(async () => {
      try {
        const r = await get<StaffListResult>("/api/personnel/staff", { q, limit: 8, status: "active" });
        if (n !== seq.current) return;
        setOptions(
          r.rows.map((s) => ({ key: s.id, staffId: s.id, value: s.name, label: `${s.name}（${orgName(s.orgId)}）` })),
        );
      } catch {
        if (n === seq.current) setOptions([]);
      } finally {
        if (n === seq.current) setSearching(false);
      }
    }, 250);
  }

  async function send() {
    if (!body.trim()) return;
    setBusy(true);
    try {
      const mentionIds = [...picked.current.entries()]
        .filter(([name]) => body.includes(`@${name}`))
        .map(([, id]) => id);
      await api("POST", `/api/worklog/logs/${logId}/comments`, { body, ...(mentionIds.length ? { mentionIds } : {}) });
      setBody("");
      picked.current.clear();
      onAdded();
    } catch (err) {
      message.error(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : "评论失败");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mb-no-print" style={{ marginTop: 8 }}>
      <Mentions
        rows={3}
        value={body}
        onChange={setBody}
        onSearch={(q) => search(q)}
        onSelect={(o) => {
          // antd rewrites `key`; the staff id travels in its own field.
          const id = (o as { staffId?: string }).staffId;
          if (o.value && id) picked.current.set(String(o.value), id);
        }}
        options={options}
        filterOption={false}
        notFoundContent={searching ? "查找中…" : "没有匹配的人员"}
        placeholder="写评论，输入 @ 和姓名或拼音提到同事（Ctrl+Enter 发送）"
        maxLength={2000}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === "Enter") void send();
        }}
        data-testid="comment-input"
      />
      <div style={{ textAlign: "right", marginTop: 8 }}>
        <Button
          type="primary"
          onClick={() => void send()}
          loading={busy}
          disabled={!body.trim()}
          data-testid="comment-send"
        >
          发表评论
        </Button>
      </div>
    </div>
  );
}
