#!/usr/bin/env node
// The compiled, bundled agent lives in backend/dist/bundle (built by `npm ci` via the prepare script, or `npm run build`).
import { main } from '../dist/bundle/cli.js';

process.exitCode = await main(process.argv.slice(2));
