import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "antd";
import type { FeedParams, FeedResult } from "@shared/contracts/worklog";
import { get } from "../lib/api";
import { LogCard } from "./LogCard";
import { EmptyState, ErrorState, Loading } from "./States";

/** A log list with cursor "load more", for any filter of the feed. */
export function Feed({ filter, empty = "暂无日志" }: { filter: Omit<FeedParams, "cursor">; empty?: string }) {
  const feed = useInfiniteQuery({
    queryKey: ["feed", filter],
    queryFn: ({ pageParam }) =>
      get<FeedResult>("/api/worklog/logs", {
        ...(filter as Record<string, string>),
        cursor: pageParam,
        limit: filter.limit ?? 10,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (feed.isLoading) return <Loading />;
  if (feed.isError) return <ErrorState error={feed.error} onRetry={() => void feed.refetch()} />;
  const items = feed.data?.pages.flatMap((p) => p.items) ?? [];
  if (!items.length) return <EmptyState title={empty} />;
  return (
    <>
      {items.map((l) => (
        <LogCard key={l.id} log={l} />
      ))}
      <div style={{ textAlign: "center" }}>
        {feed.hasNextPage ? (
          <Button onClick={() => void feed.fetchNextPage()} loading={feed.isFetchingNextPage}>
            加载更多
          </Button>
        ) : (
          <span className="mb-muted">没有更多了</span>
        )}
      </div>
    </>
  );
}
