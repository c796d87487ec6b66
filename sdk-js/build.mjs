// `npm run build`: src/index.js → dist/otq.js (minified IIFE). test/dist.test.js builds with the same
// options in memory and compares, so a dist/otq.js that is not the build of src/ fails the tests.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const options = {
  entryPoints: [fileURLToPath(new URL('./src/index.js', import.meta.url))],
  outfile: fileURLToPath(new URL('./dist/otq.js', import.meta.url)),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  legalComments: 'none',
  charset: 'utf8',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(options);
}
