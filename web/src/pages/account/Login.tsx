import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useEffect, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import type { LoginResult } from "@shared/contracts/accounts";
import { ApiError } from "../../lib/api";
import { useSession } from "../../lib/hooks";
import { loadMy, loadShell } from "../../lib/preload";
import { session } from "../../lib/session";

const TITLES: Record<string, string> = {
  LOGIN_FAILED: "用户名或密码错误",
  ACCOUNT_LOCKED: "账号已锁定",
  ACCOUNT_DISABLED: "账号已停用",
  RATE_LIMITED: "尝试过于频繁",
  SESSION_EXPIRED: "登录已过期",
};

/** Only same-site paths may be returned to. */
function safeFrom(from: string | null): string {
  return from && from.startsWith("/") && !from.startsWith("//") && !from.startsWith("/login") ? from : "/me";
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const nav = useNavigate();
  const s = useSession();
  const [ended] = useState(() => session.endReason());
  const [error, setError] = useState<{ type: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const from = safeFrom(params.get("from"));
  useEffect(() => {
    // Warm the next chunks while the user types, so signing in goes straight to a rendered page.
    const t = setTimeout(() => void Promise.all([loadShell(), loadMy()]), 300);
    return () => clearTimeout(t);
  }, []);
  if (s) return <Navigate to={from} replace />;

  async function onFinish(v: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/accounts/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(v),
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        const e = body?.error ?? {};
        throw new ApiError(res.status, e.type ?? "HTTP_" + res.status, e.message ?? "登录失败，请稍后再试");
      }
      session.set(body as LoginResult);
      nav(from, { replace: true });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, "NETWORK", "无法连接服务器，请检查网络后重试");
      if (e.type === "VALIDATION_ERROR")
        setError({ type: "LOGIN_FAILED", message: "请输入用户名和密码（密码至少 8 位）" });
      else setError({ type: e.type, message: e.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        padding: 16,
        background: "linear-gradient(160deg,#1f4e8c 0%,#2f6db3 45%,#f4f6f9 45%)",
      }}
    >
      <Card style={{ width: "100%", maxWidth: 380 }} data-testid="login-card">
        <Typography.Title level={3} style={{ marginBottom: 0, textAlign: "center" }}>
          明白
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          张家口市财政局干部管理平台
        </Typography.Paragraph>
        {ended && !error && (
          <Alert
            type="warning"
            showIcon
            title="登录已过期"
            description={ended}
            style={{ marginBottom: 16 }}
            data-testid="login-expired"
          />
        )}
        {params.get("expired") && !ended && !error && (
          <Alert
            type="warning"
            showIcon
            title="登录已过期"
            description="长时间未操作，请重新登录。"
            style={{ marginBottom: 16 }}
          />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            title={TITLES[error.type] ?? "登录失败"}
            description={error.message}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            data-error-type={error.type}
          />
        )}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false} size="large">
          <Form.Item name="username" rules={[{ required: true, message: "请输入用户名或手机号" }]}>
            <Input prefix={<UserOutlined />} placeholder="用户名或手机号" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} placeholder="密码" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 12, textAlign: "center" }}>
          连续输错 5 次密码，账号将锁定 15 分钟。忘记密码请联系本单位管理员。
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
