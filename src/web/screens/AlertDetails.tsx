import { useI18n } from '../i18n/I18nProvider.tsx';

/**
 * What a rule found, in words: each rule's details are plain numbers (counts, limits), shown as
 * "label: value" with the label translated when the dictionary has it. Ids and instants are left
 * out: they mean nothing on a work list.
 */
const HIDDEN = /(Id|Ids|At|DueAt)$/;

export function AlertDetails({ details }: { details: Record<string, unknown> }) {
  const { tMaybe, formatNumber } = useI18n();
  const shown = Object.entries(details).filter(
    (entry): entry is [string, number | string] =>
      !HIDDEN.test(entry[0]) && (typeof entry[1] === 'number' || typeof entry[1] === 'string'),
  );
  if (shown.length === 0) return null;
  return (
    <span className="alert-details">
      {shown.map(([key, value]) => (
        <span key={key}>
          {tMaybe(`alertDetail.${key}`) ?? key}: {typeof value === 'number' ? formatNumber(value) : value}
        </span>
      ))}
    </span>
  );
}
