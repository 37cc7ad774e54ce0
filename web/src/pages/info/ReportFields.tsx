import { Form, Input, Select } from "antd";
import { INFO_CATEGORIES } from "@shared/contracts/info";

/** The title field of a report or a notice (required, at most 200 characters). */
export function TitleField() {
  return (
    <Form.Item
      name="title"
      label="标题"
      rules={[{ required: true, whitespace: true, max: 200, message: "请填写标题" }]}
    >
      <Input />
    </Form.Item>
  );
}

/** The fields of an information report, for submitting one and for editing it. */
export function ReportFields() {
  return (
    <>
      <TitleField />
      <Form.Item name="category" label="类别">
        <Select allowClear options={INFO_CATEGORIES.map((c) => ({ value: c, label: c }))} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="body" label="正文" rules={[{ required: true, whitespace: true, message: "请填写正文" }]}>
        <Input.TextArea autoSize={{ minRows: 8, maxRows: 20 }} maxLength={20000} showCount />
      </Form.Item>
    </>
  );
}
