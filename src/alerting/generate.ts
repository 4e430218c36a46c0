// Writes the generated alerting files: npm run alerting:generate.
import { renderAlerting } from './render.js';

// The plugin's tsconfig has no Node types (its code runs in browsers): the module is named through
// a variable so this file typechecks there too, and typed by hand.
const fsModule = 'node:fs/promises';
const { writeFile } = (await import(fsModule)) as { writeFile(path: URL, data: string): Promise<void> };

const root = new URL('../../', import.meta.url);
for (const [file, content] of Object.entries(renderAlerting())) await writeFile(new URL(file, root), content);
