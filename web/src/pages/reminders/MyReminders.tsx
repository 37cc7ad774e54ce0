/** My reminders (我的提醒): the in-app reminders I received, and my choice about non-essential SMS reminders. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Card, List, Switch, Tag } from "antd";
import dayjs from "dayjs";
import { Link } from "react-router";
import type { InboxList } from "@shared/contracts/inbox";
import { api, get } from "../../lib/api";
import { useUser } from "../../lib/hooks";
import { EmptyState, ErrorState, Loading } from "../../components/States";

export default function MyReminders() {
  const me = useUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const optOut = useQuery({
    queryKey: ["sms-opt-out"],
    enabled: !!me.staffId,
    queryFn: () => get<{ optedOut: boolean }>("/api/reminders/opt-out"),
  });
  const inbox = useQuery({ queryKey: ["inbox-all"], queryFn: () => get<InboxList>("/api/inbox", { limit: 100 }) });

  async function setOptOut(optedOut: boolean) {
    try {
      qc.setQueryData(["sms-opt-out"], await api<{ optedOut: boolean }>("PUT", "/api/reminders/opt-out", { optedOut }));
      message.success(optedOut ? "已退订非必要的短信提醒" : "已恢复接收短信提醒");
    } catch (err) {
      message.error(err instanceof Error ? err.message : "保存失败");
    }
  }

  return (
    <div className="mb-page mb-narrow" data-testid="my-reminders">
      <Card size="small" title="短信提醒">
        {!me.staffId ? (
          <EmptyState title="该账号未关联干部信息，不接收短信提醒" />
        ) : optOut.isLoading ? (
          <Loading rows={1} />
        ) : optOut.isError ? (
          <ErrorState error={optOut.error} />
        ) : (
          <>
            <div style={{ display: "flex", alignItems: "center", gap: 12 }}>
              <Switch
                checked={optOut.data?.optedOut}
                onChange={(v) => void setOptOut(v)}
                data-testid="opt-out"
                aria-label="退订非必要的短信提醒"
              />
              <span>退订非必要的短信提醒（如“个人日志未写”提醒）</span>
            </div>
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 12 }}
              title="必要提醒（如需要您督促、填报的逾期事项）不受退订影响；站内提醒始终保留。"
            />
          </>
        )}
      </Card>
      <Card size="small" title="收到的提醒" style={{ marginTop: 12 }}>
        {inbox.isLoading ? (
          <Loading />
        ) : inbox.isError ? (
          <ErrorState error={inbox.error} onRetry={() => void inbox.refetch()} />
        ) : !inbox.data?.items.length ? (
          <EmptyState title="暂无提醒" />
        ) : (
          <List
            size="small"
            dataSource={inbox.data.items}
            renderItem={(i) => (
              <List.Item extra={<span className="mb-muted">{dayjs(i.createdAt).format("MM-DD HH:mm")}</span>}>
                <List.Item.Meta
                  title={
                    <>
                      {!i.readAt && <Tag color="red">未读</Tag>}
                      {i.link ? <Link to={i.link}>{i.title}</Link> : i.title}
                    </>
                  }
                  description={i.body}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </div>
  );
}
