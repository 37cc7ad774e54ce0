/** Plans (计划): a division's annual tasks, its month (arrangement and completion), and HR's completion matrix. */
import { Button, Card, DatePicker, Space, Tabs } from "antd";
import dayjs from "dayjs";
import { lazy, Suspense, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import { holds } from "@shared/permissions";
import { today, useLookup, useUser } from "../../lib/hooks";
import { DivisionPicker } from "../../components/DivisionPicker";
import { EmptyState, Loading } from "../../components/States";

const Tasks = lazy(() => import("./Tasks"));
const Month = lazy(() => import("./Month"));
const Matrix = lazy(() => import("./Matrix"));

type Tab = "tasks" | "month" | "matrix";

export default function Plans() {
  const me = useUser();
  const { orgs } = useLookup();
  const [params, setParams] = useSearchParams();
  const mayMatrix = holds(me, "plans.readMatrix");
  const asked = params.get("tab") as Tab | null;
  const tab: Tab =
    asked === "matrix" && !mayMatrix ? "tasks" : (asked ?? (mayMatrix && !me.divisionId ? "matrix" : "tasks"));
  const orgId = params.get("org") ?? me.orgId;
  const divisionId =
    params.get("div") ??
    (orgId === me.orgId ? me.divisionId : orgs.find((o) => o.id === orgId)?.divisions[0]?.id) ??
    undefined;
  const month = params.get("month") ? dayjs(`${params.get("month")}-01`) : dayjs(today());
  const year = month.year();

  function set(next: Record<string, string | undefined>) {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next))
      if (v) p.set(k, v);
      else p.delete(k);
    setParams(p, { replace: true });
  }

  const picker = (withMonth: boolean) => (
    <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
      {withMonth ? (
        <>
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            onChange={(v) => v && set({ month: v.format("YYYY-MM") })}
            data-testid="month-picker"
          />
          <Button size="small" onClick={() => set({ month: dayjs(today()).subtract(1, "month").format("YYYY-MM") })}>
            上月
          </Button>
          <Button size="small" onClick={() => set({ month: undefined })}>
            本月
          </Button>
          <Button size="small" onClick={() => set({ month: dayjs(today()).add(1, "month").format("YYYY-MM") })}>
            下月
          </Button>
        </>
      ) : (
        <DatePicker
          picker="year"
          value={month}
          allowClear={false}
          onChange={(v) => v && set({ month: `${v.year()}-${month.format("MM")}` })}
        />
      )}
      {tab !== "matrix" && (
        <DivisionPicker
          orgId={orgId}
          divisionId={divisionId}
          onChange={(o, d) => set({ org: o === me.orgId ? undefined : o, div: d })}
        />
      )}
      {tab !== "matrix" && <Button onClick={() => window.print()}>打印</Button>}
    </Space>
  );

  const body = (el: ReactNode) => <Suspense fallback={<Loading rows={8} />}>{el}</Suspense>;
  const needDivision = <EmptyState title="请选择处室" />;

  return (
    <div className="mb-page" style={{ maxWidth: "none" }} data-testid="plans-page">
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => set({ tab: k })}
          items={[
            {
              key: "tasks",
              label: "年度任务",
              children: (
                <>
                  {picker(false)}
                  {divisionId ? body(<Tasks orgId={orgId} divisionId={divisionId} year={year} />) : needDivision}
                </>
              ),
            },
            {
              key: "month",
              label: "月度安排与完成",
              children: (
                <>
                  {picker(true)}
                  {divisionId ? body(<Month orgId={orgId} divisionId={divisionId} month={month} />) : needDivision}
                </>
              ),
            },
            ...(mayMatrix
              ? [
                  {
                    key: "matrix",
                    label: "完成矩阵",
                    children: (
                      <>
                        {picker(false)}
                        {body(<Matrix year={year} />)}
                      </>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
