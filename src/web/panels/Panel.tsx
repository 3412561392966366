import type { ReactNode } from 'react';
import type { SectionKey } from '../../api/overview/contract.ts';
import type { OverviewSections } from '../api/dashboard.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/zh-CN.ts';

export function Panel({
  title,
  testId,
  className,
  children,
}: {
  title: string;
  testId: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      <h2>{title}</h2>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** What a panel shows while its capability has not landed: said plainly, never a zero. */
export function NotYet({ awaits }: { awaits: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="not-yet" data-testid="not-yet">
      <strong>{t('common.notYet')}</strong>
      <span>{t(awaits)}</span>
    </div>
  );
}

interface SectionPanelProps<K extends SectionKey> {
  sections: OverviewSections;
  section: K;
  title: MessageKey;
  awaits: MessageKey;
  className?: string;
  render(data: NonNullable<OverviewSections[K]>): ReactNode;
}

/** A panel bound to one overview section: its content when the section is present, else NotYet. */
export function SectionPanel<K extends SectionKey>({
  sections,
  section,
  title,
  awaits,
  className,
  render,
}: SectionPanelProps<K>) {
  const { t } = useI18n();
  const data = sections[section];
  return (
    <Panel title={t(title)} testId={`panel-${section}`} className={className}>
      {data == null ? <NotYet awaits={awaits} /> : render(data as NonNullable<OverviewSections[K]>)}
    </Panel>
  );
}

/** A big number with its label: the wall screen's basic unit. */
export function Figure({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: string;
  tone?: 'alarm' | 'good' | 'warn';
  testId?: string;
}) {
  return (
    <div className={`figure ${tone ?? ''}`} data-testid={testId}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}
