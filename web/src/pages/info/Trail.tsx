/** The trail (流转记录) of a report or a publicity item, and their status tags. */
import { Tag, Timeline } from "antd";
import dayjs from "dayjs";
import {
  INFO_ACTION_LABELS,
  INFO_LEVEL_LABELS,
  INFO_STATUS_LABELS,
  PUBLICITY_ACTION_LABELS,
  PUBLICITY_STATUS_LABELS,
  REVIEW_STAGE_LABELS,
  type InfoAction,
  type InfoLevel,
  type InfoReportView,
  type PublicityAction,
  type PublicityStatus,
  type TrailEntry,
} from "@shared/contracts/info";

const INFO_COLOURS = { draft: "default", submitted: "processing", returned: "warning", adopted: "success" } as const;
const PUB_COLOURS = { pending: "processing", verified: "success", rejected: "warning" } as const;

export function InfoStatusTag({ r }: { r: Pick<InfoReportView, "status" | "stage" | "adoption"> }) {
  return (
    <>
      <Tag color={INFO_COLOURS[r.status]}>{INFO_STATUS_LABELS[r.status]}</Tag>
      {r.stage && <Tag>{REVIEW_STAGE_LABELS[r.stage]}</Tag>}
      {r.adoption && (
        <Tag color="gold">
          {INFO_LEVEL_LABELS[r.adoption.level]}采用 {r.adoption.points} 分
        </Tag>
      )}
    </>
  );
}

export const PublicityStatusTag = ({ status }: { status: PublicityStatus }) => (
  <Tag color={PUB_COLOURS[status]}>{PUBLICITY_STATUS_LABELS[status]}</Tag>
);

export function Trail({ trail, kind }: { trail: TrailEntry[]; kind: "info" | "publicity" }) {
  const label = (a: TrailEntry["action"]) =>
    kind === "info" ? INFO_ACTION_LABELS[a as InfoAction] : PUBLICITY_ACTION_LABELS[a as PublicityAction];
  return (
    <Timeline
      data-testid="trail"
      items={trail.map((t) => ({
        color:
          t.action === "return" || t.action === "reject" || t.action === "revoke"
            ? "red"
            : t.action === "adopt" || t.action === "verify"
              ? "green"
              : "blue",
        content: (
          <>
            <b>{label(t.action)}</b> · {t.actorName}{" "}
            <span className="mb-muted">{dayjs(t.at).format("YYYY-MM-DD HH:mm")}</span>
            {t.stage && kind === "info" && <span className="mb-muted"> → {REVIEW_STAGE_LABELS[t.stage]}</span>}
            {t.level && (
              <div>
                级别：{INFO_LEVEL_LABELS[t.level as InfoLevel] ?? t.level}
                {t.usedIn && `，刊用于 ${t.usedIn}`}
                {t.points != null && `，${t.points} 分`}
              </div>
            )}
            {t.comment && <div style={{ whiteSpace: "pre-wrap" }}>意见：{t.comment}</div>}
          </>
        ),
      }))}
    />
  );
}
