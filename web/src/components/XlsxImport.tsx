/**
 * An .xlsx import button with progress, and the file's row errors when the server refuses it (422).
 * The server checks the file, then writes it as a job (it answers 202 `{ job }`,
 * shared/store/import-jobs.ts): the job is followed at the service's `/imports/jobs/:id` until it
 * ends, the bar shows its done/total, and its result is what `onDone` gets.
 */
import { UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Modal, Progress, Table, Upload } from "antd";
import { useState } from "react";
import type { JobView } from "@shared/contracts/jobs";
import { api, ApiError, fileToBase64 } from "../lib/api";

const POLL_MS = 500;

export interface RowError {
  row: number;
  column: string;
  message: string;
}

/** "row 3: 姓名" → { row: 3, column: "姓名" } (the gateway passes import row errors as field names). */
export function rowErrors(err: ApiError): RowError[] {
  return err.fields.map((f) => {
    const m = /^row (\d+): (.*)$/.exec(f.field);
    return { row: m ? Number(m[1]) : 0, column: m ? m[2] : f.field, message: f.message };
  });
}

/** `/api/personnel/imports/staff` → `/api/personnel/imports/jobs/<id>`: where the service reports its import jobs. */
export const importJobPath = (path: string, id: string): string =>
  `${path.replace(/\/imports\/[^/]+$/, "/imports/jobs")}/${encodeURIComponent(id)}`;

export function XlsxImport<R>({
  path,
  body = {},
  onDone,
  label = "导入 .xlsx",
  testId,
}: {
  /** The import action's REST path; it takes `{ file: base64, ...body }`. */
  path: string;
  body?: Record<string, unknown>;
  /** Called with the server's answer (or its job's result); returns the success message to show. */
  onDone: (result: R) => string;
  label?: string;
  testId?: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);
  const [errors, setErrors] = useState<{ message: string; rows: RowError[] } | null>(null);

  async function onFile(file: File) {
    setBusy(true);
    setProgress(10);
    try {
      const b64 = await fileToBase64(file);
      setProgress(40);
      const tick = setInterval(() => setProgress((p) => Math.min(p + 5, 95)), 400);
      let answer: R | { job: JobView<R> };
      try {
        answer = await api<R | { job: JobView<R> }>("POST", path, { ...body, file: b64 });
      } finally {
        clearInterval(tick);
      }
      if (answer && typeof answer === "object" && "job" in answer) {
        let job = answer.job;
        while (job.state === "running") {
          if (job.total) setProgress(40 + Math.round((55 * job.done) / job.total));
          await new Promise((r) => setTimeout(r, POLL_MS));
          job = await api<JobView<R>>("GET", importJobPath(path, job.id));
        }
        if (job.state === "failed" || !job.result) throw new Error(job.error ?? "导入失败");
        answer = job.result;
      }
      message.success(onDone(answer as R));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors({ message: err.message, rows: rowErrors(err) });
      else message.error(err instanceof Error ? err.message : "导入失败");
    } finally {
      setBusy(false);
      setProgress(0);
    }
  }

  return (
    <>
      <Upload
        accept=".xlsx"
        showUploadList={false}
        beforeUpload={(f) => {
          void onFile(f);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid={testId}>
          {label}
        </Button>
      </Upload>
      {busy && (
        <Progress percent={progress} size="small" style={{ width: 120 }} data-testid={testId && `${testId}-progress`} />
      )}
      <Modal
        open={!!errors}
        onCancel={() => setErrors(null)}
        footer={<Button onClick={() => setErrors(null)}>知道了</Button>}
        title="导入未完成"
        width={640}
      >
        <Alert
          type="error"
          showIcon
          title={errors?.message}
          description="文件中的错误需全部改正后重新导入；本次未写入任何数据。"
          style={{ marginBottom: 12 }}
        />
        <Table
          size="small"
          rowKey={(r) => `${r.row}-${r.column}-${r.message}`}
          dataSource={errors?.rows}
          pagination={{ pageSize: 10 }}
          data-testid="import-errors"
          columns={[
            { title: "行", dataIndex: "row", width: 60 },
            { title: "列", dataIndex: "column", width: 120 },
            { title: "问题", dataIndex: "message" },
          ]}
        />
      </Modal>
    </>
  );
}
