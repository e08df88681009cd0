import { describe, expect, it } from '@jest/globals';
import { escapeBidi, escapeBidiDeep } from './display';
import { fakeFetch } from '../test/fake-api';
import { Http } from './api/http';

const RLO = '\u202E';

describe('escapeBidi: bidirectional controls are shown, never obeyed', () => {
  it.each<[string, string, string]>([
    ['U+202E RLO', `invoice${RLO}fdp.exe`, 'invoice\\u202Efdp.exe'],
    ['U+202D LRO', 'a\u202Db', 'a\\u202Db'],
    ['U+2066-2069 isolates', 'x\u2066y\u2069', 'x\\u2066y\\u2069'],
    ['U+200F RLM', 'a\u200Fb', 'a\\u200Fb'],
    ['U+061C ALM', 'a\u061Cb', 'a\\u061Cb'],
  ])('%s', (_n, input, shown) => {
    expect(escapeBidi(input)).toBe(shown);
  });
  it('leaves other text alone, including right-to-left scripts', () => {
    for (const s of ['shop-prod-eu', 'עברית', 'مرحبا', 'naïve café', ''])
      expect(escapeBidi(s)).toBe(s);
  });
  it('escapes deep in report data, keys included', () => {
    expect(
      escapeBidiDeep({ clusters: [{ name: `a${RLO}b`, labels: { [`k${RLO}`]: 'v' } }], n: 3 }),
    ).toEqual({ clusters: [{ name: 'a\\u202Eb', labels: { 'k\\u202E': 'v' } }], n: 3 });
  });
});

describe('the web client escapes every string it receives', () => {
  it('a cluster name with an override arrives escaped', async () => {
    const { fetchImpl } = fakeFetch({
      'GET /v1/things': { status: 200, body: { items: [{ name: `prod${RLO}ved` }] } },
    });
    const http = new Http({ fetchImpl });
    const body = await http.request<{ items: { name: string }[] }>('GET', '/v1/things');
    expect(body.items[0]!.name).toBe('prod\\u202Eved');
  });
});
