import { ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Col, DatePicker, Input, List, Row, Select, Space, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { FeedResult, LogKind, UsefulTopItem } from "@shared/contracts/worklog";
import { get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { connectSocket } from "../../lib/socket";
import { LogCard } from "../../components/LogCard";
import { EmptyState, ErrorState, Loading } from "../../components/States";

interface Filters {
  q?: string;
  orgId?: string;
  divisionId?: string;
  from?: string;
  to?: string;
  tag?: string;
  kind?: LogKind;
}

export default function Square() {
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const filters: Filters = useMemo(() => Object.fromEntries([...params.entries()].filter(([, v]) => v)), [params]);
  const [keyword, setKeyword] = useState(filters.q ?? "");
  const { orgs, orgName } = useLookup();
  const [fresh, setFresh] = useState(0);

  const feed = useInfiniteQuery({
    queryKey: ["feed", filters],
    queryFn: ({ pageParam }) => get<FeedResult>("/api/worklog/logs", { ...filters, cursor: pageParam, limit: 20 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const top = useQuery({
    queryKey: ["useful-top"],
    queryFn: () => get<UsefulTopItem[]>("/api/worklog/useful/top", { limit: 8 }),
  });

  // New logs arrive live while the square is open; they are announced, not pushed into the list under the reader.
  useEffect(() => {
    const s = connectSocket();
    const join = () => s.emit("feed:subscribe");
    const onLog = (e: { authorStaffId?: string }) => {
      if (e.authorStaffId !== me.staffId) setFresh((n) => n + 1);
    };
    if (s.connected) join();
    s.on("connect", join);
    s.on("log:published", onLog);
    return () => {
      s.off("connect", join);
      s.off("log:published", onLog);
      s.emit("feed:unsubscribe");
    };
  }, [me.staffId]);

  function setFilter(patch: Partial<Filters>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, String(v));
      else next.delete(k);
    }
    setParams(next, { replace: true });
  }

  const items = feed.data?.pages.flatMap((p) => p.items) ?? [];
  const divisions = orgs.find((o) => o.id === filters.orgId)?.divisions ?? [];

  return (
    <div className="mb-page">
      <Row gutter={16}>
        <Col xs={24} lg={17}>
          <Card size="small" style={{ marginBottom: 12 }} className="mb-no-print">
            <Space direction="vertical" style={{ width: "100%" }} size={8}>
              <Input.Search
                placeholder="搜索日志内容，如：预算执行、国库支付"
                allowClear
                enterButton={
                  <>
                    <SearchOutlined /> 搜索
                  </>
                }
                value={keyword}
                onChange={(e) => setKeyword(e.target.value)}
                onSearch={(v) => setFilter({ q: v.trim() || undefined })}
                data-testid="square-search"
                maxLength={50}
              />
              <Space wrap size={8}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: "label" }}
                  placeholder="单位"
                  style={{ width: 150 }}
                  value={filters.orgId}
                  onChange={(v) => setFilter({ orgId: v, divisionId: undefined })}
                  options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
                />
                <Select
                  allowClear
                  placeholder="处室"
                  style={{ width: 150 }}
                  disabled={!filters.orgId}
                  value={filters.divisionId}
                  onChange={(v) => setFilter({ divisionId: v })}
                  options={divisions.map((d) => ({ value: d.id, label: d.name }))}
                />
                <Select
                  allowClear
                  placeholder="类型"
                  style={{ width: 110 }}
                  value={filters.kind}
                  onChange={(v) => setFilter({ kind: v })}
                  options={[
                    { value: "personal", label: "个人日志" },
                    { value: "org", label: "单位日志" },
                  ]}
                />
                <DatePicker.RangePicker
                  style={{ width: 240 }}
                  value={filters.from && filters.to ? [dayjs(filters.from), dayjs(filters.to)] : null}
                  onChange={(r) => setFilter({ from: r?.[0]?.format("YYYY-MM-DD"), to: r?.[1]?.format("YYYY-MM-DD") })}
                />
                <Input
                  placeholder="标签"
                  allowClear
                  style={{ width: 110 }}
                  defaultValue={filters.tag}
                  onPressEnter={(e) => setFilter({ tag: (e.target as HTMLInputElement).value.trim() || undefined })}
                  onChange={(e) => !e.target.value && setFilter({ tag: undefined })}
                />
                {params.size > 0 && (
                  <Button
                    onClick={() => {
                      setKeyword("");
                      setParams(new URLSearchParams(), { replace: true });
                    }}
                  >
                    清除筛选
                  </Button>
                )}
              </Space>
            </Space>
          </Card>
          {fresh > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 10, cursor: "pointer" }}
              title={`有 ${fresh} 篇新日志`}
              action={
                <Button
                  size="small"
                  icon={<ReloadOutlined />}
                  onClick={() => {
                    setFresh(0);
                    void feed.refetch();
                  }}
                >
                  刷新
                </Button>
              }
              data-testid="square-fresh"
            />
          )}
          {filters.q && <Typography.Paragraph type="secondary">关键词“{filters.q}”的搜索结果</Typography.Paragraph>}
          {feed.isLoading ? (
            <Loading rows={8} />
          ) : feed.isError ? (
            <ErrorState error={feed.error} onRetry={() => void feed.refetch()} />
          ) : items.length === 0 ? (
            <Card>
              <EmptyState title={filters.q ? "没有找到相关日志" : "暂无日志"}>
                {filters.q ? "换个关键词试试，或减少筛选条件。" : undefined}
              </EmptyState>
            </Card>
          ) : (
            <div data-testid="square-feed">
              {items.map((l) => (
                <LogCard key={l.id} log={l} highlight={filters.q} />
              ))}
              <div style={{ textAlign: "center", margin: "12px 0 24px" }}>
                {feed.hasNextPage ? (
                  <Button
                    onClick={() => void feed.fetchNextPage()}
                    loading={feed.isFetchingNextPage}
                    data-testid="load-more"
                  >
                    加载更多
                  </Button>
                ) : (
                  <span className="mb-muted">没有更多了</span>
                )}
              </div>
            </div>
          )}
        </Col>
        <Col xs={24} lg={7}>
          <Card size="small" title="本周最有用" style={{ marginBottom: 12 }} data-testid="useful-top">
            {top.isLoading ? (
              <Loading rows={4} />
            ) : top.isError ? (
              <ErrorState error={top.error} />
            ) : !top.data?.length ? (
              <EmptyState title="本周还没有被标记“有用”的日志" />
            ) : (
              <List
                size="small"
                dataSource={top.data}
                renderItem={(t, i) => (
                  <List.Item>
                    <div style={{ minWidth: 0 }}>
                      <b style={{ marginRight: 6, color: i < 3 ? "#d4380d" : "#8c8c8c" }}>{i + 1}</b>
                      <Link to={`/worklog/logs/${t.log.id}`}>
                        {t.log.kind === "org" ? orgName(t.log.orgId) : t.log.authorName}
                      </Link>
                      <span className="mb-muted" style={{ fontSize: 12 }}>
                        {" "}
                        · {t.usefulCount} 人觉得有用
                      </span>
                      <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, fontSize: 12 }}>
                        {t.log.done}
                      </Typography.Paragraph>
                    </div>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
