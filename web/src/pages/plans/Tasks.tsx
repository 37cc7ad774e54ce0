/** A division's annual tasks: the ones it leads (with every participant's part) and its parts of shared tasks. */
import { CheckOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Space, Table, Tag, Tooltip } from "antd";
import type { ColumnType } from "antd/es/table";
import { useState } from "react";
import { holds, may } from "@shared/permissions";
import type { ImportCounts } from "@shared/contracts/jobs";
import type { DivisionPlan, TaskView } from "@shared/contracts/plans";
import { api, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { DENSE_TABLE } from "../../components/ListTable";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { ExportButton } from "../../components/ExportButton";
import { XlsxImport } from "../../components/XlsxImport";
import { TaskForm } from "./TaskForm";
import { EvidenceDrawer, HistoryModal, PartProgress, PartsTable, target } from "./TaskParts";

export default function Tasks({ orgId, divisionId, year }: { orgId: string; divisionId: string; year: number }) {
  const me = useUser();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { divisionName, orgName } = useLookup();
  const [form, setForm] = useState<{ task: TaskView | null } | null>(null);
  const [history, setHistory] = useState<TaskView | null>(null);
  const [evidence, setEvidence] = useState<TaskView | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const q = useQuery({
    queryKey: ["division-tasks", divisionId, year],
    queryFn: () => get<DivisionPlan>(`/api/plans/divisions/${divisionId}/tasks`, { year }),
  });
  const editable = may(me, "plans.editDivision", { orgId, divisionId });
  const hr = may(me, "plans.approve");
  const refresh = () => qc.invalidateQueries({ queryKey: ["division-tasks"] });
  const drafts = (q.data?.leading ?? []).filter((t) => t.state === "draft");

  async function approve(ids: string[]) {
    try {
      for (const id of ids) await api("POST", `/api/plans/tasks/${id}/approve`);
      message.success(`已审核通过 ${ids.length} 项任务`);
      setSelected([]);
      await refresh();
    } catch (err) {
      message.error(err instanceof Error ? err.message : "审核失败");
    }
  }

  const ownPart = (t: TaskView) => t.parts.find((p) => p.divisionId === divisionId) ?? t.parts[0];
  const stateTags = (t: TaskView) => (
    <>
      {t.state === "draft" ? <Tag color="orange">待审核</Tag> : <Tag color="green">已审核</Tag>}
      {t.cooperatingDivisionIds.length > 0 && <Tag color="purple">共同任务</Tag>}
      {t.late && <Tag color="red">已逾期</Tag>}
      {t.version > 1 && t.state === "approved" && (
        <Tooltip title="审核后有修改，可查看历史">
          <Tag>v{t.version}</Tag>
        </Tooltip>
      )}
    </>
  );
  /** Both tables open with the task's title over its state tags. */
  const titleColumn: ColumnType<TaskView> = {
    title: "任务",
    dataIndex: "title",
    render: (v: string, t) => (
      <>
        <div style={{ fontWeight: 500 }}>{v}</div>
        {stateTags(t)}
      </>
    ),
  };

  if (q.isLoading) return <Loading rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const plan = q.data!;

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
        {editable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ task: null })}>
            新建任务
          </Button>
        )}
        {holds(me, "plans.import") && editable && (
          <>
            <XlsxImport<ImportCounts>
              path="/api/plans/imports/tasks"
              body={{ year }}
              label="导入任务 .xlsx"
              testId="tasks-import"
              onDone={(r) => {
                void refresh();
                return `导入完成：新增 ${r.created} 项（待人教处审核），修改 ${r.updated} 项，${r.unchanged} 项无变化`;
              }}
            />
            <ExportButton
              path="/api/plans/exports/tasks"
              query={{ year }}
              fileName={`${year}年度任务.xlsx`}
              testId="tasks-export"
            />
          </>
        )}
        {hr && drafts.length > 0 && (
          <Button
            icon={<CheckOutlined />}
            disabled={!selected.length}
            onClick={() =>
              modal.confirm({
                title: `审核通过选中的 ${selected.length} 项任务？`,
                content: "审核后的修改会保留历史版本。",
                onOk: () => approve(selected),
              })
            }
            data-testid="approve-selected"
          >
            审核通过（{selected.length}）
          </Button>
        )}
        <span className="mb-muted" style={{ fontSize: 12 }}>
          导入文件列：任务名称、牵头处室、配合处室、责任人工号、目标、目标值、计量单位、完成时限、权重
        </span>
      </Space>
      <Card
        size="small"
        title={`${orgName(orgId)} ${divisionName(divisionId)} · ${year} 年牵头任务（${plan.leading.length}）`}
        data-testid="leading-tasks"
      >
        {!plan.leading.length ? (
          <EmptyState title="本年度尚无牵头任务">{editable ? "点击“新建任务”或导入 .xlsx。" : undefined}</EmptyState>
        ) : (
          <Table<TaskView>
            {...DENSE_TABLE}
            rowKey="id"
            dataSource={plan.leading}
            scroll={{ x: 1100 }}
            rowSelection={
              hr
                ? {
                    selectedRowKeys: selected,
                    onChange: (keys) => setSelected(keys as string[]),
                    getCheckboxProps: (t) => ({ disabled: t.state !== "draft" }),
                  }
                : undefined
            }
            expandable={{
              rowExpandable: (t) => t.parts.length > 1,
              expandedRowRender: (t) => <PartsTable task={t} onEvidence={setEvidence} />,
            }}
            columns={[
              titleColumn,
              { title: "目标", key: "target", width: 240, render: (_: unknown, t) => target(t.target) },
              { title: "责任人", dataIndex: "responsibleName", width: 80 },
              { title: "完成时限", dataIndex: "dueDate", width: 100 },
              { title: "权重", dataIndex: "weight", width: 56, align: "right" },
              {
                title: "进展（各参与处室）",
                key: "progress",
                width: 220,
                render: (_: unknown, t) => (
                  <Space orientation="vertical" size={2}>
                    {t.parts.map((p) => (
                      <span key={p.divisionId} style={{ whiteSpace: "nowrap" }}>
                        {t.parts.length > 1 && (
                          <span className="mb-muted" style={{ fontSize: 12, marginRight: 4 }}>
                            {divisionName(p.divisionId)}
                          </span>
                        )}
                        <PartProgress part={p} />
                      </span>
                    ))}
                  </Space>
                ),
              },
              {
                title: "佐证",
                dataIndex: "evidenceCount",
                width: 56,
                align: "right",
                render: (n: number, t) => (n ? <a onClick={() => setEvidence(t)}>{n}</a> : 0),
              },
              {
                title: "操作",
                key: "op",
                width: 150,
                className: "mb-no-print",
                render: (_: unknown, t) => (
                  <Space size={4} wrap>
                    {editable && (
                      <Button size="small" onClick={() => setForm({ task: t })}>
                        修改
                      </Button>
                    )}
                    {hr && t.state === "draft" && (
                      <Button size="small" type="primary" ghost onClick={() => void approve([t.id])}>
                        审核
                      </Button>
                    )}
                    <Button size="small" type="link" onClick={() => setHistory(t)}>
                      历史
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Card
        size="small"
        style={{ marginTop: 12 }}
        title={`配合任务（${plan.cooperating.length}）`}
        extra={<span className="mb-muted">由其他处室牵头，这里只显示本处室承担的部分</span>}
        data-testid="cooperating-tasks"
      >
        {!plan.cooperating.length ? (
          <EmptyState title="本年度没有配合其他处室的任务" />
        ) : (
          <Table<TaskView>
            {...DENSE_TABLE}
            rowKey="id"
            dataSource={plan.cooperating}
            scroll={{ x: 900 }}
            columns={[
              titleColumn,
              {
                title: "牵头处室",
                key: "lead",
                width: 150,
                render: (_: unknown, t) =>
                  `${t.leadOrgId !== orgId ? orgName(t.leadOrgId) + " " : ""}${divisionName(t.leadDivisionId)}`,
              },
              {
                title: "本处室责任人",
                key: "who",
                width: 100,
                render: (_: unknown, t) => ownPart(t).responsibleName ?? "—",
              },
              { title: "完成时限", dataIndex: "dueDate", width: 100 },
              {
                title: "本处室进展",
                key: "p",
                width: 200,
                render: (_: unknown, t) => <PartProgress part={ownPart(t)} />,
              },
              {
                title: "佐证",
                key: "e",
                width: 56,
                align: "right",
                render: (_: unknown, t) =>
                  ownPart(t).evidenceCount ? <a onClick={() => setEvidence(t)}>{ownPart(t).evidenceCount}</a> : 0,
              },
              {
                title: "",
                key: "op",
                width: 60,
                className: "mb-no-print",
                render: (_: unknown, t) => (
                  <Button size="small" type="link" onClick={() => setHistory(t)}>
                    历史
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      <TaskForm
        open={!!form}
        task={form?.task ?? null}
        year={year}
        leadDivisionId={divisionId}
        onClose={() => setForm(null)}
        onSaved={() => {
          setForm(null);
          void refresh();
        }}
      />
      <HistoryModal task={history} onClose={() => setHistory(null)} />
      <EvidenceDrawer
        task={evidence}
        divisionId={evidence && evidence.leadDivisionId !== divisionId ? divisionId : undefined}
        onClose={() => setEvidence(null)}
      />
    </>
  );
}
