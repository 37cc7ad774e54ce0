/** The year's assessment scheme: item weights, scoring rules and grade lines (city HR edits; others read). */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Form, InputNumber, Row } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import {
  DIVISION_ITEMS,
  ITEM_LABELS,
  STAFF_ITEMS,
  TIE_BREAK_RULE,
  type Scheme as SchemeView,
  type SchemeInput,
  type SchemeRules,
  type GradeRules,
} from "@shared/contracts/assessment";
import { api, get } from "../../lib/api";
import { useUser } from "../../lib/hooks";
import { may } from "@shared/permissions";
import { showSaveError } from "../../lib/plans";
import { ErrorState, Loading } from "../../components/States";

const RULES: [keyof SchemeRules, string, number, number, number][] = [
  ["learningHours", "网络学习满分学时", 1, 1000, 1],
  ["informationPoints", "信息报送满分分值", 1, 1000, 0.5],
  ["publicityPoints", "宣传满分分值", 1, 1000, 0.5],
  ["logFullRate", "日志满分完成率（0–1）", 0, 1, 0.01],
  ["logLateCredit", "迟交日志计分比例（0–1）", 0, 1, 0.05],
  ["absentPenalty", "每天缺勤扣分", 0, 100, 0.5],
  ["personalLeavePenalty", "每天事假扣分", 0, 100, 0.1],
  ["delayedCredit", "延期任务进度计分比例（0–1）", 0, 1, 0.05],
];
const GRADES: [keyof GradeRules, string, number, number, number][] = [
  ["excellentMin", "优秀最低分", 0, 100, 1],
  ["competentMin", "称职最低分", 0, 100, 1],
  ["basicMin", "基本称职最低分", 0, 100, 1],
  ["excellentShare", "优秀比例上限（0–1）", 0, 1, 0.01],
];

export default function Scheme({ year }: { year: number }) {
  const me = useUser();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<SchemeInput>();
  const [saving, setSaving] = useState(false);
  const q = useQuery({ queryKey: ["scheme", year], queryFn: () => get<SchemeView>(`/api/assessment/schemes/${year}`) });
  const editable = may(me, "assessment.editScheme") && !q.data?.frozen;
  useEffect(() => {
    if (q.data) form.setFieldsValue(q.data);
  }, [q.data, form]);

  async function save(v: SchemeInput) {
    setSaving(true);
    try {
      const saved = await api<SchemeView>("PUT", `/api/assessment/schemes/${year}`, v);
      qc.setQueryData(["scheme", year], saved);
      void qc.invalidateQueries({ queryKey: ["assessment-summary"] });
      void qc.invalidateQueries({ queryKey: ["breakdown"] });
      message.success(`${year} 年度考核方案已保存（第 ${saved.version} 版）`);
    } catch (err) {
      showSaveError(err, form, message.error, "保存失败");
    } finally {
      setSaving(false);
    }
  }

  if (q.isLoading) return <Loading rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const s = q.data!;
  const num = (name: (string | number)[], label: string, min: number, max: number, step: number) => (
    <Col xs={12} md={6} key={name.join(".")}>
      <Form.Item name={name} label={label} rules={[{ required: true, message: "必填" }]}>
        <InputNumber min={min} max={max} step={step} style={{ width: "100%" }} />
      </Form.Item>
    </Col>
  );
  return (
    <Form form={form} layout="vertical" disabled={!editable} onFinish={(v) => void save(v)} data-testid="scheme-form">
      <Alert
        type={s.frozen ? "success" : "info"}
        showIcon
        style={{ marginBottom: 12 }}
        title={
          s.frozen
            ? `${year} 年度考核结果已冻结，方案不能再修改。`
            : s.isDefault
              ? `${year} 年度尚未制定方案，正在使用默认方案。`
              : `第 ${s.version} 版，${s.updatedAt ? dayjs(s.updatedAt).format("YYYY-MM-DD HH:mm") : ""} 修改。`
        }
        description={
          may(me, "assessment.editScheme")
            ? "得分 = Σ 权重 × 项目得分 ÷ Σ 权重；权重为 0 的项目不计分。"
            : "考核方案由市局人教处制定。"
        }
      />
      <Card size="small" title="干部职工考核项目权重">
        <Row gutter={12}>{STAFF_ITEMS.map((k) => num(["staffWeights", k], ITEM_LABELS[k], 0, 100, 1))}</Row>
      </Card>
      <Card size="small" title="处室考核项目权重" style={{ marginTop: 12 }}>
        <Row gutter={12}>{DIVISION_ITEMS.map((k) => num(["divisionWeights", k], ITEM_LABELS[k], 0, 100, 1))}</Row>
      </Card>
      <Card size="small" title="计分规则" style={{ marginTop: 12 }}>
        <Row gutter={12}>{RULES.map(([k, label, min, max, step]) => num(["rules", k], label, min, max, step))}</Row>
      </Card>
      <Card
        size="small"
        title="等次"
        style={{ marginTop: 12 }}
        extra={<span className="mb-muted">{TIE_BREAK_RULE}</span>}
      >
        <Row gutter={12}>{GRADES.map(([k, label, min, max, step]) => num(["grades", k], label, min, max, step))}</Row>
      </Card>
      {editable && (
        <Button type="primary" htmlType="submit" loading={saving} style={{ marginTop: 12 }} data-testid="scheme-save">
          保存方案
        </Button>
      )}
    </Form>
  );
}
