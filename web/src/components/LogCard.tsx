import { CommentOutlined, EyeOutlined, LikeOutlined } from "@ant-design/icons";
import { Card, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { Link } from "react-router";
import type { LogView } from "@shared/contracts/worklog";
import { useLookup } from "../lib/hooks";

export function LogMeta({ log }: { log: LogView }) {
  return (
    <Space size={14} className="mb-muted" style={{ fontSize: 12 }} wrap>
      <span title="阅读数">
        <EyeOutlined /> {log.readCount}
      </span>
      <span title="有用">
        <LikeOutlined /> {log.usefulCount}
      </span>
      <span title="评论">
        <CommentOutlined /> {log.commentCount}
      </span>
      {log.publishedAt && <span>{dayjs(log.publishedAt).format("MM-DD HH:mm")} 发布</span>}
      {log.edited && <Tag>已编辑</Tag>}
      {log.late && <Tag color="orange">补写</Tag>}
    </Space>
  );
}

export function LogCard({ log, highlight }: { log: LogView; highlight?: string }) {
  const { orgName, divisionName } = useLookup();
  return (
    <Card size="small" style={{ marginBottom: 10 }} data-testid="log-card" data-log-id={log.id}>
      <div style={{ display: "flex", gap: 8, alignItems: "baseline", flexWrap: "wrap", marginBottom: 4 }}>
        {log.kind === "org" ? (
          <Link to={`/orgs/${log.orgId}`}>
            <b>{orgName(log.orgId)}</b>
          </Link>
        ) : (
          <Link to={`/people/${log.authorStaffId}`}>
            <b>{log.authorName}</b>
          </Link>
        )}
        <span className="mb-muted" style={{ fontSize: 12 }}>
          {orgName(log.orgId)} ·{" "}
          <Link to={`/divisions/${log.divisionId}`} className="mb-muted">
            {divisionName(log.divisionId)}
          </Link>
        </span>
        {log.kind === "org" && <Tag color="blue">单位日志</Tag>}
        {log.status === "draft" && <Tag>草稿</Tag>}
        <span style={{ marginLeft: "auto" }} className="mb-muted">
          {log.date}
        </span>
      </div>
      <Link to={`/worklog/logs/${log.id}`} style={{ color: "inherit" }} data-testid="log-open">
        <Typography.Paragraph ellipsis={{ rows: 4 }} className="mb-log-body" style={{ marginBottom: 4 }}>
          <span className="mb-log-label">所干</span>
          <Mark text={log.done} q={highlight} />
        </Typography.Paragraph>
        {log.thoughts && (
          <Typography.Paragraph
            ellipsis={{ rows: 2 }}
            className="mb-log-body"
            type="secondary"
            style={{ marginBottom: 4 }}
          >
            <span className="mb-log-label">所想</span>
            <Mark text={log.thoughts} q={highlight} />
          </Typography.Paragraph>
        )}
      </Link>
      <div style={{ display: "flex", justifyContent: "space-between", flexWrap: "wrap", gap: 6 }}>
        <Space size={4} wrap>
          {log.tags.map((t) => (
            <Tag key={t}>{t}</Tag>
          ))}
        </Space>
        <LogMeta log={log} />
      </div>
    </Card>
  );
}

/** Highlights the keyword's words in a text. */
export function Mark({ text, q }: { text: string; q?: string }) {
  const words = (q ?? "")
    .split(/\s+/)
    .map((w) => w.replace(/^[-+]/, ""))
    .filter((w) => w.length > 0);
  if (!words.length) return <>{text}</>;
  const re = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "g");
  return <>{text.split(re).map((part, i) => (i % 2 ? <mark key={i}>{part}</mark> : part))}</>;
}
