/** Notices (通知公告): the ones I received (unread first), the ones I sent with read receipts, and publishing. */
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Badge,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { isCityWide } from "@shared/auth";
import type {
  ListResult,
  NoticeList,
  NoticePublishParams,
  NoticeReceipts,
  NoticeScopeType,
  NoticeView,
  ReceiptPerson,
} from "@shared/contracts/notices";
import { api, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { mayPublish } from "../../lib/notices";
import { useCommand } from "../../lib/useCommand";
import { ListTable, PAGE_SIZE } from "../../components/ListTable";
import { ErrorState, pageState } from "../../components/States";
import { TitleField } from "../info/ReportFields";

const time = (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : "—");

function PublishForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useUser();
  const { orgs } = useLookup();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; body: string; type: NoticeScopeType; id?: string }>();
  const type = Form.useWatch("type", form);
  const { busy, run } = useCommand(form, "发布失败");
  const orgChoices = isCityWide(me) ? orgs : orgs.filter((o) => o.id === me.orgId);
  async function publish() {
    const v = await form.validateFields();
    await run(
      (commandId) =>
        api<NoticeView>("POST", "/api/notices/items", {
          title: v.title,
          body: v.body,
          scope: { type: v.type, id: v.type === "bureau" ? null : (v.id ?? null) },
          commandId,
        } satisfies NoticePublishParams),
      (n) => {
        message.success(`通知已发布给 ${n.recipientCount} 人`);
        void qc.invalidateQueries({ queryKey: ["notices"] });
        onClose();
        nav(`/notices/${n.id}`);
      },
    );
  }
  return (
    <Modal
      open={open}
      title="发布通知"
      onCancel={onClose}
      onOk={() => void publish()}
      okText="发布"
      confirmLoading={busy}
      width={720}
      forceRender
    >
      <Form form={form} layout="vertical" initialValues={{ type: "division", id: me.divisionId ?? undefined }}>
        <TitleField />
        <Space wrap>
          <Form.Item name="type" label="发送范围">
            <Select
              style={{ width: 140 }}
              onChange={() => form.setFieldValue("id", undefined)}
              options={[
                ...(isCityWide(me) ? [{ value: "bureau", label: "全局" }] : []),
                { value: "org", label: "单位" },
                { value: "division", label: "处室" },
              ]}
            />
          </Form.Item>
          {type !== "bureau" && (
            <Form.Item
              name="id"
              label={type === "org" ? "单位" : "处室"}
              rules={[{ required: true, message: "请选择" }]}
            >
              <Select
                style={{ width: 240 }}
                showSearch={{ optionFilterProp: "label" }}
                options={
                  type === "org"
                    ? orgChoices.map((o) => ({ value: o.id, label: o.name }))
                    : orgChoices.flatMap((o) =>
                        o.divisions.map((d) => ({ value: d.id, label: `${o.shortName} ${d.name}` })),
                      )
                }
              />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="body" label="正文" rules={[{ required: true, whitespace: true, message: "请填写正文" }]}>
          <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} maxLength={20000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function NoticeTable({
  data,
  loading,
  page,
  onPage,
  sent,
}: {
  data?: ListResult<NoticeView>;
  loading: boolean;
  page: number;
  onPage: (p: number) => void;
  sent?: boolean;
}) {
  return (
    <ListTable<NoticeView>
      data={data}
      loading={loading}
      page={page}
      onPage={onPage}
      scrollX={760}
      empty={sent ? "还没有发布过通知" : "没有通知"}
      testId={sent ? "notices-sent" : "notices-mine"}
      columns={[
        {
          title: "标题",
          dataIndex: "title",
          render: (v: string, n) => (
            <>
              {!sent && !n.readAt && <Badge status="error" style={{ marginRight: 6 }} />}
              <Link to={`/notices/${n.id}`} style={{ fontWeight: !sent && !n.readAt ? 600 : undefined }}>
                {v}
              </Link>
            </>
          ),
        },
        { title: "范围", dataIndex: "scopeLabel", width: 160 },
        { title: "发布人", dataIndex: "publisherName", width: 90 },
        { title: "发布时间", dataIndex: "publishedAt", width: 140, render: time },
        sent
          ? {
              title: "已读",
              key: "r",
              width: 150,
              render: (_: unknown, n) => (
                <Progress
                  percent={Math.round((n.readCount / Math.max(n.recipientCount, 1)) * 100)}
                  size="small"
                  format={() => `${n.readCount}/${n.recipientCount}`}
                />
              ),
            }
          : {
              title: "状态",
              dataIndex: "readAt",
              width: 90,
              render: (v: string | null) => (v ? <Tag>已读</Tag> : <Tag color="red">未读</Tag>),
            },
      ]}
    />
  );
}

export default function Notices() {
  const me = useUser();
  const lookup = useLookup();
  const publisher = mayPublish(me, lookup);
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "mine";
  const [page, setPage] = useState(1);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [creating, setCreating] = useState(false);
  const mine = useQuery({
    queryKey: ["notices", "mine", page, unreadOnly],
    enabled: tab === "mine",
    queryFn: () =>
      get<NoticeList>("/api/notices/mine", { page, limit: PAGE_SIZE, unreadOnly: unreadOnly || undefined }),
    placeholderData: (p) => p,
  });
  const sent = useQuery({
    queryKey: ["notices", "sent", page],
    enabled: tab === "sent",
    queryFn: () => get<ListResult<NoticeView>>("/api/notices/sent", { page, limit: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const err = tab === "mine" ? mine.error : sent.error;
  return (
    <div className="mb-page" data-testid="notices-page">
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => (setParams({ tab: k }, { replace: true }), setPage(1))}
          tabBarExtraContent={
            publisher && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} className="mb-no-print">
                发布通知
              </Button>
            )
          }
          items={[
            {
              key: "mine",
              label: (
                <Badge count={mine.data?.unread} size="small" offset={[8, -2]}>
                  收到的通知
                </Badge>
              ),
            },
            ...(publisher ? [{ key: "sent", label: "我发布的" }] : []),
          ]}
        />
        {err ? (
          <ErrorState error={err} />
        ) : tab === "mine" ? (
          <>
            <Select
              style={{ width: 120, marginBottom: 8 }}
              value={unreadOnly ? "unread" : "all"}
              onChange={(v) => (setUnreadOnly(v === "unread"), setPage(1))}
              options={[
                { value: "all", label: "全部" },
                { value: "unread", label: "只看未读" },
              ]}
              className="mb-no-print"
            />
            <NoticeTable data={mine.data} loading={mine.isFetching} page={page} onPage={setPage} />
          </>
        ) : (
          <NoticeTable data={sent.data} loading={sent.isFetching} page={page} onPage={setPage} sent />
        )}
      </Card>
      <PublishForm open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function ReceiptList({ people }: { people: ReceiptPerson[] }) {
  const { orgName, divisionName } = useLookup();
  return (
    <Table<ReceiptPerson>
      size="small"
      rowKey="staffId"
      dataSource={people}
      pagination={people.length > 50 ? { pageSize: 50 } : false}
      columns={[
        {
          title: "姓名",
          dataIndex: "name",
          width: 90,
          render: (v: string, p) => <Link to={`/people/${p.staffId}`}>{v}</Link>,
        },
        { title: "单位", dataIndex: "orgId", render: (v: string) => orgName(v) },
        { title: "处室", dataIndex: "divisionId", render: (v: string) => divisionName(v) },
        { title: "阅读时间", dataIndex: "readAt", width: 140, render: time },
      ]}
    />
  );
}

export function NoticeDetail() {
  const { id = "" } = useParams();
  const me = useUser();
  const lookup = useLookup();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["notice", id], queryFn: () => get<NoticeView>(`/api/notices/items/${id}`) });
  const n = q.data;
  const receipts = useQuery({
    queryKey: ["notice-receipts", id],
    enabled: !!n && (mayPublish(me, lookup) || n.publisherStaffId === me.staffId),
    queryFn: () => get<NoticeReceipts>(`/api/notices/items/${id}/receipts`),
    retry: false,
  });
  // Opening a notice one received marks it read (once).
  useEffect(() => {
    if (n?.recipient && !n.readAt)
      void api<NoticeView>("POST", `/api/notices/items/${id}/read`).then((v) => {
        qc.setQueryData(["notice", id], v);
        void qc.invalidateQueries({ queryKey: ["notices"] });
      });
  }, [n, id, qc]);
  const state = pageState(q);
  if (state) return state;
  const r = receipts.data;
  return (
    <div className="mb-page mb-narrow" data-testid="notice-detail">
      <Card
        size="small"
        title={<Link to="/notices">通知公告</Link>}
        extra={
          <Button className="mb-no-print" onClick={() => window.print()}>
            打印
          </Button>
        }
      >
        <Typography.Title level={4}>{n!.title}</Typography.Title>
        <div className="mb-muted" style={{ marginBottom: 12 }}>
          {n!.publisherName} · {time(n!.publishedAt)} · 发送范围：{n!.scopeLabel} · 已读 {n!.readCount}/
          {n!.recipientCount}
        </div>
        <div className="mb-log-body">{n!.body}</div>
      </Card>
      {r && (
        <Card
          size="small"
          title={`阅读回执（已读 ${r.readCount} / ${r.recipientCount}）`}
          style={{ marginTop: 12 }}
          data-testid="receipts"
        >
          <Tabs
            items={[
              { key: "unread", label: `未读 ${r.unread.length}`, children: <ReceiptList people={r.unread} /> },
              { key: "read", label: `已读 ${r.read.length}`, children: <ReceiptList people={r.read} /> },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
