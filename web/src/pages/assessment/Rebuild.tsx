/**
 * 重建计数: recomputes the year's counters from the source services, as a background job on the
 * server. The page shows the job's phase and progress (polled every 2 s), picks a running job up
 * again when it is opened, and refreshes the summaries when the job is done.
 */
import { SyncOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Descriptions, Progress, Space, Steps, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect } from "react";
import { REBUILD_PHASES, REBUILD_PHASE_LABELS, type RebuildJob } from "@shared/contracts/assessment";
import { api, get } from "../../lib/api";
import { ErrorState, Loading } from "../../components/States";

const POLL_MS = 2000;
/** The phases a user sees as steps ("queued" is the first step's waiting state). */
const STEPS = REBUILD_PHASES.filter((p) => p !== "queued");

export default function Rebuild({ year }: { year: number }) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const job = useQuery({
    queryKey: ["rebuild-job", year],
    queryFn: () => get<RebuildJob | null>("/api/assessment/rebuild/jobs", { year }),
    refetchInterval: (q) => (q.state.data?.state === "running" ? POLL_MS : false),
  });
  const j = job.data;

  // When a job this page watched finishes, the summaries it changed are read again.
  const finished = j?.state === "done" ? j.id : null;
  useEffect(() => {
    if (finished) void qc.invalidateQueries({ queryKey: ["assessment-summary"] });
  }, [finished, qc]);

  async function start() {
    try {
      const started = await api<RebuildJob>("POST", "/api/assessment/rebuild", { year });
      qc.setQueryData(["rebuild-job", year], started);
    } catch (err) {
      message.error(err instanceof Error ? err.message : "无法开始重建");
    }
  }

  if (job.isLoading) return <Loading rows={3} />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  const running = j?.state === "running";
  const step = j ? Math.max(0, STEPS.indexOf(j.phase as (typeof STEPS)[number])) : 0;
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="rebuild">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        各项指标随业务数据实时累计。若怀疑计数有误（例如某个服务曾长时间停止），可从日志、计划、考勤和信息宣传的原始数据重新计算{" "}
        {year} 年度的全部计数；重建在后台进行，期间汇总表照常可用。
      </Typography.Paragraph>
      <Button
        type="primary"
        icon={<SyncOutlined spin={running} />}
        loading={running}
        onClick={() => void start()}
        data-testid="rebuild-start"
      >
        {running ? "正在重建…" : `重建 ${year} 年度计数`}
      </Button>
      {j && (
        <>
          <Steps
            size="small"
            current={step}
            status={j.state === "failed" ? "error" : j.state === "done" ? "finish" : "process"}
            items={STEPS.map((p) => ({ title: REBUILD_PHASE_LABELS[p] }))}
          />
          {running && (
            <Progress
              percent={j.total ? Math.floor((j.done / j.total) * 100) : 0}
              status="active"
              format={() => (j.total ? `${j.done} / ${j.total}` : REBUILD_PHASE_LABELS[j.phase])}
              data-testid="rebuild-progress"
            />
          )}
          {j.state === "failed" && <Alert type="error" showIcon title="重建失败" description={j.error} />}
          {j.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon title={w} />
          ))}
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="开始">{dayjs(j.startedAt).format("YYYY-MM-DD HH:mm:ss")}</Descriptions.Item>
            <Descriptions.Item label="完成">
              {j.finishedAt ? dayjs(j.finishedAt).format("YYYY-MM-DD HH:mm:ss") : "—"}
            </Descriptions.Item>
            <Descriptions.Item label="状态">
              {{ running: "进行中", done: "已完成", failed: "失败" }[j.state]}
            </Descriptions.Item>
            {j.result && (
              <Descriptions.Item label="结果" span={3}>
                {j.result.people} 人 · {j.result.divisions} 个处室 · {j.result.facts} 条指标记录 ·{" "}
                {j.result.attendanceDays} 个考勤日 · {j.result.tasks} 项任务 · {j.result.submissions} 份月度填报 · 用时{" "}
                {(j.result.ms / 1000).toFixed(1)} 秒
              </Descriptions.Item>
            )}
          </Descriptions>
        </>
      )}
    </Space>
  );
}
