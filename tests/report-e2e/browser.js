// Headless Chromium for the report suites: where it is, whether the suite runs, where screenshots go.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.OTQ_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
// In CI a missing browser is a failure (launch throws); on a workstation the suite skips.
export const skip = !haveChromium && process.env.CI !== 'true' ? `${chromiumPath} is missing (apt-get install chromium); skipped outside CI` : false;
export const artifacts = process.env.OTQ_REPORT_ARTIFACTS ?? join(tmpdir(), 'otq-report-e2e-artifacts');

export async function launchBrowser() {
  if (!haveChromium) { throw new Error(`CI=true but ${chromiumPath} is missing`); }
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
