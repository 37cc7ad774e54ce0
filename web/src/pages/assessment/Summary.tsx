/** "生成汇总表": shows the summary table, downloads its .xlsx and opens the server's print view, in one click. */
import { DownloadOutlined, PrinterOutlined, TableOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Select, Space, Steps, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { Link } from "react-router";
import { isCityWide } from "@shared/auth";
import {
  GRADE_LABELS,
  type DivisionResult,
  type Grade,
  type ItemScore,
  type OrgResult,
  type StaffResult,
  type SummaryTable,
} from "@shared/contracts/assessment";
import { download, get, type DownloadProgress } from "../../lib/api";
import { useLookup, useUser } from "../../lib/hooks";
import { openPrintView } from "../../lib/assessment";
import { DivisionPicker } from "../../components/DivisionPicker";
import { ExportProgress } from "../../components/ExportButton";
import { ErrorState, Loading } from "../../components/States";

const TABLES: Record<SummaryTable, string> = {
  bureau: "全局汇总表（县区、处室、人员）",
  counties: "县区对比排名表",
  divisions: "处室考核汇总表",
  staff: "干部职工考核汇总表",
};

type Row = OrgResult | DivisionResult | StaffResult;
interface Asked {
  table: SummaryTable;
  year: number;
  orgId?: string;
  divisionId?: string;
}

const score = (v: number | null) => (v == null ? "—" : v.toFixed(1));
const pct = (v: number | null) => (v == null ? "—" : `${Math.round(v * 1000) / 10}%`);

/** The item columns (weight in the header), from the first row's items. */
function itemColumns<T extends Row>(rows: T[]): ColumnsType<T> {
  return (rows[0]?.items ?? []).map((it, i) => ({
    title: (
      <span style={{ fontSize: 12 }}>
        {it.label}
        <br />
        <span className="mb-muted">权重 {it.weight}</span>
      </span>
    ),
    key: it.item,
    width: 76,
    align: "right" as const,
    render: (_: unknown, r: T) => {
      const s: ItemScore | undefined = r.items[i];
      return s?.hidden ? <span className="mb-muted">—</span> : <span title={s?.detail}>{score(s?.score ?? null)}</span>;
    },
  }));
}

function ResultTable({ asked }: { asked: Asked }) {
  const { orgName } = useLookup();
  const path =
    asked.table === "staff"
      ? "/api/assessment/summary/staff"
      : asked.table === "divisions"
        ? "/api/assessment/summary/divisions"
        : "/api/assessment/summary/counties";
  const q = useQuery({
    queryKey: ["assessment-summary", asked],
    queryFn: () =>
      get<Row[]>(path, {
        year: asked.year,
        orgId: asked.table === "counties" || asked.table === "bureau" ? undefined : asked.orgId,
        divisionId: asked.table === "staff" ? asked.divisionId : undefined,
      }),
  });
  if (q.isLoading) return <Loading rows={10} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const rows = q.data ?? [];
  const head: ColumnsType<Row> = [{ title: "排名", dataIndex: "rank", width: 56, align: "right", fixed: "left" }];
  let cols: ColumnsType<Row>;
  if (asked.table === "staff") {
    const s = rows as StaffResult[];
    cols = [
      ...head,
      {
        title: "姓名",
        dataIndex: "name",
        width: 80,
        fixed: "left",
        render: (v: string, r) => <Link to={`/assessment?tab=mine&staffId=${(r as StaffResult).staffId}`}>{v}</Link>,
      },
      { title: "处室", dataIndex: "divisionName", width: 120 },
      ...(itemColumns(s) as ColumnsType<Row>),
      {
        title: "学习(学时)",
        key: "l",
        width: 76,
        align: "right",
        render: (_: unknown, r) => score((r as StaffResult).indicators.learningHours),
      },
      {
        title: "信息(分)",
        key: "i",
        width: 70,
        align: "right",
        render: (_: unknown, r) => score((r as StaffResult).indicators.informationPoints),
      },
      {
        title: "宣传(分)",
        key: "p",
        width: 70,
        align: "right",
        render: (_: unknown, r) => score((r as StaffResult).indicators.publicityPoints),
      },
      { title: "得分", dataIndex: "score", width: 70, align: "right", render: (v: number) => <b>{v.toFixed(2)}</b> },
      {
        title: "等次",
        dataIndex: "grade",
        width: 80,
        render: (g: Grade) => (
          <Tag color={g === "excellent" ? "gold" : g === "incompetent" ? "red" : undefined}>{GRADE_LABELS[g]}</Tag>
        ),
      },
    ];
  } else {
    const unit = rows as (OrgResult | DivisionResult)[];
    cols = [
      ...head,
      asked.table === "divisions"
        ? { title: "处室", dataIndex: "name", width: 130, fixed: "left" }
        : { title: "单位", key: "n", width: 110, fixed: "left", render: (_: unknown, r) => (r as OrgResult).shortName },
      { title: "人数", dataIndex: "people", width: 56, align: "right" },
      ...(itemColumns(unit) as ColumnsType<Row>),
      {
        title: "任务加权进度",
        key: "t",
        width: 90,
        align: "right",
        render: (_: unknown, r) => score((r as OrgResult).tasks.weightedProgress) + "%",
      },
      {
        title: "填报及时率",
        key: "tl",
        width: 80,
        align: "right",
        render: (_: unknown, r) => pct((r as OrgResult).timeliness.rate),
      },
      {
        title: "日志完成率",
        key: "lg",
        width: 80,
        align: "right",
        render: (_: unknown, r) => pct((r as OrgResult).logs.rate),
      },
      {
        title: "出勤率",
        key: "at",
        width: 70,
        align: "right",
        render: (_: unknown, r) => pct((r as OrgResult).attendanceRate),
      },
      {
        title: "优秀",
        key: "ex",
        width: 50,
        align: "right",
        render: (_: unknown, r) => (r as OrgResult).grades.excellent,
      },
      { title: "得分", dataIndex: "score", width: 70, align: "right", render: (v: number) => <b>{v.toFixed(2)}</b> },
    ];
  }
  const scopeName =
    asked.table === "divisions" || asked.table === "staff"
      ? orgName(asked.orgId)
      : asked.table === "bureau"
        ? "全局"
        : "";
  return (
    <>
      {asked.table === "bureau" && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title="页面显示县区对比排名；下载的 .xlsx 与打印视图包含县区、全部处室和全部人员三张表。"
        />
      )}
      <Table<Row>
        size="small"
        bordered
        rowKey={(r) => ("staffId" in r ? r.staffId : "divisionId" in r ? r.divisionId : r.orgId)}
        dataSource={rows}
        columns={cols}
        pagination={rows.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
        scroll={{ x: 1200 }}
        title={() =>
          `${asked.year} 年度${scopeName}${TABLES[asked.table === "bureau" ? "counties" : asked.table]}（${rows.length}）`
        }
        data-testid="summary-table"
      />
    </>
  );
}

export default function Summary({ year }: { year: number }) {
  const me = useUser();
  const { message } = App.useApp();
  const wide = isCityWide(me);
  const [table, setTable] = useState<SummaryTable>(wide ? "bureau" : "divisions");
  const [orgId, setOrgId] = useState(me.orgId);
  const [divisionId, setDivisionId] = useState<string | undefined>();
  const [asked, setAsked] = useState<Asked | null>(null);
  const [step, setStep] = useState<{ at: number; error?: string } | null>(null);
  const params = (a: Asked) => ({
    year: a.year,
    table: a.table,
    orgId: a.table === "divisions" || a.table === "staff" ? a.orgId : undefined,
    divisionId: a.table === "staff" ? a.divisionId : undefined,
  });
  const fileName = (a: Asked) => `${a.year}年度${TABLES[a.table]}.xlsx`;

  const [received, setReceived] = useState<DownloadProgress | null>(null);
  async function xlsx(a: Asked) {
    try {
      await download("/api/assessment/exports/summary", params(a), fileName(a), setReceived);
    } finally {
      setReceived(null);
    }
  }

  /** Shows the table, downloads the .xlsx and opens the print view, reporting each step. */
  async function generate() {
    const a: Asked = { table, year, orgId, divisionId };
    setAsked(a);
    setStep({ at: 1 });
    const print = openPrintView("/api/assessment/print/summary", params(a));
    try {
      await xlsx(a);
      setStep({ at: 2 });
      await print;
      setStep({ at: 3 });
    } catch (err) {
      const msg = err instanceof Error ? err.message : "生成失败";
      setStep((s) => ({ at: s?.at ?? 1, error: msg }));
      message.error(msg);
    }
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} className="mb-no-print">
        <Select
          style={{ width: 240 }}
          value={table}
          onChange={setTable}
          options={(Object.keys(TABLES) as SummaryTable[])
            .filter((t) => t !== "bureau" || wide)
            .map((t) => ({ value: t, label: TABLES[t] }))}
          data-testid="summary-kind"
        />
        {(table === "divisions" || table === "staff") && (
          <DivisionPicker
            orgId={orgId}
            divisionId={table === "staff" ? divisionId : undefined}
            onChange={(o, d) => {
              setOrgId(o);
              setDivisionId(d);
            }}
            optionalDivision
          />
        )}
        <Button type="primary" icon={<TableOutlined />} onClick={() => void generate()} data-testid="generate-summary">
          生成汇总表
        </Button>
        {asked && (
          <>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => void xlsx(asked).catch((e: Error) => message.error(e.message))}
              data-testid="summary-xlsx"
            >
              下载 .xlsx
            </Button>
            <Button
              icon={<PrinterOutlined />}
              onClick={() =>
                void openPrintView("/api/assessment/print/summary", params(asked)).catch((e: Error) =>
                  message.error(e.message),
                )
              }
              data-testid="summary-print"
            >
              打印视图
            </Button>
          </>
        )}
      </Space>
      {step && (
        <Steps
          size="small"
          style={{ maxWidth: 640, marginBottom: 12 }}
          className="mb-no-print"
          current={step.at}
          status={step.error ? "error" : step.at === 3 ? "finish" : "process"}
          items={[
            { title: "计算汇总" },
            {
              title: "下载 .xlsx",
              content: received && <ExportProgress progress={received} testId="summary-xlsx-progress" />,
            },
            { title: "打开打印视图" },
          ]}
          data-testid="summary-steps"
        />
      )}
      {asked ? (
        <ResultTable asked={asked} />
      ) : (
        <Alert
          type="info"
          showIcon
          title="选择汇总表后点击“生成汇总表”：页面显示汇总结果，同时下载 .xlsx 并打开打印视图。"
        />
      )}
    </>
  );
}
