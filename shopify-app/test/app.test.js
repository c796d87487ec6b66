// Issue 20: what can be checked of the Shopify app without a Shopify login or a network: Shopify's own theme
// linter on the app embed, the extension and app configuration, and that the app's copies are the sources'.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { check } from '@shopify/theme-check-node';

const app = (path) => new URL(`../${path}`, import.meta.url);
const read = (path) => readFileSync(app(path), 'utf8');
const sdk = (path) => readFileSync(new URL(`../../sdk-js/shopify/${path}`, import.meta.url), 'utf8');

test('Shopify\'s theme linter (theme-check, theme app extension rules) finds nothing in the app embed', async () => {
  const offenses = await check(fileURLToPath(app('extensions/otq-embed/')));
  assert.deepEqual(offenses.map((o) => `${o.check}: ${o.message} (${o.uri})`), []);
});

test('the app embed renders the theme snippet, never in the theme editor, with consent from the Customer Privacy API', () => {
  assert.equal(read('extensions/otq-embed/snippets/otq.liquid'), sdk('otq.liquid'));
  const block = read('extensions/otq-embed/blocks/otq-embed.liquid');
  assert.match(block, /{%- unless request\.design_mode -%}\s*{% render 'otq'/);
  assert.match(block, /loadFeatures\(\[{ name: 'consent-tracking-api', version: '0\.1' }\]/);
  assert.match(block, /addEventListener\('visitorConsentCollected', apply\)/);
  assert.match(block, /otq\('consent', { analytics: privacy\.analyticsProcessingAllowed\(\), ads: privacy\.marketingAllowed\(\) }\)/);
  const schema = JSON.parse(block.match(/{% schema %}([\s\S]*){% endschema %}/)[1]);
  assert.equal(schema.settings.find((s) => s.id === 'require_consent').default, true);
});

test('the app pixel is a strict web pixel extension that needs analytics consent and registers the shared pixel', () => {
  assert.equal(read('extensions/otq-pixel/src/otq-pixel.js'), sdk('pixel/otq-pixel.js'), 'the app pixel is not sdk-js/shopify/pixel/otq-pixel.js');
  const toml = read('extensions/otq-pixel/shopify.extension.toml');
  assert.match(toml, /^type = "web_pixel_extension"$/m);
  assert.match(toml, /^runtime_context = "strict"$/m);
  assert.match(toml, /\[customer_privacy\]\nanalytics = true\nmarketing = false\npreferences = false\nsale_of_data = "disabled"/);
  const fields = [...toml.matchAll(/^\[settings\.fields\.(\w+)\]$/gm)].map((m) => m[1]);
  assert.deepEqual(fields, ['writeKey', 'collectorUrl']);
  const entry = read('extensions/otq-pixel/src/index.js');
  assert.match(entry, /import { register } from '@shopify\/web-pixels-extension';/);
  for (const field of fields) { assert.ok(entry.includes(`settings.${field}`), `index.js does not read settings.${field}`); }
});

test('the app subscribes the order topics and the three compliance topics to the collector, with the scopes they need', () => {
  const toml = read('shopify.app.toml');
  assert.match(toml, /^scopes = "read_orders,write_pixels,read_customer_events"$/m);
  assert.match(toml, /topics = \["orders\/create", "orders\/paid", "orders\/updated", "orders\/cancelled", "refunds\/create"\]\nuri = "https:\/\/collect\.example\/v1\/webhooks\/shopify\/shop"/);
  assert.match(toml, /compliance_topics = \["customers\/data_request", "customers\/redact", "shop\/redact"\]\nuri = "https:\/\/collect\.example\/v1\/webhooks\/shopify\/shop\/privacy"/);
});

test('the pinned packages are the ones installed', () => {
  const lock = JSON.parse(read('package-lock.json'));
  assert.equal(lock.packages['node_modules/@shopify/theme-check-node'].version, '3.29.1');
  assert.equal(lock.packages['node_modules/@shopify/web-pixels-extension'].version, '2.18.0');
});
