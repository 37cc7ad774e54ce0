/** Information reports (信息报送) and publicity (宣传): my items, the review desk, everything visible; submit and record. */
import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Select, Space, Tabs } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import {
  INFO_STATUSES,
  INFO_STATUS_LABELS,
  OUTLET_LEVELS,
  OUTLET_LEVEL_LABELS,
  PUBLICITY_STATUSES,
  PUBLICITY_STATUS_LABELS,
  type InfoCreateParams,
  type InfoReportView,
  type InfoStatus,
  type PublicityCreateParams,
  type PublicityStatus,
  type PublicityView,
} from "@shared/contracts/info";
import type { ListResult } from "@shared/contracts/notices";
import { api, get } from "../../lib/api";
import { today, useLookup, useUser } from "../../lib/hooks";
import { isOffice } from "../../lib/info";
import { useCommand } from "../../lib/useCommand";
import { ListTable, PAGE_SIZE, StatusFilter } from "../../components/ListTable";
import { ErrorState } from "../../components/States";
import { StaffSelect } from "../../components/StaffSelect";
import { ReportFields } from "./ReportFields";
import { InfoStatusTag, PublicityStatusTag } from "./Trail";

type Box = "mine" | "review" | "all";
const time = (v: string | null) => (v ? dayjs(v).format("YYYY-MM-DD HH:mm") : "—");

function ReportForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<InfoCreateParams>();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { busy, run } = useCommand(form, "报送失败");
  async function send(submit: boolean) {
    const v = await form.validateFields();
    await run(
      (commandId) => api<InfoReportView>("POST", "/api/info/info", { ...v, submit, commandId }),
      (r) => {
        message.success(submit ? "信息已报送，等待办公室审核" : "草稿已保存");
        void qc.invalidateQueries({ queryKey: ["info-list"] });
        onClose();
        nav(`/info/reports/${r.id}`);
      },
    );
  }
  return (
    <Modal
      open={open}
      title="报送信息"
      onCancel={onClose}
      width={720}
      forceRender
      footer={
        <Space>
          <Button onClick={() => void send(false)} loading={busy}>
            存为草稿
          </Button>
          <Button type="primary" onClick={() => void send(true)} loading={busy} data-testid="info-submit">
            报送
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" data-testid="info-form">
        <ReportFields />
      </Form>
    </Modal>
  );
}

function PublicityForm({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useUser();
  const lookup = useLookup();
  const [form] = Form.useForm<Omit<PublicityCreateParams, "publishedOn"> & { publishedOn: dayjs.Dayjs }>();
  const qc = useQueryClient();
  const nav = useNavigate();
  const { message } = App.useApp();
  const { busy, run } = useCommand(form, "登记失败");
  async function save() {
    const v = await form.validateFields();
    await run(
      (commandId) =>
        api<PublicityView>("POST", "/api/info/publicity", {
          ...v,
          publishedOn: v.publishedOn.format("YYYY-MM-DD"),
          url: v.url || null,
          summary: v.summary || null,
          authorStaffId: v.authorStaffId || undefined,
          commandId,
        }),
      (r) => {
        message.success("宣传稿件已登记，等待办公室核实");
        void qc.invalidateQueries({ queryKey: ["publicity-list"] });
        onClose();
        nav(`/info/publicity/${r.id}`);
      },
    );
  }
  return (
    <Modal
      open={open}
      title="登记宣传稿件"
      onCancel={onClose}
      onOk={() => void save()}
      okText="登记"
      confirmLoading={busy}
      width={640}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ outletLevel: "city", publishedOn: dayjs(today()) }}
        data-testid="publicity-form"
      >
        <Form.Item
          name="title"
          label="稿件标题"
          rules={[{ required: true, whitespace: true, max: 200, message: "请填写标题" }]}
        >
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="outlet"
            label="刊发媒体"
            rules={[{ required: true, whitespace: true, message: "请填写媒体" }]}
          >
            <Input style={{ width: 240 }} placeholder="如：张家口日报" />
          </Form.Item>
          <Form.Item name="outletLevel" label="媒体级别" rules={[{ required: true }]}>
            <Select
              style={{ width: 120 }}
              options={OUTLET_LEVELS.map((l) => ({ value: l, label: OUTLET_LEVEL_LABELS[l] }))}
            />
          </Form.Item>
          <Form.Item name="publishedOn" label="刊发日期" rules={[{ required: true, message: "请选择日期" }]}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Form.Item name="url" label="链接" rules={[{ type: "url", message: "请填写完整网址" }]}>
          <Input placeholder="https://" />
        </Form.Item>
        <Form.Item name="summary" label="摘要">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        {isOffice(me, lookup) && (
          <Form.Item name="authorStaffId" label="作者（办公室可为本单位人员登记；默认本人）">
            <StaffSelect orgId={me.orgId} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** What differs between the reports list and the publicity list; the rest is one component. */
interface ListKind<T, S extends string> {
  path: string;
  queryKey: string;
  statuses: readonly S[];
  statusLabels: Record<S, string>;
  empty: { review: string; other: string };
  testId: string;
  columns: (orgName: (id: string) => string) => ColumnsType<T>;
}

const REPORTS: ListKind<InfoReportView, InfoStatus> = {
  path: "/api/info/info",
  queryKey: "info-list",
  statuses: INFO_STATUSES,
  statusLabels: INFO_STATUS_LABELS,
  empty: { review: "没有待审核的信息", other: "没有信息" },
  testId: "info-table",
  columns: (orgName) => [
    { title: "标题", dataIndex: "title", render: (v: string, r) => <Link to={`/info/reports/${r.id}`}>{v}</Link> },
    { title: "作者", dataIndex: "authorName", width: 80 },
    { title: "单位", dataIndex: "orgId", width: 90, render: (v: string) => orgName(v) },
    { title: "类别", dataIndex: "category", width: 90, render: (v: string | null) => v ?? "—" },
    { title: "状态", key: "s", width: 220, render: (_: unknown, r) => <InfoStatusTag r={r} /> },
    { title: "报送时间", dataIndex: "submittedAt", width: 140, render: time },
  ],
};

const PUBLICITY: ListKind<PublicityView, PublicityStatus> = {
  path: "/api/info/publicity",
  queryKey: "publicity-list",
  statuses: PUBLICITY_STATUSES,
  statusLabels: PUBLICITY_STATUS_LABELS,
  empty: { review: "没有待核实的稿件", other: "没有宣传稿件" },
  testId: "publicity-table",
  columns: (orgName) => [
    { title: "稿件", dataIndex: "title", render: (v: string, r) => <Link to={`/info/publicity/${r.id}`}>{v}</Link> },
    {
      title: "媒体",
      dataIndex: "outlet",
      width: 140,
      render: (v: string, r) => `${v}（${OUTLET_LEVEL_LABELS[r.outletLevel]}）`,
    },
    { title: "刊发日期", dataIndex: "publishedOn", width: 100 },
    { title: "作者", dataIndex: "authorName", width: 80 },
    { title: "单位", dataIndex: "orgId", width: 90, render: (v: string) => orgName(v) },
    {
      title: "状态",
      key: "s",
      width: 120,
      render: (_: unknown, r) => (
        <>
          <PublicityStatusTag status={r.status} />
          {r.points != null && `${r.points} 分`}
        </>
      ),
    },
  ],
};

function BoxList<T extends { id: string }, S extends string>({
  kind,
  box,
  year,
}: {
  kind: ListKind<T, S>;
  box: Box;
  year: number;
}) {
  const { orgName } = useLookup();
  const [status, setStatus] = useState<S | undefined>();
  const [page, setPage] = useState(1);
  const params = { box, year, status, page, limit: PAGE_SIZE };
  const q = useQuery({
    queryKey: [kind.queryKey, params],
    queryFn: () => get<ListResult<T>>(kind.path, params),
    placeholderData: (p) => p,
  });
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <>
      <StatusFilter
        statuses={kind.statuses}
        labels={kind.statusLabels}
        value={status}
        onChange={(v) => (setStatus(v), setPage(1))}
      />
      <ListTable<T>
        data={q.data}
        loading={q.isFetching}
        page={page}
        onPage={setPage}
        scrollX={900}
        empty={box === "review" ? kind.empty.review : kind.empty.other}
        unit="篇"
        testId={kind.testId}
        columns={kind.columns(orgName)}
      />
    </>
  );
}

export default function Info() {
  const me = useUser();
  const lookup = useLookup();
  const office = isOffice(me, lookup);
  const [params, setParams] = useSearchParams();
  const kind = params.get("kind") === "publicity" ? "publicity" : "reports";
  const box = (params.get("box") as Box | null) ?? (office ? "review" : "mine");
  const [year, setYear] = useState(Number(today().slice(0, 4)));
  const [creating, setCreating] = useState<"report" | "publicity" | null>(null);
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    p.set(k, v);
    setParams(p, { replace: true });
  };
  const boxes = [
    { value: "mine", label: kind === "reports" ? "我的信息" : "我的稿件" },
    ...(office ? [{ value: "review", label: kind === "reports" ? "待我审核" : "待我核实" }] : []),
    { value: "all", label: "全部可见" },
  ];
  return (
    <div className="mb-page" data-testid="info-page">
      <Card size="small">
        <Tabs
          activeKey={kind}
          onChange={(k) => set("kind", k)}
          tabBarExtraContent={
            <Space className="mb-no-print">
              <DatePicker
                picker="year"
                value={dayjs(`${year}-01-01`)}
                allowClear={false}
                onChange={(v) => v && setYear(v.year())}
              />
              {me.staffId && (
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  onClick={() => setCreating(kind === "reports" ? "report" : "publicity")}
                  data-testid="info-new"
                >
                  {kind === "reports" ? "报送信息" : "登记宣传"}
                </Button>
              )}
            </Space>
          }
          items={[
            { key: "reports", label: "信息报送", children: null },
            { key: "publicity", label: "宣传", children: null },
          ]}
        />
        <Segmented
          value={box}
          onChange={(v) => set("box", String(v))}
          options={boxes}
          style={{ marginBottom: 12 }}
          className="mb-no-print"
        />
        {kind === "reports" ? (
          <BoxList key={box} kind={REPORTS} box={box} year={year} />
        ) : (
          <BoxList key={box} kind={PUBLICITY} box={box} year={year} />
        )}
      </Card>
      <ReportForm open={creating === "report"} onClose={() => setCreating(null)} />
      <PublicityForm open={creating === "publicity"} onClose={() => setCreating(null)} />
    </div>
  );
}
