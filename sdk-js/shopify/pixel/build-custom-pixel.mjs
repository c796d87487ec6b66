// `npm run build` (with the snippet): otq-pixel.js → ../custom-pixel.js, the paste-in custom pixel for one shop.
// The custom pixel editor takes a script, not a module: the same functions without `export`, then one call with
// the sandbox's globals and the two constants the merchant sets. test/shopify.test.js compares the committed file.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('./otq-pixel.js', import.meta.url);
const target = new URL('../custom-pixel.js', import.meta.url);

export function customPixel() {
  const core = readFileSync(source, 'utf8').replace(/^export function /gm, 'function ');
  return `// OmniTrackIQ custom pixel: paste this file into Shopify admin → Settings → Customer events → Add custom
// pixel, set the two constants below, Save, then Connect. Built from sdk-js/shopify/pixel/otq-pixel.js (the app
// pixel's source) by build-custom-pixel.mjs: edit that file, not this one. Prefer the app pixel (docs/shopify.md).
const OTQ_WRITE_KEY = 'wk_REPLACE_ME';
const OTQ_COLLECTOR = 'https://collect.example';

${core}
otqPixel({ analytics, browser, init, customerPrivacy: typeof customerPrivacy === 'undefined' ? undefined : customerPrivacy },
  { writeKey: OTQ_WRITE_KEY, collectorUrl: OTQ_COLLECTOR });
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(target, customPixel());
}
