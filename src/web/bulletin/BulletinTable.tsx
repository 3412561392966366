import type { Bulletin, BulletinFigures } from '../../domain/command/bulletin.ts';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';

const COLUMNS: { key: string; value(f: BulletinFigures): number }[] = [
  { key: 'bulletin.col.newPositives', value: (f) => f.newPositives },
  { key: 'bulletin.col.insideControl', value: (f) => f.insideControl },
  { key: 'bulletin.col.community', value: (f) => f.community },
  { key: 'bulletin.col.discharged', value: (f) => f.discharged },
  { key: 'bulletin.col.deaths', value: (f) => f.deaths },
  { key: 'bulletin.col.sealed', value: (f) => f.zones.sealed },
  { key: 'bulletin.col.controlled', value: (f) => f.zones.controlled },
  { key: 'bulletin.col.precaution', value: (f) => f.zones.precaution },
];

/** The day's figures, one row per district and the city's total last. */
export function BulletinTable({ bulletin }: { bulletin: Bulletin }) {
  const { t, tMaybe, language, formatNumber } = useI18n();
  return (
    <table className="rows bulletin-table" data-testid="bulletin-table">
      <thead>
        <tr>
          <th>{t('bulletin.col.district')}</th>
          {COLUMNS.map((c) => (
            <th key={c.key}>{tMaybe(c.key) ?? c.key}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {bulletin.districts.map((d) => (
          <tr key={d.regionId} data-testid={`bulletin-district-${d.regionId}`}>
            <td>{regionName(language, d)}</td>
            {COLUMNS.map((c) => (
              <td key={c.key} className="num">
                {formatNumber(c.value(d))}
              </td>
            ))}
          </tr>
        ))}
        <tr className="total" data-testid="bulletin-total">
          <td>{t('common.total')}</td>
          {COLUMNS.map((c) => (
            <td key={c.key} className="num">
              {formatNumber(c.value(bulletin.totals))}
            </td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
