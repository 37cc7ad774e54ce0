/** Designed loading, error and empty states, so no page is ever blank. */
import { Button, Empty, Result, Skeleton } from "antd";
import type { ReactNode } from "react";
import { ApiError } from "../lib/api";

export function Loading({ rows = 4 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} />;
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const e = error instanceof ApiError ? error : null;
  const forbidden = e?.status === 403;
  return (
    <Result
      status={forbidden ? "403" : e?.status === 404 ? "404" : "warning"}
      title={forbidden ? "无权查看" : e?.status === 404 ? "未找到" : "加载失败"}
      subTitle={e?.message ?? "网络或服务暂时不可用，请稍后重试。"}
      extra={onRetry && !forbidden ? <Button onClick={onRetry}>重试</Button> : undefined}
    />
  );
}

export function EmptyState({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <div>
          <div>{title}</div>
          {children && (
            <div className="mb-muted" style={{ fontSize: 12, marginTop: 4 }}>
              {children}
            </div>
          )}
        </div>
      }
    />
  );
}

/** A detail page's whole-page loading or error state for its main query, or null once its data is there. */
export function pageState(
  q: { isLoading: boolean; isError: boolean; error: unknown; refetch: () => unknown },
  rows = 6,
): ReactNode {
  if (q.isLoading)
    return (
      <div className="mb-page">
        <Loading rows={rows} />
      </div>
    );
  if (q.isError) return <PageError error={q.error} onRetry={() => void q.refetch()} />;
  return null;
}

/** A whole page that failed to load. */
export function PageError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="mb-page">
      <ErrorState error={error} onRetry={onRetry} />
    </div>
  );
}
