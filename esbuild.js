// Bundles the extension (node/cjs, `vscode` external), the CLI, and the webview scripts (browser/iife).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * Libraries the extension needs only for some commands (HTTP steps and webhooks, Markdown import) live in their own
 * files under dist/vendor/ and load on first use: V8 parses the whole extension bundle at activation, and undici
 * alone is half of it. The CLI bundles them in.
 */
const VENDOR = ['undici', 'markdown-it'];

/** @type {import('esbuild').Plugin} */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${VENDOR.join('|')})$`) }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

const contexts = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [vendorExternal],
  },
  {
    ...common,
    entryPoints: Object.fromEntries(VENDOR.map((name) => [`vendor/${name}`, require.resolve(name)])),
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

const webviewEntries = fs.existsSync('media/src')
  ? fs
      .readdirSync('media/src')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join('media/src', f))
  : [];
if (webviewEntries.length > 0) {
  contexts.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/media',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

async function main() {
  const built = await Promise.all(contexts.map((options) => esbuild.context(options)));
  if (watch) {
    await Promise.all(built.map((ctx) => ctx.watch()));
    return;
  }
  await Promise.all(built.map((ctx) => ctx.rebuild()));
  await Promise.all(built.map((ctx) => ctx.dispose()));
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
