/** The notification bell: the inbox (when the service is there) plus live `notification:new` pushes. */
import { BellOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Badge, Button, Empty, List, Popover, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { InboxItem, InboxList } from "@shared/contracts/inbox";
import { api, ApiError, get } from "../lib/api";
import { connectSocket } from "../lib/socket";

const EMPTY: InboxList = { items: [], unread: 0 };

async function loadInbox(): Promise<InboxList> {
  try {
    return await get<InboxList>("/api/inbox", { limit: 30 });
  } catch (err) {
    // The inbox service is optional: without it the bell shows what arrives live.
    if (err instanceof ApiError && (err.status === 404 || err.status === 503)) return EMPTY;
    throw err;
  }
}

export function Bell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { notification } = App.useApp();
  const [open, setOpen] = useState(false);
  const { data = EMPTY, isSuccess } = useQuery({ queryKey: ["inbox"], queryFn: loadInbox, staleTime: 60_000 });

  // Whether live pushes can arrive now (shown on the button for the browser tests, which wait for it).
  const [live, setLive] = useState(false);

  useEffect(() => {
    const s = connectSocket();
    const onLive = () => setLive(s.connected);
    onLive();
    s.on("connect", onLive);
    s.on("disconnect", onLive);
    const onNew = (raw: Partial<InboxItem>) => {
      const item: InboxItem = {
        id: raw.id ?? `live-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        recipientStaffId: raw.recipientStaffId ?? "",
        kind: raw.kind ?? "",
        title: raw.title ?? "新通知",
        body: raw.body ?? "",
        link: raw.link ?? "",
        createdAt: raw.createdAt ?? new Date().toISOString(),
        readAt: null,
      };
      qc.setQueryData<InboxList>(["inbox"], (old = EMPTY) =>
        old.items.some((i) => i.id === item.id) ? old : { items: [item, ...old.items], unread: old.unread + 1 },
      );
      notification.info({ title: item.title, description: item.body, placement: "bottomRight", duration: 4 });
    };
    s.on("notification:new", onNew);
    return () => {
      s.off("notification:new", onNew);
      s.off("connect", onLive);
      s.off("disconnect", onLive);
    };
  }, [qc, notification]);

  async function openItem(item: InboxItem) {
    setOpen(false);
    if (!item.readAt) {
      qc.setQueryData<InboxList>(["inbox"], (old = EMPTY) => ({
        items: old.items.map((i) => (i.id === item.id ? { ...i, readAt: new Date().toISOString() } : i)),
        unread: Math.max(0, old.unread - 1),
      }));
      if (!item.id.startsWith("live-"))
        void api("POST", `/api/inbox/${encodeURIComponent(item.id)}/read`).catch(() => {});
    }
    if (item.link) nav(item.link);
  }

  const content = (
    <div style={{ width: 320, maxWidth: "80vw" }} data-testid="bell-panel">
      {data.items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            <>
              {t("bell.empty")}
              <br />
              <span className="mb-muted">{t("bell.live")}</span>
            </>
          }
        />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          style={{ maxHeight: 400, overflow: "auto" }}
          renderItem={(i) => (
            <List.Item
              onClick={() => openItem(i)}
              style={{ cursor: "pointer", background: i.readAt ? undefined : "#f0f5ff" }}
              data-testid="bell-item"
            >
              <List.Item.Meta
                title={<Typography.Text strong={!i.readAt}>{i.title}</Typography.Text>}
                description={
                  <>
                    <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0 }}>
                      {i.body}
                    </Typography.Paragraph>
                    <span className="mb-muted" style={{ fontSize: 12 }}>
                      {dayjs(i.createdAt).format("MM-DD HH:mm")}
                    </span>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      content={content}
      title={t("bell.title")}
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
    >
      <Button
        type="text"
        aria-label={t("bell.title")}
        data-testid="bell"
        data-loaded={isSuccess}
        data-live={live}
        data-unread={data.unread}
      >
        <Badge count={data.unread} size="small" offset={[2, -2]} data-testid="bell-count">
          <BellOutlined style={{ fontSize: 18, color: "#fff" }} />
        </Badge>
      </Button>
    </Popover>
  );
}
