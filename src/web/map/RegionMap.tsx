import { useMemo } from 'react';
import type { MeasureKey } from '../../api/overview/contract.ts';
import type { ApiClient } from '../api/client.ts';
import type { Overview } from '../api/dashboard.ts';
import { EChart } from '../charts/EChart.tsx';
import { PALETTE, type ChartOption } from '../charts/echarts.ts';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';
import { formatMeasure } from './measures.ts';
import { useChildShapes } from './useChildShapes.ts';

interface Props {
  api: ApiClient;
  overview: Overview;
  measure: MeasureKey | null;
  onDrill(regionId: number): void;
}

/**
 * The area's children coloured by the chosen measure: on their shapes when the registry has
 * them (districts, streets), else as ranked bars. Clicking a child drills down into it.
 */
export function RegionMap({ api, overview, measure, onDrill }: Props) {
  const { language, t, formatNumber } = useI18n();
  const hasShapes = overview.region.level === 'city' || overview.region.level === 'district';
  const shapes = useChildShapes(api, overview.region.id, hasShapes);
  const names = useMemo(
    () => new Map(overview.children.map((c) => [String(c.id), regionName(language, c)])),
    [overview, language],
  );

  const option = useMemo<ChartOption | null>(() => {
    if (!measure || overview.children.length === 0 || shapes.status === 'loading') return null;
    const values = overview.children.map((c) => c.measures[measure] ?? 0);
    // At least 1: an all-zero area still gets a readable scale (and coverage is a share, at most 1).
    const max = Math.max(1, ...values);
    const label = (id: string) => names.get(id) ?? id;
    const visualMap = {
      min: 0,
      max,
      calculable: true,
      orient: 'vertical' as const,
      left: 8,
      bottom: 8,
      inRange: { color: PALETTE.scale },
      textStyle: { color: PALETTE.text },
      formatter: (v: unknown) => formatMeasure(measure, Number(v), formatNumber),
    };
    const tooltip = {
      trigger: 'item' as const,
      className: 'cordon-tooltip',
      formatter: (p: unknown) => {
        const { name, value } = p as { name: string; value: number };
        return `${label(name)}<br/>${t(`measure.${measure}`)}: ${formatMeasure(measure, value, formatNumber)}`;
      },
    };
    if (shapes.status === 'ready') {
      return {
        tooltip,
        visualMap,
        series: [
          {
            type: 'map',
            map: shapes.mapName,
            roam: true,
            selectedMode: false,
            // Fill the panel (the default leaves a wide margin) and drop labels that would collide
            // (the central districts are small at city scale).
            layoutCenter: ['50%', '50%'],
            layoutSize: '96%',
            labelLayout: { hideOverlap: true },
            label: {
              show: true,
              color: PALETTE.text,
              fontSize: 12,
              formatter: (p: { name: string }) => label(p.name),
            },
            itemStyle: { borderColor: '#0a1526', borderWidth: 1 },
            emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: PALETTE.warn } },
            data: overview.children.map((c, i) => ({ name: String(c.id), value: values[i] })),
          },
        ],
      };
    }
    const ranked = overview.children
      .map((c, i) => ({ id: String(c.id), value: values[i] }))
      .sort((a, b) => a.value - b.value);
    return {
      tooltip,
      visualMap: { ...visualMap, show: false, seriesIndex: 0, dimension: 0 },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: {
        type: 'value',
        axisLabel: { color: PALETTE.muted },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      yAxis: { type: 'category', data: ranked.map((r) => label(r.id)), axisLabel: { color: PALETTE.text } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 26,
          data: ranked.map((r) => ({ name: r.id, value: r.value })),
          label: {
            show: true,
            position: 'right',
            color: PALETTE.text,
            formatter: (p: { value: unknown }) => formatMeasure(measure, Number(p.value), formatNumber),
          },
        },
      ],
    };
  }, [measure, overview, shapes, names, t, formatNumber]);

  if (overview.children.length === 0) return <p className="muted centered">{t('map.noChildren')}</p>;
  if (!measure) return <p className="muted centered">{t('map.noMeasures')}</p>;
  if (!option) return <p className="muted centered">{t('common.loading')}</p>;
  return (
    <div className="map-box">
      {shapes.status !== 'ready' && <p className="muted map-note">{t('map.noShapes')}</p>}
      <EChart
        option={option}
        testId="region-map"
        onClick={(click) => {
          const id = Number(click.name);
          if (Number.isFinite(id) && overview.children.some((c) => c.id === id)) onDrill(id);
        }}
      />
    </div>
  );
}
