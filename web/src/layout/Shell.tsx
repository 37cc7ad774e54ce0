import {
  AlertOutlined,
  AuditOutlined,
  InboxOutlined,
  BellOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ClusterOutlined,
  EditOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  HomeOutlined,
  MenuOutlined,
  MessageOutlined,
  NotificationOutlined,
  ProjectOutlined,
  SettingOutlined,
  SoundOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from "@ant-design/icons";
import { Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router";
import { ROLE_LABELS, type AuthUser } from "@shared/auth";
import { holds } from "@shared/permissions";
import { api } from "../lib/api";
import { useLookup, useUser } from "../lib/hooks";
import { LANG_KEY } from "../lib/i18n";
import { session } from "../lib/session";
import { disconnectSocket } from "../lib/socket";
import { Bell } from "./Bell";

/** Menu entries a user may use; what a role may not do is not shown. */
function menuItems(user: AuthUser, t: (k: string) => string): MenuProps["items"] {
  const admin: NonNullable<MenuProps["items"]> = [];
  if (holds(user, "accounts.administer"))
    admin.push({ key: "/admin/users", icon: <UserOutlined />, label: t("nav.users") });
  if (holds(user, "worklog.setPolicy"))
    admin.push({ key: "/admin/policies", icon: <FileTextOutlined />, label: t("nav.policies") });
  if (holds(user, "reminders.read")) {
    admin.push({ key: "/admin/reminders", icon: <AlertOutlined />, label: t("nav.reminderSettings") });
    admin.push({ key: "/admin/sms", icon: <MessageOutlined />, label: t("nav.sms") });
  }
  if (holds(user, "documents.configureFlows"))
    admin.push({ key: "/admin/flows", icon: <FileTextOutlined />, label: t("nav.flows") });
  if (holds(user, "audit.read")) admin.push({ key: "/admin/audit", icon: <AuditOutlined />, label: t("nav.audit") });
  if (holds(user, "events.replayDeadLetters"))
    admin.push({ key: "/admin/dead-letters", icon: <InboxOutlined />, label: t("nav.deadLetters") });
  return [
    { key: "/me", icon: <HomeOutlined />, label: t("nav.me") },
    { key: "/worklog", icon: <NotificationOutlined />, label: t("nav.square") },
    ...(user.staffId ? [{ key: "/worklog/write", icon: <EditOutlined />, label: t("nav.write") }] : []),
    { key: "/compare", icon: <BarChartOutlined />, label: t("nav.compare") },
    { key: "/orgs", icon: <ClusterOutlined />, label: t("nav.orgs") },
    { key: "/staff", icon: <TeamOutlined />, label: t("nav.staff") },
    ...(holds(user, "attendance.enter")
      ? [{ key: "/attendance", icon: <CalendarOutlined />, label: t("nav.attendance") }]
      : []),
    { key: "/plans", icon: <ProjectOutlined />, label: t("nav.plans") },
    { key: "/info", icon: <FileDoneOutlined />, label: t("nav.info") },
    { key: "/notices", icon: <SoundOutlined />, label: t("nav.notices") },
    {
      key: "documents",
      icon: <FileDoneOutlined />,
      label: t("nav.documents"),
      children: [
        { key: "/documents/todo", label: "待办" },
        { key: "/documents/done", label: "已办" },
        { key: "/documents/drafts", label: "我的拟稿" },
        { key: "/documents/register", label: "收文登记" },
        ...(user.staffId ? [{ key: "/documents/new", label: "发文" }] : []),
        { key: "/documents/search", label: "查询" },
        { key: "/documents/archive", label: "归档" },
      ],
    },
    { key: "/reminders", icon: <BellOutlined />, label: t("nav.reminders") },
    { key: "/assessment", icon: <TrophyOutlined />, label: t("nav.assessment") },
    ...(admin.length ? [{ key: "admin", icon: <SettingOutlined />, label: t("nav.admin"), children: admin }] : []),
  ];
}

export function Shell() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const nav = useNavigate();
  const loc = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const { orgName, divisionName } = useLookup();
  const items = menuItems(user, t);
  const selected = [...(items ?? []), ...(items ?? []).flatMap((i) => (i && "children" in i ? (i.children ?? []) : []))]
    .map((i) => String(i?.key ?? ""))
    .filter((k) => k !== "admin" && (loc.pathname === k || loc.pathname.startsWith(k + "/")))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  useEffect(() => () => disconnectSocket(), []);

  async function logout() {
    await api("POST", "/api/accounts/logout").catch(() => {});
    disconnectSocket();
    session.clear();
    nav("/login", { replace: true });
  }

  function switchLang() {
    const next = i18n.language === "en" ? "zh-CN" : "en";
    localStorage.setItem(LANG_KEY, next);
    void i18n.changeLanguage(next);
  }

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      defaultOpenKeys={loc.pathname.startsWith("/admin") ? ["admin"] : []}
      onClick={(e) => {
        nav(e.key);
        setDrawer(false);
      }}
      style={{ borderInlineEnd: 0 }}
      data-testid="nav"
    />
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header className="mb-header mb-no-print">
        {mobile && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label="菜单" />}
        <div className="mb-brand" onClick={() => nav("/me")} style={{ cursor: "pointer" }}>
          {t("appName")}
          <small>{t("appFull")}</small>
        </div>
        <div style={{ flex: 1 }} />
        <Bell />
        <Button type="text" onClick={switchLang} className="mb-hide-mobile">
          {t("common.language")}
        </Button>
        <Dropdown
          menu={{
            items: [
              { key: "who", label: `${orgName(user.orgId)} ${divisionName(user.divisionId)}`, disabled: true },
              { key: "roles", label: user.roles.map((r) => ROLE_LABELS[r]).join("、"), disabled: true },
              ...(mobile ? [{ key: "lang", label: t("common.language") }] : []),
              { type: "divider" as const },
              { key: "logout", label: t("common.logout"), danger: true },
            ],
            onClick: (e) => (e.key === "logout" ? void logout() : e.key === "lang" ? switchLang() : undefined),
          }}
        >
          <Button type="text" data-testid="user-menu" style={{ color: "#fff" }}>
            {user.name}
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        {mobile ? (
          <Drawer
            open={drawer}
            onClose={() => setDrawer(false)}
            placement="left"
            size={240}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider width={200} theme="light" className="mb-no-print" style={{ borderRight: "1px solid #eee" }}>
            {menu}
          </Layout.Sider>
        )}
        <Layout.Content style={{ minWidth: 0 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
