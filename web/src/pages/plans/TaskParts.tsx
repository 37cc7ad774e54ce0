/** Small views of a task: its status, each participant's part, its history and its evidence logs. */
import { useQuery } from "@tanstack/react-query";
import { Drawer, List, Modal, Progress, Table, Tag, Tooltip } from "antd";
import dayjs from "dayjs";
import { Link } from "react-router";
import {
  PROGRESS_LABELS,
  type ProgressStatus,
  type TaskEvidence,
  type TaskPart,
  type TaskVersionView,
  type TaskView,
} from "@shared/contracts/plans";
import { get } from "../../lib/api";
import { useLookup } from "../../lib/hooks";
import { STATUS_COLOURS } from "../../lib/plans";
import { EmptyState, ErrorState, Loading } from "../../components/States";

export function StatusTag({ status, reason }: { status: ProgressStatus; reason?: string | null }) {
  const tag = (
    <Tag color={STATUS_COLOURS[status]} style={{ marginInlineEnd: 0 }}>
      {PROGRESS_LABELS[status]}
    </Tag>
  );
  return reason ? <Tooltip title={`延期原因：${reason}`}>{tag}</Tooltip> : tag;
}

export function PartProgress({ part }: { part: Pick<TaskPart, "status" | "progress" | "reason"> }) {
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: 6, minWidth: 150 }}>
      <StatusTag status={part.status} reason={part.reason} />
      <Progress
        percent={part.progress}
        size="small"
        style={{ width: 80, margin: 0 }}
        status={part.status === "delayed" ? "exception" : part.status === "done" ? "success" : "normal"}
      />
    </span>
  );
}

export const target = (t: TaskView["target"]): string =>
  t.value != null ? `${t.text}（${t.value}${t.unit ?? ""}）` : t.text;

/** Every participant's part of a shared task (the lead and HR see all of them). */
export function PartsTable({ task, onEvidence }: { task: TaskView; onEvidence: (t: TaskView) => void }) {
  const { orgName, divisionName } = useLookup();
  return (
    <Table<TaskPart>
      size="small"
      rowKey="divisionId"
      pagination={false}
      bordered
      dataSource={task.parts}
      data-testid="task-parts"
      columns={[
        {
          title: "处室",
          dataIndex: "divisionId",
          render: (d: string, p) => `${p.orgId !== task.leadOrgId ? orgName(p.orgId) + " " : ""}${divisionName(d)}`,
        },
        {
          title: "分工",
          dataIndex: "role",
          width: 70,
          render: (r: TaskPart["role"]) => (r === "lead" ? <Tag color="blue">牵头</Tag> : <Tag>配合</Tag>),
        },
        { title: "责任人", dataIndex: "responsibleName", width: 90, render: (v: string | null) => v ?? "—" },
        { title: "进展", key: "p", width: 190, render: (_: unknown, p) => <PartProgress part={p} /> },
        { title: "填报月份", dataIndex: "reportedMonth", width: 90, render: (v: string | null) => v ?? "未填报" },
        {
          title: "佐证日志",
          dataIndex: "evidenceCount",
          width: 80,
          align: "right",
          render: (n: number) => (n ? <a onClick={() => onEvidence(task)}>{n}</a> : 0),
        },
      ]}
    />
  );
}

/** The task's approved versions before the current one. */
export function HistoryModal({ task, onClose }: { task: TaskView | null; onClose: () => void }) {
  const q = useQuery({
    queryKey: ["task-history", task?.id, task?.version],
    enabled: !!task,
    queryFn: () => get<{ current: TaskView; versions: TaskVersionView[] }>(`/api/plans/tasks/${task!.id}/versions`),
  });
  const rows = q.data
    ? [
        { key: "current", version: q.data.current.version, s: q.data.current, at: q.data.current.updatedAt },
        ...[...q.data.versions]
          .sort((a, b) => b.version - a.version)
          .map((v) => ({ key: `v${v.version}`, version: v.version, s: v.snapshot, at: v.replacedAt })),
      ]
    : [];
  return (
    <Modal open={!!task} onCancel={onClose} footer={null} width={900} title={`任务历史：${task?.title ?? ""}`}>
      {q.isLoading ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : (
        <>
          {rows.length === 1 && (
            <div className="mb-muted" style={{ marginBottom: 8 }}>
              审核通过后的修改会在这里留下原版本；该任务尚无历史版本。
            </div>
          )}
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            bordered
            dataSource={rows}
            data-testid="task-history"
            scroll={{ x: 800 }}
            columns={[
              {
                title: "版本",
                dataIndex: "version",
                width: 70,
                render: (v: number, r) => (r.key === "current" ? <Tag color="blue">当前 v{v}</Tag> : `v${v}`),
              },
              { title: "任务名称", key: "t", render: (_: unknown, r) => r.s.title },
              { title: "目标", key: "g", render: (_: unknown, r) => target(r.s.target) },
              { title: "责任人", key: "p", width: 80, render: (_: unknown, r) => r.s.responsibleName },
              { title: "完成时限", key: "d", width: 100, render: (_: unknown, r) => r.s.dueDate },
              { title: "权重", key: "w", width: 60, render: (_: unknown, r) => r.s.weight },
              {
                title: "状态",
                key: "s",
                width: 80,
                render: (_: unknown, r) => (r.s.state === "approved" ? "已审核" : "草稿"),
              },
              {
                title: "时间",
                dataIndex: "at",
                width: 140,
                render: (v: string, r) =>
                  `${r.key === "current" ? "更新于" : "被替换于"} ${dayjs(v).format("MM-DD HH:mm")}`,
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}

/** Work logs linked to the task, newest first, optionally only one month's and one division's. */
export function EvidenceDrawer({
  task,
  month,
  divisionId,
  onClose,
}: {
  task: TaskView | null;
  /** "YYYY-MM" to show only that month's logs. */
  month?: string;
  divisionId?: string;
  onClose: () => void;
}) {
  const { divisionName } = useLookup();
  const q = useQuery({
    queryKey: ["task-evidence", task?.id],
    enabled: !!task,
    queryFn: () => get<TaskEvidence>(`/api/plans/tasks/${task!.id}/evidence`),
  });
  const logs = (q.data?.logs ?? []).filter(
    (l) => (!month || l.date.startsWith(month)) && (!divisionId || l.divisionId === divisionId),
  );
  return (
    <Drawer
      open={!!task}
      onClose={onClose}
      size={480}
      title={`佐证日志：${task?.title ?? ""}${month ? `（${month}）` : ""}`}
    >
      {q.isLoading ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : !logs.length ? (
        <EmptyState title="没有关联的工作日志">写日志时选择“关联任务”，日志即成为该任务的佐证。</EmptyState>
      ) : (
        <List
          size="small"
          dataSource={logs}
          data-testid="evidence-list"
          renderItem={(l) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/worklog/logs/${l.logId}`}>{l.title || "（无标题）"}</Link>}
                description={`${l.date} · ${l.authorName} · ${divisionName(l.divisionId)}`}
              />
            </List.Item>
          )}
        />
      )}
    </Drawer>
  );
}
