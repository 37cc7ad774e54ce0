/** HR's bureau-wide completion matrix: divisions × tasks, each cell the division's part and its status. */
import { useQuery } from "@tanstack/react-query";
import { App, Button, Card, Segmented, Select, Space, Spin, Statistic, Table, Tag, Tooltip } from "antd";
import type { ColumnType } from "antd/es/table";
import { useMemo, useState } from "react";
import { isCityWide } from "@shared/auth";
import {
  PROGRESS_LABELS,
  PROGRESS_STATUSES,
  type CompletionMatrix,
  type MatrixCell,
  type MatrixRow,
  type ProgressStatus,
} from "@shared/contracts/plans";
import { get } from "../../lib/api";
import { openPrintView } from "../../lib/assessment";
import { ExportButton } from "../../components/ExportButton";
import { DENSE_TABLE } from "../../components/ListTable";
import { useLookup, useUser } from "../../lib/hooks";
import { EmptyState, ErrorState } from "../../components/States";
import { StatusTag } from "./TaskParts";

const pct = (v: number | null, scale = 1) => (v == null ? "—" : `${Math.round(v * scale * 10) / 10}%`);

type Task = CompletionMatrix["tasks"][number];

/** The matrix's two views (by division, by task) share one frame: dense, unpaginated, the header kept in view. */
const FRAME = { ...DENSE_TABLE, sticky: true } as const;

/** A division's count of task parts, right-aligned; `alarm` shows a non-zero count in red. */
const countColumn = (
  title: string,
  dataIndex: "parts" | "done" | "inProgress" | "delayed" | "notStarted" | "late",
  alarm = false,
): ColumnType<MatrixRow> => ({
  title,
  dataIndex,
  width: 50,
  align: "right",
  ...(alarm && { render: (n: number) => (n ? <span style={{ color: "#cf1322" }}>{n}</span> : 0) }),
});

/** A division's rate, right-aligned and sortable (a division without one sorts first). */
const rateColumn = (
  title: string,
  dataIndex: "doneRate" | "weightedProgress",
  width: number,
  scale?: number,
): ColumnType<MatrixRow> => ({
  title,
  dataIndex,
  width,
  align: "right",
  sorter: (a, b) => (a[dataIndex] ?? -1) - (b[dataIndex] ?? -1),
  render: (v: number | null) => pct(v, scale),
});

/** One cell: solid for the lead's part, outlined for a cooperating part; a red ring when late. */
function Cell({ cell, task }: { cell: MatrixCell; task: Task | undefined }) {
  return (
    <Tooltip
      title={
        <>
          <div>{task?.title ?? cell.taskId}</div>
          <div>
            {cell.role === "lead" ? "牵头" : "配合"} · {PROGRESS_LABELS[cell.status]} {cell.progress}%
            {cell.late ? " · 已逾期" : ""}
          </div>
          {task && <div>完成时限 {task.dueDate}</div>}
        </>
      }
    >
      <span
        className={`mb-cell mb-cell-${cell.status}${cell.role === "cooperating" ? " mb-cell-coop" : ""}${cell.late ? " mb-cell-late" : ""}`}
      >
        {cell.progress === 100 ? "" : Math.round(cell.progress / 10)}
      </span>
    </Tooltip>
  );
}

export default function Matrix({ year }: { year: number }) {
  const me = useUser();
  const { message } = App.useApp();
  const { orgs, orgName, divisionName, division } = useLookup();
  const wide = isCityWide(me);
  const [orgId, setOrgId] = useState<string | undefined>(wide ? undefined : me.orgId);
  const [view, setView] = useState<"divisions" | "tasks">("divisions");
  const [only, setOnly] = useState<ProgressStatus | "late" | undefined>();
  const q = useQuery({
    queryKey: ["plan-matrix", year, orgId ?? "all"],
    queryFn: () => get<CompletionMatrix>("/api/plans/matrix", { year, orgId }),
  });
  const data = q.data;
  const taskById = useMemo(() => new Map((data?.tasks ?? []).map((t) => [t.id, t])), [data]);
  const cellsByDivision = useMemo(() => {
    const m = new Map<string, MatrixCell[]>();
    for (const c of data?.cells ?? []) m.set(c.divisionId, [...(m.get(c.divisionId) ?? []), c]);
    return m;
  }, [data]);
  const cellsByTask = useMemo(() => {
    const m = new Map<string, MatrixCell[]>();
    for (const c of data?.cells ?? []) m.set(c.taskId, [...(m.get(c.taskId) ?? []), c]);
    return m;
  }, [data]);
  /** A division's name, with its organisation when the matrix spans the bureau. */
  const where = (d: string) => `${orgId ? "" : orgName(division(d)?.orgId) + " "}${divisionName(d)}`;
  const keep = (c: MatrixCell) => !only || (only === "late" ? c.late : c.status === only);
  const rows = (data?.rows ?? []).filter((r) => !only || (cellsByDivision.get(r.divisionId) ?? []).some(keep));
  const tasks = (data?.tasks ?? []).filter((t) => !only || (cellsByTask.get(t.id) ?? []).some(keep));
  const totals = data?.totals;

  return (
    <div data-testid="plan-matrix">
      <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
        {wide ? (
          <Select
            allowClear
            placeholder="全市（全部单位）"
            style={{ width: 160 }}
            value={orgId}
            onChange={setOrgId}
            options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
          />
        ) : (
          <Tag>{orgName(me.orgId)}</Tag>
        )}
        <Segmented
          value={view}
          onChange={(v) => setView(v as typeof view)}
          options={[
            { value: "divisions", label: "按处室" },
            { value: "tasks", label: "按任务" },
          ]}
        />
        <Select
          allowClear
          placeholder="全部状态"
          style={{ width: 130 }}
          value={only}
          onChange={setOnly}
          options={[
            ...PROGRESS_STATUSES.map((s) => ({ value: s, label: `只看${PROGRESS_LABELS[s]}` })),
            { value: "late", label: "只看逾期" },
          ]}
        />
        <Button onClick={() => window.print()}>打印本页</Button>
        <ExportButton
          path="/api/plans/matrix/export"
          query={{ year, orgId }}
          fileName={`${year}年度任务完成情况.xlsx`}
          testId="matrix-export"
        />
        <Button
          onClick={() =>
            void openPrintView("/api/plans/matrix/export", { year, orgId, format: "html" }).catch((e: Error) =>
              message.error(e.message),
            )
          }
          data-testid="matrix-print"
        >
          打印汇总表
        </Button>
        <span className="mb-muted" style={{ fontSize: 12 }}>
          方块：实心为牵头、空心为配合；数字为进度（成）；红框为已逾期
        </span>
      </Space>
      <div className="mb-print-only" style={{ fontSize: 16, fontWeight: 600, marginBottom: 8 }}>
        {year} 年度任务完成情况（{orgId ? orgName(orgId) : "全市"}）
      </div>
      {q.isLoading ? (
        <Spin description={`正在汇总${orgId ? orgName(orgId) : "全市"}各处室的任务完成情况，请稍候…`} size="large">
          <div style={{ height: 160 }} data-testid="matrix-loading" />
        </Spin>
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : !data?.rows.length ? (
        <EmptyState title={`${year} 年没有年度任务`} />
      ) : (
        <>
          {totals && (
            <Card size="small" style={{ marginBottom: 12 }}>
              <div className="mb-stat-grid" data-testid="matrix-totals">
                <Statistic title="任务分工（项次）" value={totals.parts} />
                <Statistic title="已完成" value={totals.done} />
                <Statistic title="进行中" value={totals.inProgress} />
                <Statistic title="延期" value={totals.delayed} styles={{ content: { color: "#cf1322" } }} />
                <Statistic title="逾期未完成" value={totals.late} styles={{ content: { color: "#cf1322" } }} />
                <Statistic title="完成率" value={pct(totals.doneRate, 100)} />
                <Statistic title="加权进度" value={pct(totals.weightedProgress)} />
              </div>
            </Card>
          )}
          {view === "divisions" ? (
            <Table<MatrixRow>
              {...FRAME}
              rowKey="divisionId"
              dataSource={rows}
              scroll={{ x: 1100 }}
              data-testid="matrix-table"
              columns={[
                ...(orgId ? [] : [{ title: "单位", dataIndex: "orgId", width: 80, render: (v: string) => orgName(v) }]),
                { title: "处室", dataIndex: "name", width: 130 },
                countColumn("分工", "parts"),
                countColumn("完成", "done"),
                countColumn("进行", "inProgress"),
                countColumn("延期", "delayed", true),
                countColumn("未始", "notStarted"),
                countColumn("逾期", "late", true),
                rateColumn("完成率", "doneRate", 70, 100),
                rateColumn("加权进度", "weightedProgress", 80),
                {
                  title: "各项任务",
                  key: "cells",
                  render: (_: unknown, r) => (
                    <div className="mb-cells">
                      {(cellsByDivision.get(r.divisionId) ?? []).filter(keep).map((c) => (
                        <Cell key={c.taskId} cell={c} task={taskById.get(c.taskId)} />
                      ))}
                    </div>
                  ),
                },
              ]}
              expandable={{
                expandedRowClassName: () => "mb-no-print",
                expandedRowRender: (r) => (
                  <Table<MatrixCell>
                    size="small"
                    rowKey="taskId"
                    pagination={false}
                    dataSource={(cellsByDivision.get(r.divisionId) ?? []).filter(keep)}
                    columns={[
                      { title: "任务", key: "t", render: (_: unknown, c) => taskById.get(c.taskId)?.title },
                      {
                        title: "分工",
                        dataIndex: "role",
                        width: 60,
                        render: (v: MatrixCell["role"]) => (v === "lead" ? "牵头" : "配合"),
                      },
                      {
                        title: "状态",
                        dataIndex: "status",
                        width: 80,
                        render: (s: ProgressStatus) => <StatusTag status={s} />,
                      },
                      {
                        title: "进度",
                        dataIndex: "progress",
                        width: 60,
                        align: "right",
                        render: (v: number) => `${v}%`,
                      },
                      {
                        title: "完成时限",
                        key: "d",
                        width: 100,
                        render: (_: unknown, c) => (
                          <span style={c.late ? { color: "#cf1322" } : undefined}>
                            {taskById.get(c.taskId)?.dueDate}
                          </span>
                        ),
                      },
                    ]}
                  />
                ),
              }}
            />
          ) : (
            <Table<Task>
              {...FRAME}
              rowKey="id"
              dataSource={tasks}
              scroll={{ x: 1000 }}
              data-testid="matrix-tasks"
              columns={[
                { title: "任务", dataIndex: "title" },
                {
                  title: "牵头处室",
                  dataIndex: "leadDivisionId",
                  width: 150,
                  render: (d: string) => where(d),
                },
                { title: "完成时限", dataIndex: "dueDate", width: 100 },
                { title: "权重", dataIndex: "weight", width: 50, align: "right" },
                {
                  title: "审核",
                  dataIndex: "state",
                  width: 70,
                  render: (s: Task["state"]) => (s === "approved" ? "已审核" : <Tag color="orange">待审核</Tag>),
                },
                {
                  title: "各参与处室进展",
                  key: "parts",
                  width: 420,
                  render: (_: unknown, t) => (
                    <Space size={[8, 2]} wrap>
                      {(cellsByTask.get(t.id) ?? []).map((c) => (
                        <span key={c.divisionId} style={{ whiteSpace: "nowrap" }}>
                          <span style={{ fontSize: 12, marginRight: 2 }}>
                            {c.role === "lead" ? "" : "配合·"}
                            {where(c.divisionId)}
                          </span>
                          <StatusTag status={c.status} /> {c.progress}%
                        </span>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </>
      )}
    </div>
  );
}
