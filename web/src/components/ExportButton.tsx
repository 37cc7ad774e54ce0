/** An .xlsx export button that shows where a long export is: the server building it, then the bytes arriving. */
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Progress } from "antd";
import { useState } from "react";
import { download, type DownloadProgress } from "../lib/api";

type Query = Parameters<typeof download>[1];

export function ExportProgress({ progress, testId }: { progress: DownloadProgress; testId?: string }) {
  if (progress.phase === "building")
    return (
      <span className="mb-muted" data-testid={testId} data-phase="building">
        正在生成文件…
      </span>
    );
  const { received, total } = progress;
  return (
    <span data-testid={testId} data-phase="receiving" style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
      {total ? (
        <Progress percent={Math.floor((received / total) * 100)} size="small" style={{ width: 120, margin: 0 }} />
      ) : null}
      <span className="mb-muted">已接收 {Math.round(received / 1024)} KB</span>
    </span>
  );
}

export function ExportButton({
  path,
  query,
  fileName,
  label = "导出 .xlsx",
  testId,
}: {
  path: string;
  query?: Query;
  /** The name to save under when the server gives none. */
  fileName: string;
  label?: string;
  testId?: string;
}) {
  const { message } = App.useApp();
  const [progress, setProgress] = useState<DownloadProgress | null>(null);

  async function run() {
    setProgress({ phase: "building" });
    try {
      await download(path, query, fileName, setProgress);
    } catch (err) {
      message.error(err instanceof Error ? err.message : "导出失败");
    } finally {
      setProgress(null);
    }
  }

  return (
    <>
      <Button icon={<DownloadOutlined />} loading={!!progress} onClick={() => void run()} data-testid={testId}>
        {label}
      </Button>
      {progress && <ExportProgress progress={progress} testId={testId && `${testId}-progress`} />}
    </>
  );
}
