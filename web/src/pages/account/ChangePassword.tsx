/**
 * Changing one's password. A one-time, reset or expired password comes here straight after sign-in,
 * and nothing else opens until it is changed (the server refuses everything else meanwhile).
 */
import { Alert, App, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, ApiError } from "../../lib/api";
import { useSession } from "../../lib/hooks";
import { session } from "../../lib/session";

const RULE = "至少 8 位，包含大写字母、小写字母、数字、符号中的 3 类。";

export default function ChangePassword() {
  const s = useSession();
  const nav = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const forced = !!s?.mustChangePassword;

  async function onFinish(v: { currentPassword: string; newPassword: string }) {
    setBusy(true);
    try {
      const { currentPassword, newPassword } = v;
      await api("POST", "/api/accounts/password", { currentPassword, newPassword });
      const now = session.get();
      if (now) session.set({ ...now, mustChangePassword: false, user: { ...now.user, mustChangePassword: false } });
      message.success("密码已修改，其他设备上的登录已退出");
      nav("/me", { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.fields.length)
        form.setFields(err.fields.map((f) => ({ name: f.field, errors: [f.message] })));
      else message.error(err instanceof ApiError ? err.message : "修改失败，请稍后再试");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ maxWidth: 420, margin: "48px auto", padding: 16 }}>
      <Card data-testid="change-password">
        <Typography.Title level={4}>修改密码</Typography.Title>
        {forced && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title="请先修改密码"
            description="您正在使用初始密码、管理员重置的密码或已过期的密码，修改后才能使用系统。"
          />
        )}
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: "请输入当前密码" }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item name="newPassword" label="新密码" extra={RULE} rules={[{ required: true, min: 8, message: RULE }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label="再次输入新密码"
            dependencies={["newPassword"]}
            rules={[
              { required: true, message: "请再次输入新密码" },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue("newPassword") ? Promise.resolve() : Promise.reject(new Error("两次输入不一致")),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            修改密码
          </Button>
          {forced && (
            <Button
              type="link"
              block
              onClick={() => void api("POST", "/api/accounts/logout", {}).finally(() => session.clear())}
            >
              退出登录
            </Button>
          )}
        </Form>
      </Card>
    </div>
  );
}
