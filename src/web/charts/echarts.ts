import {
  BarChart,
  LineChart,
  MapChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type MapSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the dashboard draws: keeps the bundle far below ECharts' full build.
echarts.use([
  MapChart,
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | MapSeriesOption
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export { echarts };

/** The wall screen's palette (dark background, high-contrast series). */
export const PALETTE = {
  text: '#d7e3f4',
  muted: '#7f93ad',
  grid: '#22324a',
  insideControl: '#3fa7ff',
  community: '#ff5a5f',
  good: '#35c48b',
  warn: '#ffb020',
  scale: ['#0f2a4a', '#1d5a8c', '#2f8fd0', '#f2b134', '#ff5a5f'],
};
