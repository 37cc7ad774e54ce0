/**
 * An issued document in the GB/T 9704-2012 layout on A4: the red 发文机关标志, the 文号, the red
 * separator line, the title, 主送, the body, 落款 and date, and the 抄送/印发 lines.
 * Fonts are the Noto CJK ones installed here; a bureau substitutes the official ones:
 * 方正小标宋简体 for the 机关标志 and the title (here Noto Serif CJK SC, bold), 仿宋_GB2312 for the
 * body (here Noto Serif CJK SC), 黑体 and 楷体_GB2312 for headings (here Noto Sans CJK SC).
 */
import { useQuery } from "@tanstack/react-query";
import { Button } from "antd";
import dayjs from "dayjs";
import { useParams } from "react-router";
import type { DocumentView } from "@shared/contracts/documents";
import { get } from "../../lib/api";
import { pageState } from "../../components/States";

const SERIF = '"方正小标宋简体", "Noto Serif CJK SC", "Noto Serif SC", serif';
const FANGSONG = '"仿宋_GB2312", "FangSong", "Noto Serif CJK SC", serif';
const RED = "#e60012";

export default function PrintView() {
  const { id = "" } = useParams();
  const q = useQuery({ queryKey: ["document", id], queryFn: () => get<DocumentView>(`/api/documents/items/${id}`) });
  const state = pageState(q);
  if (state) return state;
  const d = q.data!;
  const date = dayjs(d.issuedAt ?? d.updatedAt);
  return (
    <div className="mb-page">
      <div className="mb-no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => window.print()}>
          打印
        </Button>
      </div>
      <article className="mb-gbt9704" data-testid="gbt9704" style={{ fontFamily: FANGSONG }}>
        <h1
          style={{
            color: RED,
            fontFamily: SERIF,
            fontSize: "22mm",
            lineHeight: 1.1,
            textAlign: "center",
            letterSpacing: "2mm",
            margin: "0 0 10mm",
            fontWeight: 700,
          }}
        >
          {d.orgName}文件
        </h1>
        <div style={{ textAlign: "center", fontSize: "16pt" }} data-testid="print-number">
          {d.number}
        </div>
        <hr style={{ border: 0, borderTop: `2px solid ${RED}`, margin: "4mm 0 14mm" }} />
        <h2
          style={{
            fontFamily: SERIF,
            fontSize: "22pt",
            textAlign: "center",
            fontWeight: 700,
            lineHeight: 1.5,
            margin: "0 0 8mm",
          }}
        >
          {d.title}
        </h2>
        {d.mainTo && <p style={{ fontSize: "16pt", margin: 0 }}>{d.mainTo}：</p>}
        <div
          className="mb-gbt9704-body"
          style={{ fontSize: "16pt", lineHeight: "28pt" }}
          dangerouslySetInnerHTML={{ __html: d.body }}
        />
        <div style={{ textAlign: "right", fontSize: "16pt", margin: "14mm 16mm 0 0", lineHeight: "28pt" }}>
          <div>{d.orgName}</div>
          <div>{`${date.year()}年${date.month() + 1}月${date.date()}日`}</div>
        </div>
        <footer style={{ marginTop: "20mm", fontSize: "14pt" }}>
          <div style={{ borderTop: "1px solid #000", borderBottom: "1px solid #000", padding: "1mm 4mm" }}>
            {d.copyTo ? `抄送：${d.copyTo}。` : "抄送：无。"}
          </div>
          <div
            style={{
              borderBottom: "1px solid #000",
              padding: "1mm 4mm",
              display: "flex",
              justifyContent: "space-between",
            }}
          >
            <span>{d.orgName}办公室</span>
            <span>{`${date.year()}年${date.month() + 1}月${date.date()}日印发`}</span>
          </div>
        </footer>
      </article>
    </div>
  );
}
