import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Language = 'zh-CN' | 'en';

const STORAGE_KEY = 'cordon.lang';
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Translate;
  /** A key built at run time (a rule or kind code): its text if the dictionary has it, else null. */
  tMaybe(key: string, values?: Record<string, string | number>): string | null;
  formatNumber(n: number): string;
  formatTime(instant: number, timeZone: string): string;
  /** Month, day and time: for instants that may lie on another day. */
  formatDateTime(instant: number, timeZone: string): string;
}

const I18nContext = createContext<I18n | null>(null);

/** Chinese unless the user chose English before (remembered in localStorage). */
function initialLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function fill(template: string, values?: Record<string, string | number>): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language];
    const numbers = new Intl.NumberFormat(language);
    return {
      language,
      setLanguage,
      t: (key, values) => fill(dictionary[key], values),
      tMaybe: (key, values) => (key in dictionary ? fill(dictionary[key as MessageKey], values) : null),
      formatNumber: (n) => numbers.format(n),
      formatTime: (instant, timeZone) =>
        new Intl.DateTimeFormat(language, {
          timeZone,
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
          hour12: false,
        }).format(instant),
      formatDateTime: (instant, timeZone) =>
        new Intl.DateTimeFormat(language, {
          timeZone,
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          hour12: false,
        }).format(instant),
    };
  }, [language, setLanguage]);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = DICTIONARIES[language]['app.title'];
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** The region's name in the current language. */
export function regionName(language: Language, region: { name: string; nameEn: string }): string {
  return language === 'en' && region.nameEn ? region.nameEn : region.name;
}
