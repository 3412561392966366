import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../src/domain/access/roles.ts';
import { TRANSFER_NEEDS } from '../../src/domain/cases/risk.ts';
import { FACILITY_KINDS } from '../../src/domain/registry/vocabulary.ts';
import { SHIPPED_RULE_SETS } from '../../src/domain/rules/catalogue.ts';
import { ZONE_LEVELS } from '../../src/domain/rules/zones-schema.ts';
import { en } from '../../src/web/i18n/en.ts';
import { zhCN } from '../../src/web/i18n/zh-CN.ts';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/web');
const zh = zhCN as Record<string, string>;
const english = en as Record<string, string>;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The page's sources outside the dictionaries and the build (dist/). */
function webSources(dir = WEB): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['dist', 'i18n'].includes(entry.name) ? [] : webSources(file);
    return /\.(ts|tsx|html)$/.test(entry.name) ? [file] : [];
  });
}

/**
 * Every text of the page in both languages (issue 7): en.ts is typed against zh-CN.ts, which
 * catches a missing English key; these checks catch the rest — an extra or empty entry, a
 * `{value}` one language forgets, a code that arrives at run time without a name, and Chinese
 * written straight into a component instead of the dictionary.
 */
describe('the dashboard dictionaries', () => {
  it('have the same keys, none empty', () => {
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, text] of Object.entries(zh)) {
      expect(text.trim(), `zh-CN ${key}`).not.toBe('');
      expect(english[key].trim(), `en ${key}`).not.toBe('');
    }
  });

  it('fill the same values in both languages', () => {
    for (const key of Object.keys(zh)) {
      expect(placeholders(english[key]), key).toEqual(placeholders(zh[key]));
    }
  });

  it('name every code the server sends for the page to translate', () => {
    const phases = SHIPPED_RULE_SETS.flatMap((set) =>
      ZONE_LEVELS.flatMap((level) => set.zones.levels[level].phases),
    );
    const keys = [
      ...ROLES.map((role) => `role.${role}`),
      ...TRANSFER_NEEDS.map((need) => `need.${need}`),
      ...FACILITY_KINDS.map((kind) => `bedKind.${kind}`),
      ...ZONE_LEVELS.map((level) => `zones.${level}`),
      ...new Set(phases.map((phase) => `zonePhase.${phase}`)),
    ];
    for (const key of keys) {
      expect(zh[key], `zh-CN ${key}`).toBeTruthy();
      expect(english[key], `en ${key}`).toBeTruthy();
    }
  });

  it('hold all the Chinese text: none is written into a component', () => {
    const han = /\p{Script=Han}/u;
    for (const file of webSources()) {
      const code = fs
        .readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      const line = code.split('\n').find((l) => han.test(l));
      expect(line, path.relative(WEB, file)).toBeUndefined();
    }
  });
});
