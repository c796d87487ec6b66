// The real collector as a child process (built beforehand by test.sh / `dotnet build collector -c Release`),
// configured with one workspace on a free loopback port and a temp data directory, plus helpers that
// talk to its public API the way a browser, a shop server and an analyst would.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectorNow } from './seed.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const collectorDll = process.env.OTQ_COLLECTOR_DLL
  ?? join(repoRoot, 'collector/bin/Release/net10.0/linux-x64/OmniTrackIQ.Collector.dll');

/** Page views without a browser user agent are flagged as bots and are no touchpoints. */
export const browserUserAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the collector (`extraArgs`: more `--OmniTrack:…` settings) and waits for /healthz. Returns { base, writeKey, readToken, secretKey, output(), stop() };
 * stop() kills the process and deletes the data directory.
 */
export async function startCollector({ extraArgs = [] } = {}) {
  if (!existsSync(collectorDll)) {
    throw new Error(`${collectorDll} is missing: build it first (dotnet build collector/OmniTrackIQ.Collector.csproj -c Release)`);
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'otq-report-e2e-'));
  const keys = { writeKey: 'wk_report_e2e', readToken: 'rt_report_e2e', secretKey: 'sk_report_e2e' };
  const args = [
    collectorDll, '--urls', `http://127.0.0.1:${port}`, '--OmniTrack:DataDirectory', dataDir,
    '--OmniTrack:Sink:MaxBatchAge', '00:00:00.050',
    // tests never depend on the wall clock; OTQ_CLOCK_OFFSET_DAYS moves it on (README "Tests")
    '--OmniTrack:Clock:StartAt', collectorNow,
    '--OmniTrack:Attribution:IntervalSeconds', '0', // only the explicit run endpoint computes
    '--OmniTrack:Workspaces:0:Id', 'report',
    '--OmniTrack:Workspaces:0:WriteKey', keys.writeKey,
    '--OmniTrack:Workspaces:0:ReadTokenSha256:0', sha256(keys.readToken),
    '--OmniTrack:Workspaces:0:SecretKeySha256', sha256(keys.secretKey),
    ...extraArgs,
  ];
  const child = spawn('dotnet', args, { cwd: dirname(collectorDll), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((r) => child.once('exit', r));
  // Never leave a collector behind, even when the test run itself is torn down early.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`collector exited during start:\n${log}`);
    }
    try {
      if ((await fetch(`${base}/healthz`)).ok) { break; }
    } catch { /* not listening yet */ }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`collector did not become healthy:\n${log}`);
    }
    await sleep(100);
  }
  return { base, ...keys, output: () => log, stop };
}

/** Calls the collector; returns { status, body } with body parsed as JSON when it is JSON. */
export async function call(collector, method, path, { token, json } = {}) {
  const headers = { 'User-Agent': browserUserAgent };
  if (token) { headers.Authorization = `Bearer ${token}`; }
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; }
  const response = await fetch(collector.base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, body };
}

/** Posts one batch and waits (bounded) until the stats count every event stored. */
export async function postAndStore(collector, events) {
  const sent = await call(collector, 'POST', '/v1/batch', {
    json: { writeKey: collector.writeKey, sentAt: collectorNow, batch: events },
  });
  if (sent.status < 200 || sent.status > 299) { throw new Error(`batch refused: ${sent.status} ${JSON.stringify(sent.body)}`); }
  let total = -1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const stats = await call(collector, 'GET', '/v1/events/stats', { token: collector.readToken });
    total = stats.body.total;
    if (total === events.length) { return total; }
    await sleep(50);
  }
  throw new Error(`expected ${events.length} stored events, the stats say ${total}`);
}
