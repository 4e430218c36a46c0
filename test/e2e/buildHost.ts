// Bundles the host page (host/) with the real Grafana packages, once per change of its sources or
// of the installed packages. Not minified: it only serves the tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack, { type Configuration } from 'webpack';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SOURCES = path.join(HERE, 'host');
export const HOST_DIST = path.join(SOURCES, 'dist');
const BUNDLE = path.join(HOST_DIST, 'host.js');
const LOCKFILE = path.resolve(HERE, '../../package-lock.json');

const config: Configuration = {
  mode: 'production',
  context: SOURCES,
  target: 'web',
  devtool: false,
  entry: { host: './main.tsx' },
  output: { path: HOST_DIST, filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: { loader: 'esbuild-loader', options: { loader: 'tsx', target: 'es2020', jsx: 'automatic' } },
      },
      // Grafana's ESM builds import some packages without file extensions.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      // Stylesheets that some @grafana/ui dependencies import are not needed on these pages.
      { test: /\.css$/, type: 'asset/source' },
    ],
  },
  optimization: { minimize: false, splitChunks: false },
  performance: { hints: false },
};

function newestInput(): number {
  const sources = fs.readdirSync(SOURCES).filter((f) => /\.tsx?$/.test(f));
  return Math.max(fs.statSync(LOCKFILE).mtimeMs, ...sources.map((f) => fs.statSync(path.join(SOURCES, f)).mtimeMs));
}

export async function buildHost(): Promise<string> {
  if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs > newestInput()) return BUNDLE;
  await new Promise<void>((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err || stats?.hasErrors()) reject(err ?? new Error(stats!.toString({ all: false, errors: true })));
      else resolve();
    });
  });
  return BUNDLE;
}
