/** A page of a server-side list (`{ items, total }`) in the platform's dense table, with its empty state and total. */
import { Select, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ListResult } from "@shared/contracts/notices";
import { EmptyState } from "./States";

export const PAGE_SIZE = 20;

/** The platform's dense table when it shows a whole list at once: small, bordered, no pages. */
export const DENSE_TABLE = { size: "small", bordered: true, pagination: false } as const;

export function ListTable<T extends { id: string }>({
  data,
  loading,
  page,
  onPage,
  columns,
  empty,
  unit = "条",
  scrollX,
  testId,
}: {
  data?: ListResult<T>;
  loading: boolean;
  page: number;
  onPage: (page: number) => void;
  columns: ColumnsType<T>;
  /** What the empty table says. */
  empty: string;
  /** The counter word in "共 N 篇". */
  unit?: string;
  scrollX?: number;
  testId?: string;
}) {
  return (
    <Table<T>
      size="small"
      bordered
      rowKey="id"
      loading={loading}
      dataSource={data?.items}
      scroll={scrollX ? { x: scrollX } : undefined}
      locale={{ emptyText: <EmptyState title={empty} /> }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: data?.total,
        onChange: onPage,
        showSizeChanger: false,
        showTotal: (n) => `共 ${n} ${unit}`,
      }}
      data-testid={testId}
      columns={columns}
    />
  );
}

/** The "全部状态" filter above a list: one option per status, with its label. */
export function StatusFilter<S extends string>({
  statuses,
  labels,
  value,
  onChange,
}: {
  statuses: readonly S[];
  labels: Record<S, string>;
  value: S | undefined;
  onChange: (v: S | undefined) => void;
}) {
  return (
    <Select<S>
      allowClear
      placeholder="全部状态"
      style={{ width: 130, marginBottom: 8 }}
      value={value}
      onChange={onChange}
      options={statuses.map((s) => ({ value: s, label: labels[s] }))}
      className="mb-no-print"
    />
  );
}
