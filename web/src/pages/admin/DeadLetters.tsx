/** Durable events that failed their consumers (死信): how many per channel, and an audited replay. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import type { DeadLetterItem, DeadLettersView } from "@shared/contracts/audit";
import { api, get } from "../../lib/api";
import { PageError } from "../../components/States";

export default function DeadLetters() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const q = useQuery({ queryKey: ["dead-letters"], queryFn: () => get<DeadLettersView>("/api/audit/dead-letters") });
  const replay = useMutation({
    mutationFn: (channel: string) => api<{ replayed: number }>("POST", "/api/audit/dead-letters/replay", { channel }),
    onSuccess: (r) => {
      message.success(`已重新投递 ${r.replayed} 条`);
      void client.invalidateQueries({ queryKey: ["dead-letters"] });
    },
    onError: (err) => message.error(err instanceof Error ? err.message : "重新投递失败"),
  });
  if (q.isError) return <PageError error={q.error} />;
  const channels = Object.entries(q.data?.byChannel ?? {});
  return (
    <div className="mb-page">
      <Card
        size="small"
        title="死信队列"
        extra={<span className="mb-muted">多次处理失败的事件暂存于此，排除故障后重新投递；每次投递记入审计日志</span>}
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <span>共 {q.data?.total ?? "…"} 条</span>
          {channels.map(([channel, n]) => (
            <Popconfirm
              key={channel}
              title={`重新投递 ${channel} 的 ${n} 条事件？`}
              onConfirm={() => replay.mutate(channel)}
            >
              <Button size="small" loading={replay.isPending && replay.variables === channel}>
                重新投递 {channel}（{n}）
              </Button>
            </Popconfirm>
          ))}
          <Button size="small" onClick={() => void q.refetch()}>
            刷新
          </Button>
        </Space>
        {q.data && !q.data.total ? (
          <Empty description="没有死信：所有事件均已处理" />
        ) : (
          <Table<DeadLetterItem>
            size="small"
            rowKey={(r) => `${r.channel}:${r.seq}`}
            loading={q.isLoading}
            dataSource={q.data?.items ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            columns={[
              {
                title: "失败时间",
                dataIndex: "failedAt",
                width: 150,
                render: (v: string) => dayjs(v).format("YYYY-MM-DD HH:mm:ss"),
              },
              { title: "通道", dataIndex: "channel", width: 200 },
              { title: "消费者", dataIndex: "group", width: 160, render: (v: string) => <Tag>{v}</Tag> },
              { title: "投递次数", dataIndex: "deliveries", width: 80 },
              { title: "错误", dataIndex: "error" },
              {
                title: "事件 ID",
                dataIndex: "eventId",
                width: 200,
                render: (v: string | null) => <code style={{ fontSize: 11 }}>{v ?? "—"}</code>,
              },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
