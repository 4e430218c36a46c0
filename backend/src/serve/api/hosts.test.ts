import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { allowedHosts, hostOfHeader } from './hosts.js';

const machine = {
  hostname: 'Backup-Host',
  interfaces: {
    lo: [{ address: '127.0.0.1', family: 'IPv4' }, { address: '::1', family: 'IPv6' }],
    eth0: [{ address: '10.0.0.5', family: 'IPv4' }, { address: 'fe80::1%eth0', family: 'IPv6' }, { address: '2001:DB8:0:0::7', family: 'IPv6' }],
  },
} as never;

const allows = (set: Set<string>, header: string) => {
  const host = hostOfHeader(header);
  return host !== null && set.has(host);
};

describe('Host allow-list', () => {
  it('reads a Host header with or without port, in any case, IPv6 in brackets', () => {
    expect(hostOfHeader('LocalHost:9207')).toBe('localhost');
    expect(hostOfHeader('localhost.')).toBe('localhost');
    expect(hostOfHeader('[0:0:0:0:0:0:0:1]:9207')).toBe('[::1]');
    expect(hostOfHeader('10.0.0.5')).toBe('10.0.0.5');
    for (const bad of [undefined, '', 'evil@127.0.0.1', '127.0.0.1:9207@evil', '::1', '[::1', 'a b', 'a:b:c', 'exa%mple', 'café.example', 'x:99999999']) {
      expect(hostOfHeader(bad), String(bad)).toBeNull();
    }
  });

  it('on a loopback address: loopback names and the configured ones only', () => {
    const set = allowedHosts('127.0.0.1', ['grafana-side.example', '::1'], machine);
    expect([...set].sort()).toEqual(['127.0.0.1', '[::1]', 'grafana-side.example', 'localhost']);
    expect(allows(set, 'evil.example:9207')).toBe(false);
    expect(allows(set, 'backup-host:9207')).toBe(false);
    expect(allows(set, 'Grafana-Side.Example:9207')).toBe(true);
  });

  it('on one address: that address too', () => {
    expect(allows(allowedHosts('10.0.0.5', [], machine), '10.0.0.5:9207')).toBe(true);
    expect(allows(allowedHosts('backup-host.example', [], machine), 'backup-host.example')).toBe(true);
    expect(allows(allowedHosts('10.0.0.5', [], machine), 'backup-host')).toBe(false);
  });

  it('on every interface: also the host name and each interface address', () => {
    for (const listen of ['0.0.0.0', '::']) {
      const set = allowedHosts(listen, ['agent'], machine);
      expect([...set].sort()).toEqual(['10.0.0.5', '127.0.0.1', '[2001:db8::7]', '[::1]', '[fe80::1]', 'agent', 'backup-host', 'localhost']);
      expect(allows(set, '[2001:db8::7]:9207')).toBe(true);
      expect(allows(set, '0.0.0.0:9207')).toBe(false);
      expect(allows(set, 'evil.example')).toBe(false);
    }
  });

  it('api.allowedHosts takes names and addresses, never a port or a URL', () => {
    const parse = (hosts: string) => () => parseConfig(`repository: ./r\napi: { allowedHosts: ${hosts} }\ntargets: [{ name: a, user: u }]\n`, '/w.yaml', {});
    expect(parse('[agent, grafana.example.com, 10.0.0.5, "::1", "[fe80::2]"]')().api.allowedHosts).toHaveLength(5);
    expect(parse('[]')().api.allowedHosts).toEqual([]);
    for (const bad of ['agent:9207', 'http://agent', '"*"', '"evil@x"', '""', '"a b"']) {
      expect(parse(`[${bad}]`), bad).toThrow(/api\.allowedHosts\[0\].*host name or IP address/);
    }
  });
});
