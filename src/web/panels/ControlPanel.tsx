import { CONTROL_KINDS } from '../../domain/kernel/control-episodes.ts';
import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { SectionPanel } from './Panel.tsx';

/** People under an active control episode, by kind (one person may be under several). */
export function ControlPanel({ sections }: { sections: OverviewSections }) {
  const { t, formatNumber } = useI18n();
  return (
    <SectionPanel
      sections={sections}
      section="control"
      title="panel.control"
      awaits="awaits.control"
      render={(control) => {
        const max = Math.max(1, ...CONTROL_KINDS.map((k) => control.active[k]));
        return (
          <div className="stack">
            <ul className="bars">
              {CONTROL_KINDS.map((kind) => (
                <li key={kind} data-testid={`control-${kind}`}>
                  <span>{t(`control.${kind}`)}</span>
                  <span className="bar">
                    <span style={{ width: `${(control.active[kind] / max) * 100}%` }} />
                  </span>
                  <span className="num">{formatNumber(control.active[kind])}</span>
                </li>
              ))}
            </ul>
            <p className="muted">
              {t('control.total')}: <strong data-testid="control-total">{formatNumber(control.total)}</strong>
            </p>
          </div>
        );
      }}
    />
  );
}
