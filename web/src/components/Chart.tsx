/** A thin ECharts wrapper with only the parts the pages use (bar, pie, line), so the chunk stays small. */
import { BarChart, LineChart, PieChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  DataZoomComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({
  option,
  height = 320,
  onClick,
  testId,
}: {
  option: ChartOption;
  height?: number;
  onClick?: (p: { name: string; dataIndex: number; seriesName?: string; data?: unknown }) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const c = echarts.init(el.current!, undefined, { renderer: "canvas" });
    chart.current = c;
    c.on("click", (p) => click.current?.(p as never));
    // "finished": drawn, animations done; the browser tests wait for this before a screenshot.
    c.on("finished", () => el.current?.setAttribute("data-rendered", "true"));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    // Users (and the browser tests) who ask for less motion get the final frame at once.
    const still = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    el.current?.removeAttribute("data-rendered");
    c.setOption(still ? { ...option, animation: false } : option, true);
  }, [option]);

  return <div ref={el} style={{ width: "100%", height }} data-testid={testId} />;
}

export const PALETTE = ["#1f4e8c", "#3a8ee6", "#52c41a", "#faad14", "#f5222d", "#722ed1", "#13c2c2", "#eb2f96"];
