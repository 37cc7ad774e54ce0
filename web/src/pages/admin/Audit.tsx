import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Card, Input, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import type { AuditEntry } from "@shared/contracts/audit";
import { get } from "../../lib/api";
import { PageError } from "../../components/States";

const ACTIONS: Record<string, string> = {
  "auth.login": "登录",
  "auth.logout": "退出",
  "accounts.roles.change": "角色变更",
  "accounts.disable": "停用账号",
  "accounts.enable": "启用账号",
  "accounts.password.reset": "重置密码",
  "personnel.staff.export": "导出名册",
  "personnel.staff.import": "导入名册",
  "worklog.policy.set": "日志制度",
};

export default function Audit() {
  const [action, setAction] = useState<string | undefined>();
  const [result, setResult] = useState<string | undefined>();
  const q = useInfiniteQuery({
    queryKey: ["audit", action, result],
    queryFn: ({ pageParam }) =>
      get<{ items: AuditEntry[] }>("/api/audit", { action, result, before: pageParam, limit: 100 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.items.length === 100 ? last.items[last.items.length - 1].at : undefined),
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  if (q.isError) return <PageError error={q.error} />;
  return (
    <div className="mb-page">
      <Card size="small" title="审计日志" extra={<span className="mb-muted">只读，保留不少于 6 个月</span>}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            placeholder="操作，如 auth.login"
            allowClear
            style={{ width: 200 }}
            onPressEnter={(e) => setAction((e.target as HTMLInputElement).value.trim() || undefined)}
            onChange={(e) => !e.target.value && setAction(undefined)}
          />
          <Select
            allowClear
            placeholder="结果"
            style={{ width: 100 }}
            value={result}
            onChange={setResult}
            options={[
              { value: "success", label: "成功" },
              { value: "failure", label: "失败" },
            ]}
          />
          <Button onClick={() => window.print()}>打印</Button>
        </Space>
        <Table<AuditEntry>
          size="small"
          rowKey="id"
          loading={q.isLoading}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            {
              title: "时间",
              dataIndex: "at",
              width: 150,
              render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm:ss"),
            },
            {
              title: "操作",
              dataIndex: "action",
              width: 160,
              render: (v: string) => (
                <>
                  {ACTIONS[v] ?? v}
                  <div className="mb-muted" style={{ fontSize: 11 }}>
                    {v}
                  </div>
                </>
              ),
            },
            {
              title: "结果",
              dataIndex: "result",
              width: 70,
              render: (v: string) => (v === "success" ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>),
            },
            {
              title: "操作人",
              dataIndex: "actorName",
              width: 90,
              render: (v: string | null, r) => v ?? r.actorAccountId ?? "—",
            },
            { title: "对象", dataIndex: "target", width: 160 },
            { title: "来源 IP", dataIndex: "ip", width: 120 },
            {
              title: "详情",
              dataIndex: "details",
              render: (v?: Record<string, unknown>) =>
                v ? <code style={{ fontSize: 11 }}>{JSON.stringify(v)}</code> : "",
            },
          ]}
        />
        <div style={{ textAlign: "center", marginTop: 12 }}>
          {q.hasNextPage ? (
            <Button onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
              加载更早的记录
            </Button>
          ) : (
            <span className="mb-muted">没有更早的记录</span>
          )}
        </div>
      </Card>
    </div>
  );
}
