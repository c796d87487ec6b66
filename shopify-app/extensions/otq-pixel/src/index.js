// The app pixel's entry point: Shopify CLI bundles this file (shopify app deploy). register() hands the strict
// sandbox's APIs and the shop's settings (webPixelCreate) to the pixel shared with the paste-in custom pixel.
import { register } from '@shopify/web-pixels-extension';
import { otqPixel } from './otq-pixel.js';

register(({ analytics, browser, init, settings, customerPrivacy }) => {
  otqPixel({ analytics, browser, init, customerPrivacy }, { writeKey: settings.writeKey, collectorUrl: settings.collectorUrl });
});
