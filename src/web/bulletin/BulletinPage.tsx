import { useEffect, useMemo, useState } from 'react';
import type { Bulletin } from '../../domain/command/bulletin.ts';
import { createApiClient } from '../api/client.ts';
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx';
import { regionName, useI18n } from '../i18n/I18nProvider.tsx';
import { BulletinTable } from './BulletinTable.tsx';

interface Issued {
  day: string;
  issuedAt: number;
}

function dayInAddress(): string {
  const day = new URLSearchParams(window.location.search).get('day');
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : 'latest';
}

/**
 * 权威信息发布: the public daily bulletin — no login. Figures by district and the residential
 * places where the day's new cases live (places only, never a person), as issued at the end of
 * the day; earlier days from the list; the same in JSON and as an Atom feed.
 */
export function BulletinPage() {
  const { t, language, formatNumber } = useI18n();
  const api = useMemo(() => createApiClient({ token: null, language }), [language]);
  const [day, setDay] = useState(dayInAddress);
  const [bulletin, setBulletin] = useState<Bulletin | null>(null);
  const [issued, setIssued] = useState<Issued[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.get<{ items: Issued[] }>('/bulletin').then(
      (r) => setIssued(r.items),
      () => setIssued([]),
    );
  }, [api]);
  useEffect(() => {
    setError(null);
    api.get<Bulletin>(`/bulletin/${day}`).then(setBulletin, (e: unknown) => {
      setBulletin(null);
      setError(e instanceof Error ? e.message : String(e));
    });
  }, [api, day]);
  const choose = (next: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set('day', next);
    window.history.pushState(null, '', url);
    setDay(next);
  };

  return (
    <div className="bulletin-page" data-testid="bulletin-page">
      <header className="bulletin-head">
        <h1>
          {bulletin
            ? t('bulletin.title', { region: regionName(language, bulletin.region), day: bulletin.day })
            : t('bulletin.heading')}
        </h1>
        <div className="toolbar">
          <label>
            {t('bulletin.day')}{' '}
            <select
              value={bulletin?.day ?? day}
              onChange={(e) => choose(e.target.value)}
              data-testid="bulletin-day"
            >
              {bulletin && !issued.some((i) => i.day === bulletin.day) && (
                <option value={bulletin.day}>{bulletin.day}</option>
              )}
              {issued.map((i) => (
                <option key={i.day} value={i.day}>
                  {i.day}
                </option>
              ))}
            </select>
          </label>
          <a href={`/api/v1/bulletin/feed.atom?lang=${language}`} data-testid="bulletin-feed">
            {t('bulletin.feed')}
          </a>
          {bulletin && <a href={`/api/v1/bulletin/${bulletin.day}`}>{t('bulletin.json')}</a>}
          <LanguageSwitch />
        </div>
      </header>
      {error && (
        <p className="error-banner" data-testid="bulletin-error">
          {t('bulletin.unavailable', { message: error })}
        </p>
      )}
      {bulletin && (
        <main className="bulletin-body">
          <p className="bulletin-summary" data-testid="bulletin-summary">
            {t('bulletin.summary', {
              n: formatNumber(bulletin.totals.newPositives),
              inside: formatNumber(bulletin.totals.insideControl),
              community: formatNumber(bulletin.totals.community),
              discharged: formatNumber(bulletin.totals.discharged),
              deaths: formatNumber(bulletin.totals.deaths),
            })}
          </p>
          <BulletinTable bulletin={bulletin} />
          <section className="bulletin-places" data-testid="bulletin-places">
            <h2>{t('bulletin.places')}</h2>
            <p className="muted">{t('bulletin.placesNote')}</p>
            {bulletin.districts
              .filter((d) => d.places.length > 0)
              .map((d) => (
                <p key={d.regionId}>
                  <strong>{regionName(language, d)}</strong>
                  {t('bulletin.placesOf', { n: d.places.length })}
                  {d.places.map((p) => `${p.address}（${p.name}）`).join(t('bulletin.listSeparator'))}
                </p>
              ))}
            {bulletin.districts.every((d) => d.places.length === 0) && (
              <p className="muted">{t('common.none')}</p>
            )}
          </section>
          <p className="muted">
            {t('bulletin.footnote', { ruleSet: bulletin.ruleSet, zone: bulletin.timeZone })}
          </p>
        </main>
      )}
    </div>
  );
}
