// dist/otq.js is committed (the collector embeds it): it must be exactly what `npm run build` makes of
// src/ (same esbuild options, built in memory), and within the size budget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { options } from '../build.mjs';

const dist = new URL('../dist/otq.js', import.meta.url);
export const budget = 2048;

test('dist/otq.js is the build of src/ (run `npm run build` and commit dist/ after changing src/)', async () => {
  const result = await build({ ...options, write: false });
  assert.equal(result.outputFiles.length, 1);
  const built = result.outputFiles[0].text;
  const committed = readFileSync(dist, 'utf8');
  assert.ok(committed === built, `dist/otq.js is stale: ${committed.length} bytes committed, ${built.length} built from src/`);
});

test(`dist/otq.js gzipped (level 9) is at most ${budget} bytes`, (t) => {
  const bytes = readFileSync(dist);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  t.diagnostic(`otq.js: ${bytes.length} bytes minified, ${gzipped} bytes gzipped (budget ${budget})`);
  assert.ok(gzipped <= budget, `${gzipped} bytes gzipped > ${budget}`);
});

test('the README documents the loader exactly as the issue states it', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const loader = "<script>!function(w,d,u){w.otq=w.otq||function(){(w.otq.q=w.otq.q||[]).push(arguments)};var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)}(window,document,'https://COLLECTOR/otq.js');otq('init','wk_…',{endpoint:'https://COLLECTOR'});</script>";
  assert.ok(readme.includes(loader), 'README.md lacks the loader');
});
