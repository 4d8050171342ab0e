// ECharts, with only what the bureau's figures draw registered (bars, their
// grid, and aria for the screen reader's description), so the bundle carries
// no other chart. Bars, not pies: every label fits whole beside its bar and
// reads the same on paper. Drawn as SVG: sharp when printed, and ECharts'
// SVG painter styles through the DOM (CSSOM), which the app's CSP allows.
// Chinese comes from ECharts' own built-in ZH locale.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { Series } from "./bureau";

echarts.use([BarChart, GridComponent, AriaComponent, SVGRenderer]);

// Named, not inherited: ECharts measures each label with this font to fit the
// axis, so it must be the font the label is drawn in (screen and paper alike).
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
// Dark enough to read on white and when printed in grey.
const COLOURS = ["#245bdb", "#1e7a34", "#8a5300", "#c62828", "#6b3fa0", "#0e6f7a", "#5b5e66"];

/** The ECharts option for one figure: the series' first bar at the top, no
 *  animation (the picture is final at once, printed or checked), every value
 *  written beside its bar so the figure reads without colour. */
export function chartOption(series: Series): echarts.EChartsCoreOption {
  const text = { color: "#1f2329", fontSize: 13, fontFamily: FONT };
  const common = { animation: false, color: COLOURS, aria: { enabled: true }, textStyle: { fontFamily: FONT } };
  return {
    ...common,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, axisLabel: text },
    // ECharts stacks categories from the bottom: reversed, the first is on top
    yAxis: { type: "category", data: [...series.names].reverse(), axisLabel: text },
    series: [
      {
        type: "bar",
        barMaxWidth: 28,
        label: { show: true, position: "right", ...text },
        data: [...series.values].reverse(),
      },
    ],
  };
}

/** A height that gives each bar room, however many there are. */
export function chartHeight(series: Series): number {
  return Math.max(140, 40 * series.names.length + 48);
}

export function drawChart(element: HTMLElement, series: Series) {
  const chart = echarts.init(element, null, { renderer: "svg", locale: "ZH" });
  chart.setOption(chartOption(series));
  return chart;
}
