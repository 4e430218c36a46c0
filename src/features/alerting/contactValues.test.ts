import { describe, expect, it } from 'vitest';
import { contactPoint } from './notifications';
import { REDACTED } from './grafanaAlerting';
import { isHttpUrl } from '../../shared/utils/url';
import { isAddressList, keepStoredSecrets, prefill, validate, VALUE_SLOTS } from './contactValues';

const VALUES = { emails: 'oncall@example.com', dingtalkUrl: 'https://ding.example/robot', webhookUrl: 'https://hook.example/w' };
const NONE = new Set<never>();

describe('contact values', () => {
  it('finds where each form value lands in the contact points', () => {
    expect(VALUE_SLOTS).toEqual([
      { field: 'emails', contact: 'email', setting: 'addresses' },
      { field: 'dingtalkUrl', contact: 'dingtalk', setting: 'url' },
      { field: 'webhookUrl', contact: 'webhook', setting: 'url' },
    ]);
  });

  it('prefills from the Warden contact points, and notes the secrets Grafana hides', () => {
    const email = contactPoint('email', VALUES);
    const dingtalk = contactPoint('dingtalk', VALUES);
    const other = { ...contactPoint('webhook', VALUES), uid: 'someone-elses' };
    const { values, stored } = prefill([email, { ...dingtalk, settings: { ...dingtalk.settings, url: REDACTED } }, other]);
    expect(values).toEqual({ emails: 'oncall@example.com', dingtalkUrl: '', webhookUrl: '' });
    expect([...stored]).toEqual(['dingtalkUrl']);
  });

  it('sends the redacted marker for a hidden secret left empty, so Grafana keeps it', () => {
    const existing = contactPoint('dingtalk', { ...VALUES, dingtalkUrl: REDACTED });
    const kept = keepStoredSecrets(contactPoint('dingtalk', { ...VALUES, dingtalkUrl: '' }), existing);
    expect(kept.settings.url).toBe(REDACTED);
    const replaced = keepStoredSecrets(contactPoint('dingtalk', VALUES), existing);
    expect(replaced.settings.url).toBe(VALUES.dingtalkUrl);
  });

  it('validates loosely: address lists, http(s) URLs, and empty only for a kept secret', () => {
    expect(isAddressList('a@example.com; b@example.org, c@x')).toBe(true);
    expect(isAddressList('a@example.com; nobody')).toBe(false);
    expect(isAddressList(' ; ')).toBe(false);
    expect(isHttpUrl('https://oapi.dingtalk.com/robot/send?access_token=x')).toBe(true);
    expect(isHttpUrl('ftp://example.com')).toBe(false);
    expect(validate(VALUES, NONE)).toEqual({});
    expect(Object.keys(validate({ emails: '', dingtalkUrl: '', webhookUrl: 'hook' }, NONE))).toEqual(['emails', 'dingtalkUrl', 'webhookUrl']);
    expect(validate({ ...VALUES, dingtalkUrl: '' }, new Set(['dingtalkUrl'] as const))).toEqual({});
  });
});
