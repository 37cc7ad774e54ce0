/** Create or change an annual task: lead and cooperating divisions, responsible people, target, due date, weight. */
import { useQuery } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Space } from "antd";
import dayjs from "dayjs";
import { useEffect } from "react";
import type { StaffListResult } from "@shared/contracts/personnel";
import type { TaskInput, TaskView } from "@shared/contracts/plans";
import { api, ApiError, get } from "../../lib/api";
import { useLookup } from "../../lib/hooks";
import { formErrors } from "../../lib/plans";

interface Values {
  title: string;
  cooperatingDivisionIds: string[];
  responsibleStaffId: string;
  partResponsibles: Record<string, string | undefined>;
  targetText: string;
  targetValue: number | null;
  targetUnit: string | null;
  dueDate: dayjs.Dayjs;
  weight: number;
}

function useDivisionStaff(divisionId: string | undefined) {
  return useQuery({
    queryKey: ["staff-list", { divisionId, status: "active" }],
    enabled: !!divisionId,
    queryFn: () => get<StaffListResult>("/api/personnel/staff", { divisionId, status: "active", limit: 200 }),
    select: (r) => r.rows.map((s) => ({ value: s.id, label: `${s.name}（${s.title}）` })),
    staleTime: 5 * 60_000,
  });
}

function PartResponsible({ divisionId }: { divisionId: string }) {
  const { divisionName } = useLookup();
  const staff = useDivisionStaff(divisionId);
  return (
    <Form.Item name={["partResponsibles", divisionId]} label={`${divisionName(divisionId)} 责任人`}>
      <Select allowClear showSearch={{ optionFilterProp: "label" }} options={staff.data} loading={staff.isLoading} />
    </Form.Item>
  );
}

export function TaskForm({
  open,
  task,
  year,
  leadDivisionId,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The task to change; null to create one led by `leadDivisionId`. */
  task: TaskView | null;
  year: number;
  leadDivisionId: string;
  onClose: () => void;
  onSaved: (t: TaskView) => void;
}) {
  const { message } = App.useApp();
  const { orgs } = useLookup();
  const [form] = Form.useForm<Values>();
  const lead = task?.leadDivisionId ?? leadDivisionId;
  const staff = useDivisionStaff(lead);
  const coop = Form.useWatch("cooperatingDivisionIds", form) ?? [];

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (task)
      form.setFieldsValue({
        title: task.title,
        cooperatingDivisionIds: task.cooperatingDivisionIds,
        responsibleStaffId: task.responsibleStaffId,
        partResponsibles: Object.fromEntries(
          task.parts
            .filter((p) => p.role === "cooperating")
            .map((p) => [p.divisionId, p.responsibleStaffId ?? undefined]),
        ),
        targetText: task.target.text,
        targetValue: task.target.value,
        targetUnit: task.target.unit,
        dueDate: dayjs(task.dueDate),
        weight: task.weight,
      });
    else form.setFieldsValue({ cooperatingDivisionIds: [], weight: 10, dueDate: dayjs(`${year}-12-31`) });
  }, [open, task, year, form]);

  async function save(v: Values) {
    const partResponsibles = Object.fromEntries(
      Object.entries(v.partResponsibles ?? {}).filter(
        (e): e is [string, string] => !!e[1] && v.cooperatingDivisionIds.includes(e[0]),
      ),
    );
    const body: Omit<TaskInput, "year" | "leadDivisionId"> = {
      title: v.title,
      cooperatingDivisionIds: v.cooperatingDivisionIds,
      responsibleStaffId: v.responsibleStaffId,
      partResponsibles,
      targetText: v.targetText,
      targetValue: v.targetValue ?? null,
      targetUnit: v.targetUnit || null,
      dueDate: v.dueDate.format("YYYY-MM-DD"),
      weight: v.weight,
    };
    try {
      const saved = task
        ? await api<TaskView>("PATCH", `/api/plans/tasks/${task.id}`, body)
        : await api<TaskView>("POST", "/api/plans/tasks", { ...body, year, leadDivisionId: lead });
      message.success(task ? "任务已修改" : "任务已创建，待人教处审核");
      onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) form.setFields(formErrors(err.fields) as never);
      message.error(err instanceof Error ? err.message : "保存失败");
    }
  }

  return (
    <Modal
      open={open}
      title={task ? `修改任务：${task.title}` : `新建 ${year} 年度任务`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      width={720}
      forceRender
    >
      {task?.state === "approved" && (
        <div className="mb-muted" style={{ marginBottom: 8, fontSize: 12 }}>
          该任务已经人教处审核，修改后原版本会保留在任务历史中。
        </div>
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="task-form">
        <Form.Item name="title" label="任务名称" rules={[{ required: true, max: 200, message: "请填写任务名称" }]}>
          <Input />
        </Form.Item>
        <Form.Item name="targetText" label="目标" rules={[{ required: true, max: 1000, message: "请填写目标" }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="targetValue" label="目标值">
            <InputNumber style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="targetUnit" label="计量单位">
            <Input style={{ width: 120 }} maxLength={20} />
          </Form.Item>
          <Form.Item name="dueDate" label="完成时限" rules={[{ required: true, message: "请选择完成时限" }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="weight" label="权重（1–100）" rules={[{ required: true, message: "请填写权重" }]}>
            <InputNumber min={1} max={100} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item
          name="responsibleStaffId"
          label="责任人（牵头处室）"
          rules={[{ required: true, message: "请选择责任人" }]}
        >
          <Select showSearch={{ optionFilterProp: "label" }} options={staff.data} loading={staff.isLoading} />
        </Form.Item>
        <Form.Item name="cooperatingDivisionIds" label="配合处室（共同任务）">
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            options={orgs.map((o) => ({
              label: o.shortName,
              title: o.shortName,
              options: o.divisions
                .filter((d) => d.id !== lead)
                .map((d) => ({ value: d.id, label: `${o.shortName} ${d.name}` })),
            }))}
          />
        </Form.Item>
        {coop.map((d) => (
          <PartResponsible key={d} divisionId={d} />
        ))}
      </Form>
    </Modal>
  );
}
