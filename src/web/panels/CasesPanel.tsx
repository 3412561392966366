import { useMemo } from 'react';
import type { OverviewSections } from '../api/dashboard.ts';
import { EChart } from '../charts/EChart.tsx';
import { PALETTE, type ChartOption } from '../charts/echarts.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure, SectionPanel } from './Panel.tsx';

type Cases = NonNullable<OverviewSections['cases']>;

function Trend({ cases }: { cases: Cases }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 36, right: 8, top: 24, bottom: 20 },
      legend: { top: 0, textStyle: { color: PALETTE.text } },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: cases.trend.map((d) => d.day.slice(5)),
        axisLabel: { color: PALETTE.muted },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: PALETTE.muted },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      series: [
        {
          type: 'line',
          name: t('cases.insideControl'),
          data: cases.trend.map((d) => d.insideControl),
          color: PALETTE.insideControl,
          smooth: true,
        },
        {
          type: 'line',
          name: t('cases.community'),
          data: cases.trend.map((d) => d.community),
          color: PALETTE.community,
          smooth: true,
        },
      ],
    }),
    [cases, t],
  );
  return <EChart option={option} />;
}

/** 管控内 vs 社会面 today, with the trend: the figure the response is judged by. */
export function CasesPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="cases"
      title="panel.cases"
      awaits="awaits.cases"
      render={(cases) => (
        <div className="stack">
          <div className="figures">
            <Figure label={t('cases.insideControl')} value={formatNumber(cases.today.insideControl)} />
            <Figure
              label={t('cases.community')}
              value={formatNumber(cases.today.community)}
              tone={cases.today.community > 0 ? 'alarm' : 'good'}
            />
          </div>
          {cases.trend.length > 1 && <Trend cases={cases} />}
        </div>
      )}
    />
  );
}
