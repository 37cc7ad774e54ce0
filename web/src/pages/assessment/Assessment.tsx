/** Assessment (考核): my score, the summaries ("生成汇总表"), the scheme and the frozen snapshots. */
import { Card, DatePicker, Tabs } from "antd";
import dayjs from "dayjs";
import { lazy, Suspense, type ReactNode } from "react";
import { useSearchParams } from "react-router";
import { may } from "@shared/permissions";
import { today, useUser } from "../../lib/hooks";
import { EmptyState, Loading } from "../../components/States";

const Summary = lazy(() => import("./Summary"));
const Breakdown = lazy(() => import("./Breakdown"));
const Scheme = lazy(() => import("./Scheme"));
const Snapshots = lazy(() => import("./Snapshots"));
const Rebuild = lazy(() => import("./Rebuild"));

export default function Assessment() {
  const me = useUser();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get("year") ?? today().slice(0, 4));
  const staffId = params.get("staffId") ?? me.staffId;
  const mayMine = !!staffId;
  const tab = params.get("tab") ?? (mayMine ? "mine" : "summary");
  const set = (k: string, v: string | undefined) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  const body = (el: ReactNode) => <Suspense fallback={<Loading rows={8} />}>{el}</Suspense>;

  return (
    <div className="mb-page" style={{ maxWidth: "none" }} data-testid="assessment-page">
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => set("tab", k)}
          tabBarExtraContent={
            <DatePicker
              picker="year"
              value={dayjs(`${year}-01-01`)}
              allowClear={false}
              onChange={(v) => v && set("year", String(v.year()))}
              className="mb-no-print"
            />
          }
          items={[
            {
              key: "mine",
              label: staffId === me.staffId ? "我的得分" : "得分明细",
              children: staffId ? (
                body(<Breakdown staffId={staffId} year={year} />)
              ) : (
                <EmptyState title="该账号未关联干部信息" />
              ),
            },
            { key: "summary", label: "汇总表", children: body(<Summary year={year} />) },
            { key: "scheme", label: "考核方案", children: body(<Scheme year={year} />) },
            ...(may(me, "assessment.readResults")
              ? [{ key: "snapshots", label: "冻结快照", children: body(<Snapshots year={year} />) }]
              : []),
            ...(may(me, "assessment.rebuild")
              ? [{ key: "rebuild", label: "重建计数", children: body(<Rebuild year={year} />) }]
              : []),
          ]}
        />
      </Card>
    </div>
  );
}
