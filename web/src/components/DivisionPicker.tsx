/** Picks an organisation and one of its divisions: any for city-wide roles, the own organisation for others. */
import { Select, Space } from "antd";
import { isCityWide } from "@shared/auth";
import { useLookup, useUser } from "../lib/hooks";

export function DivisionPicker({
  orgId,
  divisionId,
  onChange,
  optionalDivision,
}: {
  orgId: string;
  divisionId: string | undefined;
  onChange: (orgId: string, divisionId: string | undefined) => void;
  /** The whole organisation is a choice too (the division can be cleared). */
  optionalDivision?: boolean;
}) {
  const me = useUser();
  const { orgs } = useLookup();
  const orgChoices = isCityWide(me) ? orgs : orgs.filter((o) => o.id === me.orgId);
  const divisions = orgs.find((o) => o.id === orgId)?.divisions ?? [];
  return (
    <Space.Compact>
      {orgChoices.length > 1 && (
        <Select
          style={{ width: 130 }}
          value={orgId}
          showSearch={{ optionFilterProp: "label" }}
          onChange={(v) => onChange(v, undefined)}
          options={orgChoices.map((o) => ({ value: o.id, label: o.shortName }))}
          data-testid="org-picker"
        />
      )}
      <Select
        style={{ width: 180 }}
        value={divisionId}
        placeholder={optionalDivision ? "全部处室" : "选择处室"}
        allowClear={optionalDivision}
        showSearch={{ optionFilterProp: "label" }}
        onChange={(v) => onChange(orgId, v)}
        options={divisions.map((d) => ({ value: d.id, label: d.name }))}
        data-testid="division-picker"
      />
    </Space.Compact>
  );
}
