/** 公文: 待办, 已办, 我的拟稿, 查询, 归档 lists, the draft editor (发文) and 收文登记. */
import { useQuery } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Select, Space, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import {
  DOC_KIND_LABELS,
  DOC_TYPES,
  SECRECY_LEVELS,
  URGENCIES,
  type DocumentList,
  type DocumentRow,
  type DocumentView,
} from "@shared/contracts/documents";
import { api, get } from "../../lib/api";
import { STAGE_LABELS, isDocOffice } from "../../lib/documents";
import { useLookup, useUser } from "../../lib/hooks";
import { useCommand } from "../../lib/useCommand";
import { ListTable } from "../../components/ListTable";

const LISTS = {
  todo: { title: "待办公文", path: "/api/documents/todo", empty: "没有待办公文" },
  done: { title: "已办公文", path: "/api/documents/done", empty: "还没有办理过公文" },
  drafts: { title: "我的拟稿", path: "/api/documents/drafts", empty: "还没有拟稿" },
  search: { title: "公文查询", path: "/api/documents/search", empty: "没有符合条件的公文" },
  archive: { title: "归档公文", path: "/api/documents/archive", empty: "没有归档公文" },
} as const;
type ListKey = keyof typeof LISTS;

function urgencyTag(u: DocumentRow["urgency"]) {
  return u === "平件" ? null : <Tag color={u === "特急" ? "red" : "orange"}>{u}</Tag>;
}

function DocList({ list }: { list: ListKey }) {
  const [page, setPage] = useState(1);
  const [q, setQ] = useState<{ q?: string; number?: string; sender?: string }>({});
  const spec = LISTS[list];
  const query = useQuery({
    queryKey: ["documents", list, page, q],
    queryFn: () => get<DocumentList>(spec.path, { page, ...(list === "search" ? q : {}) }),
  });
  return (
    <Card title={spec.title}>
      {list === "search" && (
        <Form layout="inline" onFinish={(v) => (setQ(v), setPage(1))} style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item name="q">
            <Input placeholder="标题、正文关键词" allowClear />
          </Form.Item>
          <Form.Item name="number">
            <Input placeholder="文号" allowClear />
          </Form.Item>
          <Form.Item name="sender">
            <Input placeholder="来文/发文单位" allowClear />
          </Form.Item>
          <Button htmlType="submit" type="primary">
            查询
          </Button>
        </Form>
      )}
      <ListTable<DocumentRow>
        data={query.data}
        loading={query.isLoading}
        page={page}
        onPage={setPage}
        empty={spec.empty}
        unit="件"
        testId={`documents-${list}`}
        columns={[
          {
            title: "标题",
            dataIndex: "title",
            render: (t: string, r) => (
              <Space size={4} wrap>
                {urgencyTag(r.urgency)}
                <Link to={`/documents/items/${r.id}`}>{t}</Link>
                {r.overdue && <Tag color="red">已超期</Tag>}
              </Space>
            ),
          },
          {
            title: "类别",
            dataIndex: "kind",
            width: 70,
            responsive: ["md"],
            render: (k: DocumentRow["kind"]) => DOC_KIND_LABELS[k],
          },
          {
            title: "文号",
            dataIndex: "number",
            width: 170,
            responsive: ["md"],
            render: (n: string | null) => n ?? "—",
          },
          {
            title: "状态",
            key: "stage",
            width: 110,
            render: (_, r) => r.stepName ?? STAGE_LABELS[r.stage],
          },
          {
            title: list === "todo" ? "期限" : "更新",
            key: "when",
            width: 110,
            render: (_, r) => (list === "todo" && r.dueDate ? r.dueDate : dayjs(r.updatedAt).format("MM-DD HH:mm")),
          },
        ]}
      />
    </Card>
  );
}

interface DraftForm {
  kind: "outgoing" | "request";
  title: string;
  docType: string;
  urgency: string;
  secrecy: string;
  body: string;
  mainTo?: string;
  copyTo?: string;
  countersignDivisionIds?: string[];
}

/** The body is typed as paragraphs; each line becomes a paragraph of the sanitised rich text. */
export const paragraphs = (text: string): string =>
  text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${l.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`)
    .join("");

function DraftEditor() {
  const me = useUser();
  const { orgs } = useLookup();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<DraftForm>();
  const { busy, run } = useCommand(form, "保存失败");
  const divisions = orgs.find((o) => o.id === me.orgId)?.divisions.filter((d) => d.id !== me.divisionId) ?? [];
  async function save() {
    const v = await form.validateFields();
    await run(
      () => api<DocumentView>("POST", "/api/documents/items", { ...v, body: paragraphs(v.body) }),
      (doc) => {
        message.success("草稿已保存");
        nav(`/documents/items/${doc.id}`);
      },
    );
  }
  return (
    <Card title="拟稿">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: "outgoing", docType: "通知", urgency: "平件", secrecy: "内部" }}
      >
        <Space wrap>
          <Form.Item name="kind" label="类别">
            <Select
              style={{ width: 120 }}
              options={[
                { value: "outgoing", label: "发文" },
                { value: "request", label: "签报/请示" },
              ]}
            />
          </Form.Item>
          <Form.Item name="docType" label="文种">
            <Select style={{ width: 110 }} options={DOC_TYPES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="urgency" label="紧急程度">
            <Select style={{ width: 110 }} options={URGENCIES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="secrecy" label="密级" extra="涉密公文不得在本系统处理">
            <Select style={{ width: 110 }} options={SECRECY_LEVELS.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
        </Space>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: "请输入标题" }]}>
          <Input maxLength={200} data-testid="doc-title" />
        </Form.Item>
        <Form.Item name="mainTo" label="主送">
          <Input placeholder="如：各县区财政局" />
        </Form.Item>
        <Form.Item name="body" label="正文" rules={[{ required: true, message: "请输入正文" }]} extra="每行一段">
          <Input.TextArea rows={10} data-testid="doc-body" />
        </Form.Item>
        <Form.Item name="countersignDivisionIds" label="会签处室">
          <Select
            mode="multiple"
            allowClear
            options={divisions.map((d) => ({ value: d.id, label: d.name }))}
            data-testid="doc-countersign"
          />
        </Form.Item>
        <Form.Item name="copyTo" label="抄送">
          <Input />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="doc-save">
          保存草稿
        </Button>
      </Form>
    </Card>
  );
}

function RegisterIncoming() {
  const nav = useNavigate();
  const [form] = Form.useForm();
  const { busy, run } = useCommand(form, "登记失败");
  async function save() {
    const v = await form.validateFields();
    await run(
      () => api<DocumentView>("POST", "/api/documents/incoming", { ...v, body: paragraphs(v.body ?? "") || "<p></p>" }),
      (doc) => nav(`/documents/items/${doc.id}`),
    );
  }
  return (
    <Card title="收文登记">
      <Form form={form} layout="vertical" initialValues={{ docType: "通知", urgency: "平件", secrecy: "内部" }}>
        <Form.Item name="senderName" label="来文单位" rules={[{ required: true, message: "请输入来文单位" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="sourceNumber" label="来文字号">
          <Input />
        </Form.Item>
        <Form.Item name="title" label="标题" rules={[{ required: true, message: "请输入标题" }]}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="docType" label="文种">
            <Select style={{ width: 110 }} options={DOC_TYPES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="urgency" label="紧急程度">
            <Select style={{ width: 110 }} options={URGENCIES.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="secrecy" label="密级">
            <Select style={{ width: 110 }} options={SECRECY_LEVELS.map((t) => ({ value: t, label: t }))} />
          </Form.Item>
        </Space>
        <Form.Item name="body" label="内容摘要">
          <Input.TextArea rows={5} />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void save()}>
          登记
        </Button>
      </Form>
    </Card>
  );
}

/** /documents/:tab */
export default function Documents() {
  const { tab = "todo" } = useParams();
  const me = useUser();
  const lookup = useLookup();
  return (
    <div className="mb-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        公文
      </Typography.Title>
      {tab === "new" ? (
        <DraftEditor />
      ) : tab === "register" ? (
        isDocOffice(me, lookup) ? (
          <RegisterIncoming />
        ) : (
          <Card>只有办公室可以登记收文</Card>
        )
      ) : (
        <DocList list={(tab in LISTS ? tab : "todo") as ListKey} />
      )}
    </div>
  );
}
