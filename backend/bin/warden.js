#!/usr/bin/env node
// The compiled agent lives in backend/dist (built by `npm ci` via the prepare script, or `npm run build`).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
