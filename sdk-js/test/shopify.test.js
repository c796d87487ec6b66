// The Shopify files: the app embed renders the same snippet as the theme snippet, its schema is valid, and
// the pixel's register() callback, fed Shopify's documented event payloads (tests/sdk-e2e runs them in Chromium).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path) => readFileSync(new URL(`../shopify/${path}`, import.meta.url), 'utf8');
// The app embed lives in the Shopify app (shopify-app/extensions/otq-embed), deployed with `shopify app deploy`.
const readEmbed = (path) => readFileSync(new URL(`../../shopify-app/extensions/otq-embed/${path}`, import.meta.url), 'utf8');

test('the theme app extension ships the theme snippet unchanged', () => {
  assert.equal(readEmbed('snippets/otq.liquid'), read('otq.liquid'));
});

test('the app embed block targets <head> and asks for the write key and collector URL', () => {
  const block = readEmbed('blocks/otq-embed.liquid');
  const schema = JSON.parse(block.match(/{% schema %}([\s\S]*){% endschema %}/)[1]);
  assert.equal(schema.target, 'head');
  assert.deepEqual(schema.settings.map((s) => s.id), ['write_key', 'collector_url', 'require_consent']);
  assert.match(block, /{% render 'otq', write_key: block\.settings\.write_key, collector_url: block\.settings\.collector_url/);
});

test('the snippet writes the cart attributes with POST {routes.cart_update_url}.js', () => {
  const snippet = read('otq.liquid');
  for (const name of ['_otq_id', '_otq_first_touch', '_otq_last_touch']) { assert.ok(snippet.includes(name), name); }
  assert.match(snippet, /routes\.cart_update_url \| append: '\.js'/);
  assert.ok(snippet.includes("!function(w,d,u){w.otq=w.otq||function(){(w.otq.q=w.otq.q||[]).push(arguments)};var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)}(window,document,"));
});

test('the custom pixel is the build of the app pixel\'s source and subscribes to checkout events only', async () => {
  const { customPixel } = await import('../shopify/pixel/build-custom-pixel.mjs');
  const pixel = read('custom-pixel.js');
  assert.equal(pixel, customPixel(), 'custom-pixel.js is not the build of pixel/otq-pixel.js: npm run build');
  const subscribed = [...pixel.matchAll(/analytics\.subscribe\('(\w+)'/g)].map((m) => m[1]);
  assert.deepEqual(subscribed, ['page_viewed', 'checkout_started', 'checkout_completed']);
  assert.match(pixel, /keepalive: true, headers: { 'Content-Type': 'text\/plain' }/);
});
