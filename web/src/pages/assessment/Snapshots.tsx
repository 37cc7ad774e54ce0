/** The year's frozen snapshot (冻结快照): its fingerprint, its results, and what a re-run would change. */
import { LockOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Descriptions, Result, Table, Tabs, Typography } from "antd";
import dayjs from "dayjs";
import {
  GRADE_LABELS,
  type DiffEntry,
  type Grade,
  type Snapshot,
  type SnapshotMeta,
  type SnapshotDiff,
} from "@shared/contracts/assessment";
import { api, ApiError, get } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { may } from "@shared/permissions";
import { EmptyState, ErrorState, Loading } from "../../components/States";

const LEVEL: Record<DiffEntry["level"], string> = { staff: "人员", division: "处室", org: "单位" };

export default function Snapshots({ year }: { year: number }) {
  const me = useUser();
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const { orgName } = useLookup();
  const snap = useQuery({
    queryKey: ["snapshot", year],
    queryFn: () => get<Snapshot>(`/api/assessment/snapshots/${year}`),
    retry: false,
  });
  const frozen = !!snap.data;
  const diff = useQuery({
    queryKey: ["snapshot-diff", year],
    enabled: frozen,
    queryFn: () => get<SnapshotDiff>(`/api/assessment/snapshots/${year}/diff`),
  });

  function freeze() {
    modal.confirm({
      title: `冻结 ${year} 年度考核结果？`,
      content: "冻结后保存当前全部结果的快照，方案不能再修改；之后的数据变化只在“与当前数据的差异”中显示。",
      okText: "冻结",
      onOk: async () => {
        try {
          const m = await api<SnapshotMeta>("POST", "/api/assessment/freeze", { year });
          message.success(`已冻结，指纹 ${m.hash.slice(0, 12)}…`);
          await qc.invalidateQueries({ queryKey: ["snapshot", year] });
          void qc.invalidateQueries({ queryKey: ["scheme", year] });
        } catch (err) {
          message.error(err instanceof Error ? err.message : "冻结失败");
        }
      },
    });
  }

  if (snap.isLoading) return <Loading rows={6} />;
  if (snap.isError && !(snap.error instanceof ApiError && snap.error.status === 404))
    return <ErrorState error={snap.error} onRetry={() => void snap.refetch()} />;
  if (!snap.data)
    return (
      <Result
        icon={<LockOutlined />}
        title={`${year} 年度尚未冻结`}
        subTitle="年度考核结束后，由市局人教处冻结结果；冻结后的快照不再随数据变化。"
        extra={
          may(me, "assessment.freeze") && (
            <Button type="primary" danger onClick={freeze} data-testid="freeze">
              冻结 {year} 年度结果
            </Button>
          )
        }
      />
    );
  const s = snap.data;
  return (
    <div data-testid="snapshot">
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="冻结时间">{dayjs(s.frozenAt).format("YYYY-MM-DD HH:mm")}</Descriptions.Item>
        <Descriptions.Item label="方案版本">第 {s.schemeVersion} 版</Descriptions.Item>
        <Descriptions.Item label="范围">
          {s.orgs} 个单位 · {s.divisions} 个处室 · {s.staff} 人
        </Descriptions.Item>
        <Descriptions.Item label="结果指纹（SHA-256）" span={3}>
          <Typography.Text code copyable style={{ wordBreak: "break-all" }}>
            {s.hash}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Tabs
        style={{ marginTop: 8 }}
        items={[
          {
            key: "orgs",
            label: "县区排名",
            children: (
              <Table
                size="small"
                bordered
                rowKey="orgId"
                pagination={false}
                dataSource={s.results.orgs.filter((o) => o.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))}
                columns={[
                  { title: "排名", dataIndex: "rank", width: 60 },
                  { title: "单位", dataIndex: "name" },
                  { title: "人数", dataIndex: "people", align: "right" },
                  { title: "得分", dataIndex: "score", align: "right", render: (v: number) => v.toFixed(2) },
                ]}
              />
            ),
          },
          {
            key: "staff",
            label: "人员等次",
            children: (
              <Table
                size="small"
                bordered
                rowKey="staffId"
                dataSource={s.results.staff}
                pagination={{ pageSize: 50, showSizeChanger: false }}
                columns={[
                  { title: "单位", dataIndex: "orgId", render: (v: string) => orgName(v) },
                  { title: "排名", dataIndex: "rank", width: 60 },
                  { title: "姓名", dataIndex: "name" },
                  { title: "处室", dataIndex: "divisionName" },
                  { title: "得分", dataIndex: "score", align: "right", render: (v: number) => v.toFixed(2) },
                  { title: "等次", dataIndex: "grade", render: (g: Grade) => GRADE_LABELS[g] },
                ]}
              />
            ),
          },
          {
            key: "diff",
            label: "与当前数据的差异",
            children: diff.isLoading ? (
              <Loading />
            ) : diff.isError ? (
              <ErrorState error={diff.error} />
            ) : diff.data!.same ? (
              <EmptyState title="当前数据重新计算的结果与冻结快照完全一致" />
            ) : (
              <>
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 8 }}
                  title={`冻结后数据有变化：重新计算将有 ${diff.data!.total} 处不同（快照本身不变）`}
                />
                <Table<DiffEntry>
                  size="small"
                  bordered
                  rowKey={(d) => `${d.level}-${d.id}-${d.field}`}
                  dataSource={diff.data!.changes}
                  pagination={{ pageSize: 50 }}
                  columns={[
                    { title: "层级", dataIndex: "level", width: 60, render: (l: DiffEntry["level"]) => LEVEL[l] },
                    { title: "名称", dataIndex: "name" },
                    { title: "项目", dataIndex: "field" },
                    { title: "冻结值", dataIndex: "frozen", align: "right" },
                    { title: "当前值", dataIndex: "current", align: "right" },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
