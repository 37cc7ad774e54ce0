/** Plans in brief for My page, a person's and a division's page: the year's tasks and the month's work. */
import { useQuery } from "@tanstack/react-query";
import { List, Tag } from "antd";
import { Link } from "react-router";
import { PROGRESS_LABELS, type MonthView, type ProgressStatus, type TaskView } from "@shared/contracts/plans";
import { get } from "../lib/api";
import { today } from "../lib/hooks";
import { PartProgress } from "../pages/plans/TaskParts";
import { EmptyState, ErrorState, Loading } from "./States";

function useMonth(divisionId: string | null | undefined, offset: number) {
  const t = today();
  let y = Number(t.slice(0, 4));
  let m = Number(t.slice(5, 7)) + offset;
  if (m < 1) [y, m] = [y - 1, m + 12];
  return useQuery({
    queryKey: ["plan-month", divisionId, y, m],
    enabled: !!divisionId,
    queryFn: () => get<MonthView>(`/api/plans/months/division/${divisionId}/${y}/${m}`),
  });
}

function MonthLine({ view, kind }: { view: MonthView | undefined; kind: "arrangement" | "completion" }) {
  if (!view) return null;
  const label = `${view.month} 月${kind === "arrangement" ? "工作安排" : "完成情况"}`;
  if (kind === "arrangement") {
    const a = view.arrangement;
    return (
      <div style={{ marginTop: 8 }} data-testid="brief-arrangement">
        <b>{label}</b>{" "}
        {!a ? (
          <Tag color="orange">未提交</Tag>
        ) : (
          <ol style={{ margin: "4px 0", paddingInlineStart: 20 }}>
            {a.items.map((i) => (
              <li key={i.id}>
                {i.text}
                {i.noTask && <Tag style={{ marginLeft: 4 }}>无对应任务</Tag>}
              </li>
            ))}
          </ol>
        )}
      </div>
    );
  }
  const c = view.completion;
  const counts = new Map<ProgressStatus, number>();
  for (const e of [...(c?.tasks ?? []), ...(c?.items ?? [])]) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  return (
    <div style={{ marginTop: 8 }} data-testid="brief-completion">
      <b>{label}</b>{" "}
      {!c ? (
        <Tag color="orange">未提交</Tag>
      ) : (
        [...counts].map(([s, n]) => (
          <Tag key={s}>
            {PROGRESS_LABELS[s]} {n}
          </Tag>
        ))
      )}
    </div>
  );
}

/** The tasks (each with its progress), this month's arrangement and last month's completion of a division. */
export function PlanBrief({
  tasksPath,
  divisionId,
  partOf,
}: {
  /** Where the tasks come from: a person's or a division's task list. */
  tasksPath: string;
  divisionId: string | null | undefined;
  /** The division whose part of a shared task to show. */
  partOf?: string | null;
}) {
  const tasks = useQuery({
    queryKey: ["brief-tasks", tasksPath],
    queryFn: () => get<TaskView[] | { leading: TaskView[]; cooperating: TaskView[] }>(tasksPath),
    select: (r) => (Array.isArray(r) ? r : [...r.leading, ...r.cooperating]),
  });
  const thisMonth = useMonth(divisionId, 0);
  const lastMonth = useMonth(divisionId, -1);
  if (tasks.isLoading) return <Loading rows={3} />;
  if (tasks.isError) return <ErrorState error={tasks.error} />;
  return (
    <div data-testid="plan-brief">
      {!tasks.data!.length ? (
        <EmptyState title="今年没有承担的年度任务" />
      ) : (
        <List
          size="small"
          dataSource={tasks.data}
          renderItem={(t) => {
            const part = t.parts.find((p) => p.divisionId === partOf) ?? t.parts[0];
            return (
              <List.Item extra={part && <PartProgress part={part} />}>
                <span>
                  {t.title} <span className="mb-muted">（{t.dueDate} 前）</span>
                </span>
              </List.Item>
            );
          }}
        />
      )}
      <MonthLine view={thisMonth.data} kind="arrangement" />
      <MonthLine view={lastMonth.data} kind="completion" />
      <div style={{ marginTop: 8 }}>
        <Link to="/plans">进入计划</Link>
      </div>
    </div>
  );
}
