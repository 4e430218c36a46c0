// The installer form's values (ContactValues) and where they land in the contact points. The
// places are found by building the contact points with marked values, so notifications.ts stays the
// only description of the settings.
import type { ProvisionedContactPoint } from './grafanaAlerting';
import { REDACTED } from './grafanaAlerting';
import { isHttpUrl } from '../../shared/utils/url';
import { CONTACT_ENV, CONTACT_KEYS, contactPoint, type ContactKey, type ContactPoint, type ContactValues } from './notifications';

export type ValueField = keyof ContactValues;

/** One setting of one contact point that a form value fills. */
export interface ValueSlot {
  field: ValueField;
  contact: ContactKey;
  setting: string;
}

export const VALUE_FIELDS = Object.keys(CONTACT_ENV) as ValueField[];
export const EMPTY_VALUES = Object.fromEntries(VALUE_FIELDS.map((field) => [field, ''])) as unknown as ContactValues;

const MARK = '\u0000mark';

export const VALUE_SLOTS: readonly ValueSlot[] = VALUE_FIELDS.flatMap((field) =>
  CONTACT_KEYS.flatMap((contact) =>
    Object.entries(contactPoint(contact, { ...EMPTY_VALUES, [field]: MARK }).settings)
      .filter(([, value]) => value === MARK)
      .map(([setting]) => ({ field, contact, setting })),
  ),
);

export const contactUid = (key: ContactKey): string => contactPoint(key, EMPTY_VALUES).uid;

/** Settings a form value fills: they are the user's, so status checks leave them out. */
export function userSettings(key: ContactKey): Set<string> {
  return new Set(VALUE_SLOTS.filter((slot) => slot.contact === key).map((slot) => slot.setting));
}

export interface Prefill {
  values: ContactValues;
  /** fields Grafana holds as secrets: left empty, the stored value is kept */
  stored: Set<ValueField>;
}

/** The form's starting values, read back from the Warden contact points that exist. */
export function prefill(existing: readonly ProvisionedContactPoint[]): Prefill {
  const values = { ...EMPTY_VALUES };
  const stored = new Set<ValueField>();
  for (const { field, contact, setting } of VALUE_SLOTS) {
    const value = existing.find((point) => point.uid === contactUid(contact))?.settings[setting];
    if (value === REDACTED) stored.add(field);
    else if (typeof value === 'string' && value !== '' && values[field] === '') values[field] = value;
  }
  return { values, stored };
}

/** Settings left empty where Grafana holds a secret become the redacted marker, which keeps it. */
export function keepStoredSecrets(point: ContactPoint, existing: ProvisionedContactPoint): ContactPoint {
  const settings = Object.fromEntries(
    Object.entries(point.settings).map(([key, value]) => [key, value === '' && existing.settings[key] === REDACTED ? REDACTED : value]),
  );
  return { ...point, settings };
}

/** Loose on purpose: Grafana's email integration takes a `;`- or `,`-separated list. */
export function isAddressList(value: string): boolean {
  const addresses = value.split(/[;,\n]/).map((a) => a.trim()).filter(Boolean);
  return addresses.length > 0 && addresses.every((a) => /^[^\s@]+@[^\s@]+$/.test(a));
}

const PROBLEMS: Record<ValueField, { valid: (value: string) => boolean; problem: string }> = {
  emails: { valid: isAddressList, problem: 'One or more e-mail addresses, separated by ; or ,' },
  dingtalkUrl: { valid: isHttpUrl, problem: 'An http:// or https:// URL' },
  webhookUrl: { valid: isHttpUrl, problem: 'An http:// or https:// URL' },
};

/** A problem per invalid field; an empty field whose secret Grafana keeps is fine. */
export function validate(values: ContactValues, stored: ReadonlySet<ValueField>): Partial<Record<ValueField, string>> {
  const problems: Partial<Record<ValueField, string>> = {};
  for (const field of VALUE_FIELDS) {
    const value = values[field].trim();
    if (value === '' && stored.has(field)) continue;
    if (!PROBLEMS[field].valid(value)) problems[field] = PROBLEMS[field].problem;
  }
  return problems;
}

export function trimmed(values: ContactValues): ContactValues {
  return Object.fromEntries(VALUE_FIELDS.map((field) => [field, values[field].trim()])) as unknown as ContactValues;
}
