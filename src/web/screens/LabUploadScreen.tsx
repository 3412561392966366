import { useState } from 'react';
import { ApiError, type ApiErrorDetail } from '../api/client.ts';
import { uploadResultsCsv, type ResultsSummary } from '../api/work.ts';
import type { ScreenProps } from '../app/Workspace.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Figure, Panel } from '../panels/Panel.tsx';

/** Lines shown of a refused file: enough to fix it, not a wall of text. */
const SHOWN_PROBLEMS = 50;

/**
 * 检: a lab posts its tube results as a CSV file (tube_code,outcome,ct_orf1ab,ct_n) through
 * screening's upload. The file is all or nothing: when a line is wrong nothing is posted and every
 * problem is listed with its line, so the lab fixes the file and sends it again (a re-sent line
 * that was already stored changes nothing).
 */
export function LabUploadScreen({ api }: ScreenProps) {
  const { t, formatNumber } = useI18n();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<ResultsSummary | null>(null);
  const [failure, setFailure] = useState<{ message: string; details: readonly ApiErrorDetail[] } | null>(
    null,
  );

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
    setSummary(null);
    setFailure(null);
  };
  const send = async () => {
    setBusy(true);
    setSummary(null);
    setFailure(null);
    try {
      setSummary(await uploadResultsCsv(api, text));
    } catch (e) {
      setFailure(
        e instanceof ApiError
          ? { message: e.message, details: e.details }
          : { message: String(e), details: [] },
      );
    } finally {
      setBusy(false);
    }
  };
  const lines = text.trim() === '' ? 0 : text.trim().split(/\r?\n/).length - 1;

  return (
    <main className="screen columns" data-testid="lab-screen">
      <Panel title={t('lab.title')} testId="lab-upload">
        <p className="muted">{t('lab.format')}</p>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label={t('lab.file')}
          onChange={(e) => void pick(e.target.files?.[0])}
          data-testid="lab-file"
        />
        <textarea
          aria-label={t('lab.paste')}
          placeholder={'tube_code,outcome,ct_orf1ab,ct_n\nT0001,negative,,\nT0002,positive,24.5,26.1'}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFileName(null);
          }}
          rows={12}
          data-testid="lab-text"
        />
        <div className="toolbar">
          <span className="muted">
            {fileName ? t('lab.fileLines', { name: fileName, n: lines }) : t('lab.lines', { n: lines })}
          </span>
          <button
            type="button"
            disabled={busy || lines === 0}
            onClick={() => void send()}
            data-testid="lab-send"
          >
            {busy ? t('lab.sending') : t('lab.send')}
          </button>
        </div>
      </Panel>
      <Panel title={t('lab.result')} testId="lab-result">
        {!summary && !failure && <p className="muted">{t('lab.nothingYet')}</p>}
        {summary && (
          <div className="figures" data-testid="lab-summary">
            <Figure label={t('lab.resulted')} value={formatNumber(summary.resulted)} testId="lab-resulted" />
            <Figure label={t('lab.unchanged')} value={formatNumber(summary.unchanged)} />
            <Figure label={t('lab.negative')} value={formatNumber(summary.negative)} tone="good" />
            <Figure label={t('lab.poolPositive')} value={formatNumber(summary.poolPositive)} tone="warn" />
            <Figure label={t('lab.positive')} value={formatNumber(summary.positive)} tone="alarm" />
            <Figure label={t('lab.invalid')} value={formatNumber(summary.invalid)} />
          </div>
        )}
        {failure && (
          <div data-testid="lab-failure">
            <p className="alarm">{t('lab.refused', { message: failure.message })}</p>
            <ul className="problems">
              {failure.details.slice(0, SHOWN_PROBLEMS).map((d, i) => (
                <li key={i}>
                  {d.line != null && t('lab.line', { n: d.line })} {d.field && <code>{d.field}</code>}{' '}
                  {d.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Panel>
    </main>
  );
}
