import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from "antd";
import { useState } from "react";
import { ROLE_LABELS, isCityWide, type Role } from "@shared/auth";
import { grantableRoles, may } from "@shared/permissions";
import type { AccountView } from "@shared/contracts/accounts";
import { api, ApiError, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { PageError } from "../../components/States";

const PAGE = 50;

export default function Users() {
  const me = useUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { orgs, orgName, divisionName } = useLookup();
  const [q, setQ] = useState("");
  const [orgId, setOrgId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [roles, setRoles] = useState<AccountView | null>(null);
  const [pwd, setPwd] = useState<AccountView | null>(null);
  const [form] = Form.useForm();
  const list = useQuery({
    queryKey: ["accounts", q, orgId, page],
    queryFn: () =>
      get<{ items: AccountView[]; total: number }>("/api/accounts", { q, orgId, limit: PAGE, skip: (page - 1) * PAGE }),
    placeholderData: (p) => p,
  });
  const manages = (a: AccountView) => may(me, "accounts.manage", { accountId: a.id, orgId: a.orgId, roles: a.roles });
  const refresh = () => qc.invalidateQueries({ queryKey: ["accounts"] });

  async function run(fn: () => Promise<unknown>, ok: string) {
    try {
      await fn();
      message.success(ok);
      await refresh();
      return true;
    } catch (err) {
      message.error(err instanceof ApiError ? (err.fields[0]?.message ?? err.message) : "操作失败");
      return false;
    }
  }

  if (list.isError) return <PageError error={list.error} />;
  return (
    <div className="mb-page">
      <Card size="small" title="用户与角色">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            placeholder="用户名或姓名"
            allowClear
            onSearch={(v) => {
              setQ(v.trim());
              setPage(1);
            }}
            style={{ width: 220 }}
          />
          {isCityWide(me) && (
            <Select
              allowClear
              placeholder="全部单位"
              style={{ width: 140 }}
              value={orgId}
              onChange={(v) => {
                setOrgId(v);
                setPage(1);
              }}
              options={orgs.map((o) => ({ value: o.id, label: o.shortName }))}
            />
          )}
        </Space>
        <Table<AccountView>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          scroll={{ x: 860 }}
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total,
            onChange: setPage,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 个账号`,
          }}
          columns={[
            { title: "用户名", dataIndex: "username", width: 110 },
            { title: "姓名", dataIndex: "name", width: 80 },
            { title: "单位", dataIndex: "orgId", width: 90, render: (v: string) => orgName(v) },
            { title: "处室", dataIndex: "divisionId", width: 110, render: (v: string | null) => divisionName(v) },
            {
              title: "角色",
              dataIndex: "roles",
              render: (r: Role[]) => r.map((x) => <Tag key={x}>{ROLE_LABELS[x]}</Tag>),
            },
            {
              title: "状态",
              key: "s",
              width: 90,
              render: (_: unknown, a) =>
                a.locked ? (
                  <Tag color="red">已锁定</Tag>
                ) : a.disabled ? (
                  <Tag>已停用</Tag>
                ) : (
                  <Tag color="green">正常</Tag>
                ),
            },
            {
              title: "操作",
              key: "op",
              width: 230,
              render: (_: unknown, a) =>
                manages(a) ? (
                  <Space size={4}>
                    <Button size="small" onClick={() => setRoles(a)}>
                      角色
                    </Button>
                    <Button
                      size="small"
                      onClick={() => {
                        form.resetFields();
                        setPwd(a);
                      }}
                    >
                      重置密码
                    </Button>
                    <Switch
                      size="small"
                      checked={!a.disabled}
                      checkedChildren="启用"
                      unCheckedChildren="停用"
                      onChange={(on) =>
                        void run(
                          () => api("PUT", `/api/accounts/${a.id}/disabled`, { disabled: !on }),
                          on ? "已启用" : "已停用，该账号的登录已失效",
                        )
                      }
                    />
                  </Space>
                ) : (
                  <span className="mb-muted">{a.id === me.accountId ? "本人账号" : "无权管理"}</span>
                ),
            },
          ]}
        />
      </Card>
      <RolesModal
        account={roles}
        onClose={() => setRoles(null)}
        onSave={(a, r) =>
          run(() => api("PUT", `/api/accounts/${a.id}/roles`, { roles: r }), "角色已更新").then(
            (ok) => ok && setRoles(null),
          )
        }
      />
      <Modal
        open={!!pwd}
        title={`重置密码：${pwd?.name ?? ""}`}
        onCancel={() => setPwd(null)}
        onOk={() => form.submit()}
        okText="重置"
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: { newPassword: string }) =>
            void run(
              () => api("POST", `/api/accounts/${pwd!.id}/password`, v),
              "密码已重置，用户下次登录需修改密码",
            ).then((ok) => ok && setPwd(null))
          }
        >
          <Form.Item
            name="newPassword"
            label="新密码"
            rules={[{ required: true, min: 8, message: "至少 8 位，含大小写字母、数字、符号中的 3 类" }]}
            extra="至少 8 位，包含大写字母、小写字母、数字、符号中的 3 类。"
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function RolesModal({
  account,
  onClose,
  onSave,
}: {
  account: AccountView | null;
  onClose: () => void;
  onSave: (a: AccountView, r: Role[]) => void;
}) {
  const me = useUser();
  const [value, setValue] = useState<Role[]>([]);
  return (
    <Modal
      open={!!account}
      title={`设置角色：${account?.name ?? ""}`}
      onCancel={onClose}
      onOk={() => account && onSave(account, value)}
      afterOpenChange={(o) => o && account && setValue(account.roles)}
      okButtonProps={{ disabled: !value.length }}
    >
      <Select
        mode="multiple"
        style={{ width: "100%" }}
        value={value}
        onChange={setValue}
        options={grantableRoles(me).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
      />
    </Modal>
  );
}
