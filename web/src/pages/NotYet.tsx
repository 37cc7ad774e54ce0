import { Card, Result } from "antd";

const WHAT = {
  plans: { title: "计划", desc: "处室年度任务、每月工作安排与上月完成情况，以及人教处的全局完成矩阵。" },
  assessment: { title: "考核", desc: "指标（网络学习、信息、宣传）、考核方案、一键生成汇总表与打印、冻结快照。" },
  reminders: { title: "提醒", desc: "逾期提醒策略、短信与站内提醒、发送记录。" },
} as const;

/** An honest placeholder for a module whose service has not landed yet. */
export default function NotYet({ which }: { which: keyof typeof WHAT }) {
  const w = WHAT[which];
  return (
    <div className="mb-page">
      <Card>
        <Result
          status="info"
          title={`${w.title}模块尚未上线`}
          subTitle={
            <>
              上线后将提供：{w.desc}
              <br />
              在此之前，这里不显示任何数据。
            </>
          }
        />
      </Card>
    </div>
  );
}
