/**
 * Synthetic Chinese names for people, streets, committees, compounds and organisations. Every
 * name is made up from common characters, so no real person or address is ever reproduced.
 */
import { Random, WeightedTable } from '../random.ts';

/** The 99 most common surnames, most frequent first; shares fall off roughly as a power law. */
const SURNAME_CHARS = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const SURNAMES = new WeightedTable(
  SURNAME_CHARS,
  SURNAME_CHARS.map((_, rank) => 1 / Math.pow(rank + 1, 0.75)),
);

const GIVEN_MALE = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欣博文轩子晨睿泽昊然天佳嘉建国志成',
];
const GIVEN_FEMALE = [...'芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪倩婷颖露瑶怡佳欣悦思雨涵萱琪晶慧月琴兰凤洁'];

export function surname(random: Random): string {
  return SURNAMES.draw(random);
}

export function givenName(random: Random, sex: 'M' | 'F'): string {
  const pool = sex === 'M' ? GIVEN_MALE : GIVEN_FEMALE;
  const first = pool[Math.floor(random.float() * pool.length)];
  if (random.float() < 0.2) return first;
  return first + pool[Math.floor(random.float() * pool.length)];
}

/** Syllables for place names, with their pinyin for the English name. */
const PLACE_SYLLABLES: readonly [string, string][] = [
  ['华', 'hua'],
  ['新', 'xin'],
  ['江', 'jiang'],
  ['浦', 'pu'],
  ['宁', 'ning'],
  ['安', 'an'],
  ['康', 'kang'],
  ['平', 'ping'],
  ['和', 'he'],
  ['兴', 'xing'],
  ['泰', 'tai'],
  ['金', 'jin'],
  ['桥', 'qiao'],
  ['梅', 'mei'],
  ['林', 'lin'],
  ['枫', 'feng'],
  ['虹', 'hong'],
  ['曹', 'cao'],
  ['周', 'zhou'],
  ['家', 'jia'],
  ['宝', 'bao'],
  ['龙', 'long'],
  ['春', 'chun'],
  ['申', 'shen'],
  ['长', 'chang'],
  ['东', 'dong'],
  ['西', 'xi'],
  ['南', 'nan'],
  ['北', 'bei'],
  ['陆', 'lu'],
  ['惠', 'hui'],
  ['嘉', 'jia'],
  ['顺', 'shun'],
  ['瑞', 'rui'],
  ['明', 'ming'],
  ['光', 'guang'],
  ['景', 'jing'],
  ['丰', 'feng'],
  ['庆', 'qing'],
  ['田', 'tian'],
  ['汇', 'hui'],
  ['文', 'wen'],
  ['德', 'de'],
  ['永', 'yong'],
  ['昌', 'chang'],
  ['中', 'zhong'],
  ['山', 'shan'],
  ['阳', 'yang'],
  ['泾', 'jing'],
  ['塘', 'tang'],
  ['港', 'gang'],
  ['湾', 'wan'],
  ['园', 'yuan'],
  ['桃', 'tao'],
  ['松', 'song'],
  ['柳', 'liu'],
  ['荷', 'he'],
  ['青', 'qing'],
  ['翠', 'cui'],
  ['富', 'fu'],
  ['仁', 'ren'],
  ['广', 'guang'],
  ['曙', 'shu'],
  ['晨', 'chen'],
  ['云', 'yun'],
  ['海', 'hai'],
  ['古', 'gu'],
  ['凌', 'ling'],
  ['高', 'gao'],
  ['川', 'chuan'],
  ['沙', 'sha'],
  ['石', 'shi'],
  ['泗', 'si'],
  ['朱', 'zhu'],
  ['彭', 'peng'],
  ['万', 'wan'],
  ['祥', 'xiang'],
];

export interface PlaceName {
  zh: string;
  en: string;
}

/** A two-syllable place name, e.g. 华阳 / Huayang. */
export function placeName(random: Random): PlaceName {
  const a = random.pick(PLACE_SYLLABLES);
  let b = random.pick(PLACE_SYLLABLES);
  while (b[0] === a[0]) b = random.pick(PLACE_SYLLABLES);
  return { zh: a[0] + b[0], en: capitalise(a[1] + b[1]) };
}

/** Place names not yet in `taken` (a district's streets, a street's committees). */
export function uniquePlaceName(random: Random, taken: Set<string>): PlaceName {
  for (let attempt = 0; attempt < 200; attempt++) {
    const name = placeName(random);
    if (!taken.has(name.zh)) {
      taken.add(name.zh);
      return name;
    }
  }
  // More names than pairs: number the rest rather than loop forever.
  const base = placeName(random);
  const numbered = { zh: `${base.zh}${taken.size + 1}`, en: `${base.en} ${taken.size + 1}` };
  taken.add(numbered.zh);
  return numbered;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ROAD_SUFFIXES = ['路', '路', '路', '街', '大道', '公路'];
const COMPOUND_SUFFIXES = ['小区', '新村', '花园', '苑', '公寓', '家园', '名邸', '雅苑', '一村', '二村'];

export function roadName(random: Random): string {
  return placeName(random).zh + random.pick(ROAD_SUFFIXES);
}

export function compoundName(random: Random): string {
  return placeName(random).zh + random.pick(COMPOUND_SUFFIXES);
}

const ENTERPRISE_TRADES = [
  '科技',
  '贸易',
  '实业',
  '电子',
  '制造',
  '信息技术',
  '文化传媒',
  '咨询',
  '设计',
  '食品',
  '机械',
  '生物医药',
];
const DELIVERY_BRANDS = ['顺丰速运', '中通快递', '京东物流', '美团配送', '圆通速递', '韵达快递', '饿了么'];
const SUPERMARKETS = ['联华超市', '盒马鲜生', '大润发', '华润万家', '家乐福', '叮咚买菜前置仓', '世纪联华'];

/** A name for a workplace of the given key-industry sector (or a general enterprise). */
export function workplaceName(random: Random, sector: string | null): string {
  const place = placeName(random).zh;
  switch (sector ?? 'enterprise') {
    case 'delivery':
      return `${random.pick(DELIVERY_BRANDS)}${place}站`;
    case 'logistics':
      return `${place}${random.pick(['物流园', '仓储中心', '冷链物流中心'])}`;
    case 'supermarket':
      return `${random.pick(SUPERMARKETS)}${place}店`;
    case 'construction':
      return `${place}${random.pick(['地块项目工地', '住宅项目工地', '轨道交通工地'])}`;
    case 'market':
      return `${place}菜市场`;
    case 'medical':
      return `${place}${random.pick(['社区卫生服务中心', '医院', '门诊部'])}`;
    case 'care_home':
      return `${place}${random.pick(['养老院', '敬老院', '长者照护之家'])}`;
    default:
      return `上海${place}${random.pick(ENTERPRISE_TRADES)}有限公司`;
  }
}

/** A synthetic mobile number (11 digits, a plausible prefix). */
export function phoneNumber(random: Random): string {
  const prefix = random.pick(['13', '15', '17', '18', '19']);
  const rest = random.int(0, 999_999_999);
  return prefix + String(rest).padStart(9, '0');
}
