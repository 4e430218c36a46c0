// Builds the app plugin the way Grafana's create-plugin does: one AMD `module.js` per plugin (the app
// and each nested panel), Grafana's shared packages left as externals, metadata and assets copied.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Compiler, Configuration } from 'webpack';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const pluginJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as { id: string };
const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

// What Grafana shares with plugins at runtime (public/app/features/plugins/loader/sharedDependencies.ts).
// `react-router-dom` is not here on purpose: Grafana maps that name to router v5; v6 plugins bundle
// react-router-dom and share `react-router`, which Grafana maps to its v6 instance.
const EXTERNALS = [
  'react',
  'react-dom',
  '@emotion/css',
  '@emotion/react',
  'rxjs',
  'rxjs/operators',
  'react-router',
  'lodash',
  'moment',
  'i18next',
  /^@grafana\/(ui|data|runtime)(\/.*)?$/,
];

function panelNames(): string[] {
  return fs
    .readdirSync(path.join(SRC, 'panels'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(SRC, 'panels', d.name, 'module.tsx')))
    .map((d) => d.name);
}

function entries(): Record<string, string> {
  const result: Record<string, string> = { module: './src/module.tsx' };
  for (const name of panelNames()) result[`panels/${name}/module`] = `./src/panels/${name}/module.tsx`;
  return result;
}

/** %VERSION% and %TODAY% in every plugin.json, as create-plugin's build does. */
function stampPluginJson(content: Buffer): string {
  const today = new Date().toISOString().slice(0, 10);
  return content.toString('utf8').replaceAll('%VERSION%', version).replaceAll('%TODAY%', today);
}

/** One line per bundle with its raw and gzip size, for bench/RESULTS.md. */
class BundleSizePlugin {
  apply(compiler: Compiler): void {
    compiler.hooks.done.tap('BundleSizePlugin', (stats) => {
      if (stats.hasErrors()) return;
      let total = 0;
      for (const file of Object.keys(stats.compilation.assets).filter((f) => f.endsWith('module.js')).sort()) {
        const bytes = fs.readFileSync(path.join(DIST, file));
        total += bytes.length;
        console.log(`bundle size: ${file} ${kib(bytes.length)} (gzip ${kib(gzipSync(bytes).length)})`);
      }
      console.log(`bundle size: total ${kib(total)}`);
    });
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const config: Configuration = {
  mode: 'production',
  context: ROOT,
  target: 'web',
  devtool: 'source-map',
  entry: entries(),
  externals: EXTERNALS,
  output: {
    path: DIST,
    filename: '[name].js',
    library: { type: 'amd' },
    publicPath: `public/plugins/${pluginJson.id}/`,
    uniqueName: pluginJson.id,
    clean: true,
  },
  resolve: {
    extensions: ['.ts', '.tsx', '.js'],
    // src/alerting imports with .js endings, as Node's ESM needs (the generator and tests run it in Node).
    extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
    // See src/jsx-runtime.ts: the automatic JSX runtime is served by a shim over createElement.
    alias: { 'react/jsx-runtime$': path.join(SRC, 'jsx-runtime.ts') },
  },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          // esbuild (already the test tooling's compiler) instead of swc: one native toolchain.
          loader: 'esbuild-loader',
          options: { loader: 'tsx', target: 'es2020', jsx: 'automatic' },
        },
      },
    ],
  },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: 'plugin.json', to: '.', transform: stampPluginJson },
        { from: 'src/README.md', to: '.' },
        { from: 'src/img', to: 'img' },
        { from: 'src/dashboards', to: 'dashboards' },
        ...panelNames().flatMap((name) => [
          { from: `src/panels/${name}/plugin.json`, to: `panels/${name}`, transform: stampPluginJson },
          // Nested plugins resolve their logos relative to their own folder.
          { from: 'src/img', to: `panels/${name}/img` },
        ]),
      ],
    }),
    new BundleSizePlugin(),
  ],
  performance: { hints: false },
  optimization: { splitChunks: false },
};

export default config;
