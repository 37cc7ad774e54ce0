/** A division's month: the arrangement form (每月工作安排) and the completion form (完成情况) with evidence. */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag } from "antd";
import type { FormListFieldData } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { useEffect, useMemo, useState, type CSSProperties, type ReactElement } from "react";
import { Link } from "react-router";
import {
  PROGRESS_LABELS,
  PROGRESS_STATUSES,
  type ArrangementItemInput,
  type CompletionEntryInput,
  type DivisionPlan,
  type EvidenceLog,
  type MonthView,
  type TaskView,
} from "@shared/contracts/plans";
import { may } from "@shared/permissions";
import { api, get } from "../../lib/api";
import { today, useUser } from "../../lib/hooks";
import { progressFor, showSaveError } from "../../lib/plans";
import { DENSE_TABLE } from "../../components/ListTable";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { EvidenceDrawer } from "./TaskParts";

interface Deadlines {
  month: string;
  arrangementDue: string;
  completionDue: string;
}

type Entry = CompletionEntryInput & { reason: string | null; note: string | null };
interface CompletionValues {
  tasks?: Entry[];
  items?: Entry[];
}

const NO_TASK = "__none__";

/** What the server takes of a row: a reason only with a delay. */
const entry = (e: Entry): Entry => ({
  status: e.status,
  progress: e.progress,
  reason: e.status === "delayed" ? e.reason : null,
  note: e.note || null,
});

function Submitted({ at, due }: { at: string | null; due: string }) {
  if (!at) return <Tag color="orange">未提交（截止 {due}）</Tag>;
  const late = dayjs(at).format("YYYY-MM-DD") > due;
  return (
    <Tag color={late ? "red" : "green"}>
      {late ? "逾期提交" : "已提交"} {dayjs(at).format("MM-DD HH:mm")}（截止 {due}）
    </Tag>
  );
}

export default function Month({ orgId, divisionId, month }: { orgId: string; divisionId: string; month: dayjs.Dayjs }) {
  const me = useUser();
  const y = month.year();
  const m = month.month() + 1;
  const path = `/api/plans/months/division/${divisionId}/${y}/${m}`;
  const view = useQuery({ queryKey: ["plan-month", divisionId, y, m], queryFn: () => get<MonthView>(path) });
  const plan = useQuery({
    queryKey: ["division-tasks", divisionId, y],
    queryFn: () => get<DivisionPlan>(`/api/plans/divisions/${divisionId}/tasks`, { year: y }),
  });
  const due = useQuery({
    queryKey: ["plan-deadlines", y, m],
    queryFn: () => get<Deadlines>("/api/plans/deadlines", { year: y, month: m }),
    staleTime: 10 * 60_000,
  });
  const editable = may(me, "plans.editDivision", { orgId, divisionId });
  if (view.isLoading || plan.isLoading) return <Loading rows={8} />;
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  const tasks = [...plan.data!.leading, ...plan.data!.cooperating];
  return (
    <>
      {!editable && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="只有本处室负责人和本单位管理员可以填报；这里显示已提交的内容。"
        />
      )}
      <Arrangement
        view={view.data!}
        tasks={tasks}
        editable={editable}
        path={path}
        due={due.data?.arrangementDue ?? view.data!.arrangement?.dueDate ?? ""}
      />
      <Completion
        view={view.data!}
        tasks={tasks}
        divisionId={divisionId}
        editable={editable}
        path={path}
        due={due.data?.completionDue ?? view.data!.completion?.dueDate ?? ""}
      />
    </>
  );
}

function useSave(path: string, divisionId: string, year: number, month: number) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  async function save(
    what: "arrangement" | "completion",
    body: unknown,
    form: { setFields: (f: never) => void },
    ok: string,
  ) {
    setSaving(true);
    try {
      const v = await api<MonthView>("PUT", `${path}/${what}`, body);
      qc.setQueryData(["plan-month", divisionId, year, month], v);
      void qc.invalidateQueries({ queryKey: ["division-tasks", divisionId] });
      void qc.invalidateQueries({ queryKey: ["plan-matrix"] });
      message.success(ok);
    } catch (err) {
      showSaveError(err, form, message.error, "提交失败");
    } finally {
      setSaving(false);
    }
  }
  return { save, saving };
}

function Arrangement({
  view,
  tasks,
  editable,
  path,
  due,
}: {
  view: MonthView;
  tasks: TaskView[];
  editable: boolean;
  path: string;
  due: string;
}) {
  const [form] = Form.useForm<{ items: { text: string; taskId: string }[] }>();
  const { save, saving } = useSave(path, view.ownerId, view.year, view.month);
  const items = view.arrangement?.items;
  useEffect(() => {
    form.setFieldsValue({
      items: items?.length
        ? items.map((i) => ({ text: i.text, taskId: i.taskId ?? NO_TASK }))
        : [{ text: "", taskId: NO_TASK }],
    });
  }, [items, form]);
  const taskOptions = [
    { value: NO_TASK, label: "无对应任务（非计划任务）" },
    ...tasks.map((t) => ({ value: t.id, label: t.title })),
  ];

  return (
    <Card
      size="small"
      title={`${view.year} 年 ${view.month} 月工作安排`}
      extra={<Submitted at={view.arrangement?.submittedAt ?? null} due={due} />}
      data-testid="arrangement"
    >
      {!editable ? (
        !items?.length ? (
          <EmptyState title="本月工作安排尚未提交" />
        ) : (
          <Table
            {...DENSE_TABLE}
            rowKey="id"
            dataSource={items}
            columns={[
              { title: "序号", key: "n", width: 56, render: (_: unknown, __: unknown, i: number) => i + 1 },
              { title: "工作事项", dataIndex: "text" },
              {
                title: "对应年度任务",
                key: "t",
                width: 260,
                render: (_: unknown, i: (typeof items)[number]) => (i.noTask ? <Tag>无对应任务</Tag> : i.taskTitle),
              },
            ]}
          />
        )
      ) : (
        <Form
          form={form}
          onFinish={(v) =>
            void save(
              "arrangement",
              {
                items: v.items.map((i): ArrangementItemInput => ({
                  text: i.text,
                  taskId: i.taskId === NO_TASK ? null : i.taskId,
                })),
              },
              form,
              "工作安排已提交",
            )
          }
        >
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="start" style={{ display: "flex" }} wrap>
                    <span style={{ lineHeight: "32px", width: 20 }}>{i + 1}.</span>
                    <Form.Item
                      name={[f.name, "text"]}
                      rules={[{ required: true, whitespace: true, message: "请填写工作事项" }]}
                      style={{ marginBottom: 8 }}
                    >
                      <Input.TextArea
                        autoSize={{ minRows: 1, maxRows: 4 }}
                        maxLength={500}
                        placeholder="工作事项"
                        style={{ width: "min(520px, 70vw)" }}
                        data-testid={`arrangement-text-${i}`}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, "taskId"]} style={{ marginBottom: 8 }}>
                      <Select
                        style={{ width: 260 }}
                        showSearch={{ optionFilterProp: "label" }}
                        options={taskOptions}
                        data-testid={`arrangement-task-${i}`}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label="删除"
                      disabled={fields.length === 1}
                      onClick={() => remove(f.name)}
                    />
                  </Space>
                ))}
                <Space>
                  <Button
                    icon={<PlusOutlined />}
                    disabled={fields.length >= 50}
                    onClick={() => add({ text: "", taskId: NO_TASK })}
                  >
                    添加事项
                  </Button>
                  <Button type="primary" htmlType="submit" loading={saving} data-testid="arrangement-submit">
                    {view.arrangement ? "重新提交" : "提交工作安排"}
                  </Button>
                </Space>
              </>
            )}
          </Form.List>
        </Form>
      )}
    </Card>
  );
}

function Completion({
  view,
  tasks,
  divisionId,
  editable,
  path,
  due,
}: {
  view: MonthView;
  tasks: TaskView[];
  divisionId: string;
  editable: boolean;
  path: string;
  due: string;
}) {
  const [form] = Form.useForm<CompletionValues>();
  const { save, saving } = useSave(path, view.ownerId, view.year, view.month);
  const [evidence, setEvidence] = useState<TaskView | null>(null);
  const monthKey = `${view.year}-${String(view.month).padStart(2, "0")}`;
  const future = monthKey > today().slice(0, 7);
  const done = view.completion;
  const items = useMemo(() => view.arrangement?.items ?? [], [view.arrangement]);
  const evidenceOf = new Map<string, EvidenceLog[]>((done?.tasks ?? []).map((t) => [t.taskId, t.evidence]));

  useEffect(() => {
    const reportedTask = new Map((done?.tasks ?? []).map((t) => [t.taskId, t]));
    const reportedItem = new Map((done?.items ?? []).map((i) => [i.itemId, i]));
    form.setFieldsValue({
      tasks: tasks.map((t) => {
        const r = reportedTask.get(t.id);
        const part = t.parts.find((p) => p.divisionId === divisionId) ?? t.parts[0];
        const src = r ?? part;
        return { status: src.status, progress: src.progress, reason: src.reason, note: r?.note ?? null };
      }),
      items: items.map((i) => {
        const r = reportedItem.get(i.id);
        return {
          status: r?.status ?? "not_started",
          progress: r?.progress ?? 0,
          reason: r?.reason ?? null,
          note: r?.note ?? null,
        };
      }),
    });
  }, [done, tasks, items, divisionId, form]);

  /** Picking 已完成 or 未开始 sets the progress it implies. */
  function onValuesChange(changed: Partial<CompletionValues>) {
    for (const list of ["tasks", "items"] as const) {
      (changed[list] ?? []).forEach((row, i) => {
        if (row?.status)
          form.setFieldValue([list, i, "progress"], progressFor(row.status, form.getFieldValue([list, i, "progress"])));
      });
    }
  }

  /** A column holding one field of a row; the control gets the test id `${list}-${field}-${row}`. */
  const fieldColumn = (
    list: "tasks" | "items",
    field: "status" | "progress",
    title: string,
    width: number,
    control: (testId: string) => ReactElement,
  ) => ({
    title,
    key: field,
    width,
    render: (_: unknown, f: FormListFieldData) => (
      <Form.Item name={[f.name, field]} noStyle>
        {control(`${list}-${field}-${f.name}`)}
      </Form.Item>
    ),
  });

  const entryColumns = (list: "tasks" | "items") => [
    fieldColumn(list, "status", "状态", 110, (testId) => (
      <Select
        size="small"
        style={{ width: 96 }}
        disabled={!editable}
        options={PROGRESS_STATUSES.map((s) => ({ value: s, label: PROGRESS_LABELS[s] }))}
        data-testid={testId}
      />
    )),
    fieldColumn(list, "progress", "进度 %", 90, (testId) => (
      <InputNumber
        size="small"
        min={0}
        max={100}
        precision={0}
        style={{ width: 72 }}
        disabled={!editable}
        data-testid={testId}
      />
    )),
    {
      title: "延期原因 / 说明",
      key: "reason",
      render: (_: unknown, f: FormListFieldData) => (
        <>
          <Form.Item
            name={[f.name, "reason"]}
            dependencies={[[list, f.name, "status"]]}
            style={{ marginBottom: 4 }}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, v: string | null) =>
                  getFieldValue([list, f.name, "status"]) === "delayed" && !v?.trim()
                    ? Promise.reject(new Error("延期须填写原因"))
                    : Promise.resolve(),
              }),
            ]}
            hidden={form.getFieldValue([list, f.name, "status"]) !== "delayed"}
          >
            <Input size="small" maxLength={500} placeholder="延期原因" disabled={!editable} />
          </Form.Item>
          <Form.Item name={[f.name, "note"]} noStyle>
            <Input size="small" maxLength={1000} placeholder="说明（可选）" disabled={!editable} />
          </Form.Item>
        </>
      ),
    },
  ];

  /** One list of the form as a table: what each row is (with an optional tag), then its entry columns. */
  const entryTable = (
    list: "tasks" | "items",
    {
      caption,
      what,
      row,
      extra = [],
      style,
    }: {
      caption: string;
      what: string;
      row: (i: number) => { text: string; tag: string | false };
      extra?: ColumnsType<FormListFieldData>;
      style?: CSSProperties;
    },
  ) => (
    <Form.List name={list}>
      {(fields) => (
        <Table<FormListFieldData>
          {...DENSE_TABLE}
          rowKey="key"
          dataSource={fields}
          scroll={{ x: 820 }}
          style={style}
          title={() => caption}
          data-testid={`completion-${list}`}
          columns={[
            {
              title: what,
              key: "t",
              render: (_: unknown, f) => {
                const { text, tag } = row(f.name);
                return (
                  <>
                    {text}
                    {tag && <Tag style={{ marginLeft: 4 }}>{tag}</Tag>}
                  </>
                );
              },
            },
            ...entryColumns(list),
            ...extra,
          ]}
        />
      )}
    </Form.List>
  );

  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={`${view.year} 年 ${view.month} 月完成情况`}
      extra={<Submitted at={done?.submittedAt ?? null} due={due} />}
      data-testid="completion"
    >
      {future ? (
        <EmptyState title="该月尚未开始，不能填报完成情况" />
      ) : !tasks.length && !items.length ? (
        <EmptyState title="本处室没有年度任务，也没有本月工作安排" />
      ) : (
        <Form
          form={form}
          onValuesChange={onValuesChange}
          onFinish={(v: CompletionValues) =>
            void save(
              "completion",
              {
                // Rows follow `tasks` and `items` in order; ids are not form fields. A list with no rows
                // (no arrangement this month) is not in the form's values at all.
                tasks: (v.tasks ?? []).map((t, i) => ({ ...entry(t), taskId: tasks[i].id })),
                items: (v.items ?? []).map((t, i) => ({ ...entry(t), itemId: items[i].id })),
              },
              form,
              "完成情况已提交",
            )
          }
        >
          <Form.Item shouldUpdate noStyle>
            {() => (
              <>
                {entryTable("tasks", {
                  caption: "年度任务进展",
                  what: "任务",
                  row: (i) => ({ text: tasks[i].title, tag: tasks[i].leadDivisionId !== divisionId && "配合" }),
                  extra: [
                    {
                      title: "佐证日志",
                      key: "e",
                      width: 150,
                      render: (_: unknown, f) => {
                        const t = tasks[f.name];
                        const logs = evidenceOf.get(t.id);
                        if (logs?.length)
                          return (
                            <Space orientation="vertical" size={0}>
                              {logs.slice(0, 2).map((l) => (
                                <Link key={l.logId} to={`/worklog/logs/${l.logId}`} style={{ fontSize: 12 }}>
                                  {l.date.slice(5)} {l.authorName}
                                </Link>
                              ))}
                              {logs.length > 2 && <a onClick={() => setEvidence(t)}>共 {logs.length} 篇</a>}
                            </Space>
                          );
                        return <a onClick={() => setEvidence(t)}>查看本月日志</a>;
                      },
                    },
                  ],
                })}
                {items.length > 0 &&
                  entryTable("items", {
                    caption: "本月工作安排事项",
                    what: "事项",
                    row: (i) => ({ text: items[i].text, tag: items[i].noTask && "无对应任务" }),
                    style: { marginTop: 12 },
                  })}
              </>
            )}
          </Form.Item>
          {editable && (
            <Button
              type="primary"
              htmlType="submit"
              loading={saving}
              style={{ marginTop: 12 }}
              data-testid="completion-submit"
            >
              {done ? "重新提交完成情况" : "提交完成情况"}
            </Button>
          )}
        </Form>
      )}
      <EvidenceDrawer task={evidence} month={monthKey} divisionId={divisionId} onClose={() => setEvidence(null)} />
    </Card>
  );
}
