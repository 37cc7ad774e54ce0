import { Result, Spin } from "antd";
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { useSession } from "./lib/hooks";
import LoginPage from "./pages/account/Login";
import { loadMy, loadShell } from "./lib/preload";

// Every page is its own chunk. The login page loads first; the shell (menu, bell, socket.io) and
// My page are fetched while the user types the password.
const Shell = lazy(() => loadShell().then((m) => ({ default: m.Shell })));
const My = lazy(loadMy);
const Square = lazy(() => import("./pages/worklog/Square"));
const Write = lazy(() => import("./pages/worklog/Write"));
const LogDetail = lazy(() => import("./pages/worklog/LogDetail"));
const Compare = lazy(() => import("./pages/worklog/Compare"));
const Person = lazy(() => import("./pages/people/Person"));
const Division = lazy(() => import("./pages/people/Division"));
const Org = lazy(() => import("./pages/people/Org"));
const Staff = lazy(() => import("./pages/people/Staff"));
const Attendance = lazy(() => import("./pages/people/Attendance"));
const Plans = lazy(() => import("./pages/plans/Plans"));
const Assessment = lazy(() => import("./pages/assessment/Assessment"));
const Info = lazy(() => import("./pages/info/Info"));
const ReportDetail = lazy(() => import("./pages/info/InfoDetail").then((m) => ({ default: m.ReportDetail })));
const PublicityDetail = lazy(() => import("./pages/info/InfoDetail").then((m) => ({ default: m.PublicityDetail })));
const Notices = lazy(() => import("./pages/notices/Notices"));
const NoticeDetail = lazy(() => import("./pages/notices/Notices").then((m) => ({ default: m.NoticeDetail })));
const Documents = lazy(() => import("./pages/documents/Documents"));
const DocumentDetail = lazy(() => import("./pages/documents/DocumentDetail"));
const DocumentPrint = lazy(() => import("./pages/documents/PrintView"));
const FlowSettings = lazy(() => import("./pages/documents/FlowSettings"));
const Users = lazy(() => import("./pages/admin/Users"));
const Policies = lazy(() => import("./pages/admin/Policies"));
const Audit = lazy(() => import("./pages/admin/Audit"));
const DeadLetters = lazy(() => import("./pages/admin/DeadLetters"));
const MyReminders = lazy(() => import("./pages/reminders/MyReminders"));
const ReminderSettings = lazy(() => import("./pages/admin/ReminderSettings"));
const Sms = lazy(() => import("./pages/admin/Sms"));
const ChangePassword = lazy(() => import("./pages/account/ChangePassword"));

function RequireAuth({ children }: { children: ReactNode }) {
  const s = useSession();
  const loc = useLocation();
  if (!s) return <Navigate to={`/login?from=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  // A one-time, reset or expired password: nothing but the change opens (the server agrees).
  if (s.mustChangePassword && loc.pathname !== "/password") return <Navigate to="/password" replace />;
  return <>{children}</>;
}

const page = (el: ReactNode) => (
  <Suspense fallback={<Spin style={{ display: "block", margin: "80px auto" }} />}>{el}</Suspense>
);

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/password" element={<RequireAuth>{page(<ChangePassword />)}</RequireAuth>} />
      <Route
        element={
          <RequireAuth>
            <Suspense fallback={<Spin style={{ display: "block", margin: "120px auto" }} />}>
              <Shell />
            </Suspense>
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/me" replace />} />
        <Route path="/me" element={page(<My />)} />
        <Route path="/worklog" element={page(<Square />)} />
        <Route path="/worklog/write" element={page(<Write />)} />
        <Route path="/worklog/logs/:id" element={page(<LogDetail />)} />
        <Route path="/people/:id" element={page(<Person />)} />
        <Route path="/divisions/:id" element={page(<Division />)} />
        <Route path="/orgs" element={page(<Org />)} />
        <Route path="/orgs/:id" element={page(<Org />)} />
        <Route path="/compare" element={page(<Compare />)} />
        <Route path="/staff" element={page(<Staff />)} />
        <Route path="/attendance" element={page(<Attendance />)} />
        <Route path="/plans" element={page(<Plans />)} />
        <Route path="/assessment" element={page(<Assessment />)} />
        <Route path="/reminders" element={page(<MyReminders />)} />
        <Route path="/info" element={page(<Info />)} />
        <Route path="/info/reports/:id" element={page(<ReportDetail />)} />
        <Route path="/info/publicity/:id" element={page(<PublicityDetail />)} />
        <Route path="/notices" element={page(<Notices />)} />
        <Route path="/notices/:id" element={page(<NoticeDetail />)} />
        <Route path="/documents" element={<Navigate to="/documents/todo" replace />} />
        <Route path="/documents/items/:id" element={page(<DocumentDetail />)} />
        <Route path="/documents/items/:id/print" element={page(<DocumentPrint />)} />
        <Route path="/documents/:tab" element={page(<Documents />)} />
        <Route path="/admin/flows" element={page(<FlowSettings />)} />
        <Route path="/admin/users" element={page(<Users />)} />
        <Route path="/admin/policies" element={page(<Policies />)} />
        <Route path="/admin/audit" element={page(<Audit />)} />
        <Route path="/admin/dead-letters" element={page(<DeadLetters />)} />
        <Route path="/admin/reminders" element={page(<ReminderSettings />)} />
        <Route path="/admin/sms" element={page(<Sms />)} />
        <Route
          path="*"
          element={<Result status="404" title="页面不存在" subTitle="请检查地址，或从左侧菜单进入。" />}
        />
      </Route>
    </Routes>
  );
}
