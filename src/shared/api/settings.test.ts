import { describe, expect, it } from 'vitest';
import { isHttpUrl } from '../utils/url';
import { agentsFromJsonData, freeSlot, MAX_AGENTS, toJsonData } from './settings';

describe('settings', () => {
  it('stores the agent list and the flat URL keys the routes read', () => {
    const jsonData = toJsonData([
      { slot: 0, name: ' a ', url: 'http://a:9207/' },
      { slot: 3, name: 'b', url: 'https://b' },
    ]);
    expect(jsonData).toEqual({
      agents: [
        { slot: 0, name: 'a', url: 'http://a:9207' },
        { slot: 3, name: 'b', url: 'https://b' },
      ],
      agent0Url: 'http://a:9207',
      agent3Url: 'https://b',
    });
  });

  it('reads agents back in slot order and drops broken entries', () => {
    expect(
      agentsFromJsonData({
        agents: [
          { slot: 2, name: 'b', url: 'http://b' },
          { slot: 0, name: 'a', url: 'http://a' },
          { slot: MAX_AGENTS, name: 'too far', url: 'http://c' },
          { slot: 1, name: 'no url', url: '' },
        ],
      }).map((a) => a.name),
    ).toEqual(['a', 'b']);
    expect(agentsFromJsonData(undefined)).toEqual([]);
  });

  it('hands out the lowest free slot, none when full', () => {
    expect(freeSlot([{ slot: 0, name: 'a', url: 'u' }, { slot: 2, name: 'b', url: 'u' }])).toBe(1);
    const full = Array.from({ length: MAX_AGENTS }, (_, slot) => ({ slot, name: String(slot), url: 'u' }));
    expect(freeSlot(full)).toBeUndefined();
  });

  it('accepts http and https URLs only', () => {
    expect(isHttpUrl('http://db:9207')).toBe(true);
    expect(isHttpUrl('ftp://db')).toBe(false);
    expect(isHttpUrl('db:9207x y')).toBe(false);
  });
});
