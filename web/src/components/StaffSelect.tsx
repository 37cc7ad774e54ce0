/** Pick staff by name or pinyin, searched on the server (one organisation when given). */
import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { useEffect, useState, type CSSProperties } from "react";
import type { StaffListResult } from "@shared/contracts/personnel";
import { get } from "../lib/api";

export function StaffSelect({
  orgId,
  value,
  onChange,
  multiple,
  placeholder = "姓名或拼音",
  style,
}: {
  orgId?: string;
  value?: string | string[];
  onChange?: (v: string | string[] | undefined) => void;
  multiple?: boolean;
  placeholder?: string;
  style?: CSSProperties;
}) {
  const [typed, setTyped] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(t);
  }, [typed]);
  const ids = (Array.isArray(value) ? value : value ? [value] : []).join(",");
  const found = useQuery({
    queryKey: ["staff-search", orgId, q],
    enabled: q.length > 0,
    queryFn: () => get<StaffListResult>("/api/personnel/staff", { q, orgId, limit: 20 }),
    staleTime: 60_000,
  });
  // Names of the people already chosen, so a saved value shows names rather than ids.
  const chosen = useQuery({
    queryKey: ["staff-names", ids],
    enabled: !!ids,
    queryFn: () =>
      Promise.all(ids.split(",").map((id) => get<{ id: string; name: string }>(`/api/personnel/staff/${id}`))),
    staleTime: 10 * 60_000,
  });
  const options = new Map<string, string>();
  for (const s of chosen.data ?? []) options.set(s.id, s.name);
  for (const s of found.data?.rows ?? []) options.set(s.id, `${s.name}（${s.title}）`);
  return (
    <Select
      mode={multiple ? "multiple" : undefined}
      allowClear
      showSearch={{ filterOption: false, onSearch: setTyped }}
      placeholder={placeholder}
      value={value}
      onChange={(v) => onChange?.(v)}
      loading={found.isFetching}
      notFoundContent={q ? "没有找到" : "输入姓名或拼音搜索"}
      options={[...options].map(([v, label]) => ({ value: v, label }))}
      style={style}
    />
  );
}
