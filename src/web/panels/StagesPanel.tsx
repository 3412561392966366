import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { SectionPanel } from './Panel.tsx';
import { useDuration } from './duration.ts';

/** 采送检报转收: each stage's backlog and how long it takes (p50 / p90). */
export function StagesPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  const duration = useDuration();
  return (
    <SectionPanel
      sections={sections}
      section="stages"
      title="panel.stages"
      awaits="awaits.stages"
      className="wide"
      render={(data) => (
        <div className="stages">
          {data.stages.map((s) => (
            <div className="stage" key={s.stage} data-testid={`stage-${s.stage}`}>
              <span className="stage-name">{t(`stage.${s.stage}`)}</span>
              <span className="stage-backlog">{formatNumber(s.backlog)}</span>
              <span className="muted">{t('stages.backlog')}</span>
              <span className="muted">{t('stages.done', { n: formatNumber(s.done) })}</span>
              <span>
                {t('stages.p50')} {duration(s.p50Ms)}
              </span>
              <span>
                {t('stages.p90')} {duration(s.p90Ms)}
              </span>
            </div>
          ))}
        </div>
      )}
    />
  );
}
