// The plugin's bundles import the contract (backend/src/contract) for its values and types only:
// zod, which the agent validates with, must not ride along into the browser.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/warden.js';

const bundles = ['module.js', ...fs.readdirSync(path.join(ROOT, 'dist', 'panels')).map((p) => path.join('panels', p, 'module.js'))];
const text = (file: string) => fs.readFileSync(path.join(ROOT, 'dist', file), 'utf8');

describe('the plugin bundles', () => {
  it.each(bundles)('%s carries no zod', (file) => {
    expect(text(file)).not.toMatch(/ZodError|\$ZodType|zod\/v4/);
  });
});
