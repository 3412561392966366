import { useEffect, useRef } from 'react';
import { echarts, type ChartOption } from './echarts.ts';

export interface ChartClick {
  name: string;
  dataIndex: number;
  seriesType?: string;
}

/**
 * One ECharts instance bound to a div: created once, resized with its box (the wall screen and
 * a laptop differ), given each new option, disposed on unmount.
 */
export function EChart({
  option,
  onClick,
  testId,
}: {
  option: ChartOption;
  onClick?: (click: ChartClick) => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const element = box.current!;
    const instance = echarts.init(element, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const p = params as { name?: string; dataIndex?: number; seriesType?: string };
      click.current?.({ name: p.name ?? '', dataIndex: p.dataIndex ?? -1, seriesType: p.seriesType });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    // notMerge: a drill-down changes series entirely; merging would keep the old map's data.
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div className="chart" ref={box} data-testid={testId} />;
}
