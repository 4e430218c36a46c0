// Writes the generated alerting files: npm run alerting:generate.
import { writeFile } from 'node:fs/promises';
import { renderAlerting } from '../src/features/alerting/render.js';

const root = new URL('../', import.meta.url);
for (const [file, content] of Object.entries(renderAlerting())) await writeFile(new URL(file, root), content);
