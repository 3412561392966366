import type { Bulletin } from '../../domain/command/bulletin.ts';

/**
 * The bulletin as an Atom feed (RFC 4287): one entry per issued day, newest first, in the asked
 * language, each linking to the public page and the JSON document. Written by hand: the format
 * is small and a library would add nothing but a dependency.
 */
export type FeedLanguage = 'zh-CN' | 'en';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const WORDS = {
  'zh-CN': {
    feed: (city: string) => `${city}疫情防控每日通报`,
    title: (city: string, day: string) => `${city} ${day} 疫情通报`,
    summary: (b: Bulletin) =>
      `新增阳性 ${b.totals.newPositives} 例，其中管控内 ${b.totals.insideControl} 例、社会面 ${b.totals.community} 例；出院 ${b.totals.discharged} 例，死亡 ${b.totals.deaths} 例；封控区 ${b.totals.zones.sealed} 个，管控区 ${b.totals.zones.controlled} 个，防范区 ${b.totals.zones.precaution} 个。`,
    head: ['区', '新增阳性', '管控内', '社会面', '出院', '死亡', '封控区', '管控区', '防范区'],
    places: '新增阳性居住地',
    districtName: (d: { name: string }) => d.name,
    cityName: (b: Bulletin) => b.region.name,
  },
  en: {
    feed: (city: string) => `${city} daily outbreak bulletin`,
    title: (city: string, day: string) => `${city} bulletin for ${day}`,
    summary: (b: Bulletin) =>
      `${b.totals.newPositives} new positives: ${b.totals.insideControl} inside control, ${b.totals.community} in the community; ${b.totals.discharged} discharged, ${b.totals.deaths} deaths; ${b.totals.zones.sealed} sealed, ${b.totals.zones.controlled} controlled, ${b.totals.zones.precaution} precaution places.`,
    head: [
      'District',
      'New positives',
      'Inside control',
      'Community',
      'Discharged',
      'Deaths',
      'Sealed',
      'Controlled',
      'Precaution',
    ],
    places: 'Where new positives live',
    districtName: (d: { name: string; nameEn: string }) => d.nameEn || d.name,
    cityName: (b: Bulletin) => b.region.nameEn || b.region.name,
  },
} as const;

function entryHtml(b: Bulletin, lang: FeedLanguage): string {
  const w = WORDS[lang];
  const cells = (values: readonly (string | number)[], tag: 'td' | 'th') =>
    `<tr>${values.map((v) => `<${tag}>${escapeXml(String(v))}</${tag}>`).join('')}</tr>`;
  const rows = b.districts.map((d) =>
    cells(
      [
        w.districtName(d),
        d.newPositives,
        d.insideControl,
        d.community,
        d.discharged,
        d.deaths,
        d.zones.sealed,
        d.zones.controlled,
        d.zones.precaution,
      ],
      'td',
    ),
  );
  const places = b.districts
    .filter((d) => d.places.length > 0)
    .map(
      (d) =>
        `<p><strong>${escapeXml(w.districtName(d))}</strong>: ${d.places.map((p) => escapeXml(`${p.address}（${p.name}）`)).join('、')}</p>`,
    );
  return `<p>${escapeXml(w.summary(b))}</p><table>${cells(w.head, 'th')}${rows.join('')}</table><h3>${escapeXml(w.places)}</h3>${places.join('')}`;
}

export function bulletinFeed(
  bulletins: readonly Bulletin[],
  options: { baseUrl: string; lang: FeedLanguage; city: string; updated: number },
): string {
  const w = WORDS[options.lang];
  const base = options.baseUrl.replace(/\/$/, '');
  const entries = bulletins.map((b) => {
    const page = `${base}/bulletin?day=${b.day}&lang=${options.lang}`;
    return `  <entry>
    <id>urn:cordon:bulletin:${b.day}</id>
    <title>${escapeXml(w.title(w.cityName(b), b.day))}</title>
    <updated>${new Date(b.issuedAt).toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${escapeXml(page)}"/>
    <link rel="alternate" type="application/json" href="${escapeXml(`${base}/api/v1/bulletin/${b.day}`)}"/>
    <summary>${escapeXml(w.summary(b))}</summary>
    <content type="html">${escapeXml(entryHtml(b, options.lang))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${options.lang}">
  <id>urn:cordon:bulletin</id>
  <title>${escapeXml(w.feed(options.city))}</title>
  <updated>${new Date(options.updated).toISOString()}</updated>
  <author><name>${escapeXml(options.city)}</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${base}/api/v1/bulletin/feed.atom?lang=${options.lang}`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${base}/bulletin`)}"/>
${entries.join('\n')}
</feed>
`;
}
