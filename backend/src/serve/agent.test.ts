import { describe, expect, it } from 'vitest';
import { parseListen } from './agent.js';

describe('--listen', () => {
  it('reads HOST:PORT and [IPv6]:PORT, and nothing else', () => {
    expect(parseListen('127.0.0.1:9207')).toEqual({ host: '127.0.0.1', port: 9207 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListen('[::1]:9207')).toEqual({ host: '::1', port: 9207 });
    for (const bad of ['9207', ':9207', '127.0.0.1', '::1:9207', 'host:70000', 'a:b', '[::1]']) expect(parseListen(bad), bad).toBeNull();
  });
});
