import { useEffect, useMemo, useState } from 'react';
import type { MeasureKey } from '../../api/overview/contract.ts';
import type { ApiClient } from '../api/client.ts';
import type { Overview } from '../api/dashboard.ts';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';
import { Panel } from '../panels/Panel.tsx';
import { availableMeasures, defaultMeasure, formatMeasure } from './measures.ts';
import { RegionMap } from './RegionMap.tsx';

const MEASURE_KEY = 'cordon.measure';

/**
 * The map with its measure picker and, beside it, the children as a ranked list: the list is
 * the keyboard's (and the screen reader's) way to drill down, and shows exact values.
 */
export function MapPanel({
  api,
  overview,
  onDrill,
}: {
  api: ApiClient;
  overview: Overview;
  onDrill(regionId: number): void;
}) {
  const { t, language, formatNumber } = useI18n();
  const available = useMemo(() => availableMeasures(overview.children), [overview.children]);
  const [chosen, setChosen] = useState<MeasureKey | null>(
    () => localStorage.getItem(MEASURE_KEY) as MeasureKey | null,
  );
  const measure = chosen && available.includes(chosen) ? chosen : defaultMeasure(available);
  useEffect(() => {
    if (chosen) localStorage.setItem(MEASURE_KEY, chosen);
  }, [chosen]);
  const ranked = measure
    ? [...overview.children].sort((a, b) => (b.measures[measure] ?? 0) - (a.measures[measure] ?? 0))
    : overview.children;

  return (
    <Panel title={t('map.title')} testId="panel-map" className="map-panel">
      <div className="map-toolbar">
        <label>
          {t('map.measure')}{' '}
          <select
            data-testid="measure-picker"
            value={measure ?? ''}
            onChange={(e) => setChosen(e.target.value as MeasureKey)}
          >
            {available.map((m) => (
              <option key={m} value={m}>
                {t(`measure.${m}`)}
              </option>
            ))}
          </select>
        </label>
        {overview.children.length > 0 && <span className="muted">{t('nav.drillHint')}</span>}
      </div>
      <div className="map-layout">
        <RegionMap api={api} overview={overview} measure={measure} onDrill={onDrill} />
        <ol className="child-list" data-testid="child-list">
          {ranked.map((child) => (
            <li key={child.id}>
              <button type="button" data-testid={`child-${child.id}`} onClick={() => onDrill(child.id)}>
                <span>{regionName(language, child)}</span>
                <span className="num">
                  {measure ? formatMeasure(measure, child.measures[measure], formatNumber) : ''}
                </span>
              </button>
            </li>
          ))}
        </ol>
      </div>
    </Panel>
  );
}
