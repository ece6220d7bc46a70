// What the browser tests stand on: a real reciprocad (started, killed with SIGKILL, restarted on
// the same data directory and HTTP port), the real CLI, and Debian's Chromium driven by
// playwright-core.

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, closeSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const env = {
  serverBin: process.env.RECIPROCAD_BIN,
  cliBin: process.env.RECIPROCA_CLI_BIN,
  pluginDir: process.env.RECIPROCA_PLUGIN_DIR || '',
  chromium: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
  artifactDir: process.env.ARTIFACT_DIR,
  updateDocs: process.env.UPDATE_DOCS_SCREENSHOTS === '1',
  docsDir: process.env.DOCS_DIR,
  keepWork: !!process.env.KEEP_WORK,
};

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what, check, timeoutMs, intervalMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export class Server {
  // options.plugins: load the shipped plugins (scores, leaderboards, reminders); default true.
  // options.tls: {cert, key, ca} (PEM files): serve gRPC over TLS and the pages over HTTPS, and
  // give the CLI the CA.
  constructor(options = {}) {
    this.plugins = options.plugins !== false;
    this.tls = options.tls || null;
    this.work = mkdtempSync(path.join(os.tmpdir(), 'reciproca-browser.'));
    this.data = path.join(this.work, 'data');
    this.log = path.join(this.work, 'server.log');
    this.httpPort = 0;
    this.grpcAddress = '';
    this.proc = null;
    this.exited = null;
  }

  get origin() {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.httpPort}`;
  }

  // Starts reciprocad; the HTTP port is chosen once and kept across restarts (same origin, so
  // the pages' localStorage and the outbox survive).
  async start() {
    if (!this.httpPort) this.httpPort = await freePort();
    const portFile = path.join(this.work, 'grpc.port');
    const httpPortFile = path.join(this.work, 'http.port');
    rmSync(portFile, { force: true });
    rmSync(httpPortFile, { force: true });
    const args = ['--data-dir', this.data, '--listen', '127.0.0.1:0', '--port-file', portFile,
      '--http-listen', `127.0.0.1:${this.httpPort}`, '--http-port-file', httpPortFile, '--log-level', 'info'];
    if (this.plugins && env.pluginDir) args.push('--plugin-dir', env.pluginDir);
    if (this.tls) {
      args.push('--tls-cert', this.tls.cert, '--tls-key', this.tls.key,
        '--http-tls-cert', this.tls.cert, '--http-tls-key', this.tls.key);
    }
    const logFd = openSync(this.log, 'a');
    const proc = spawn(env.serverBin, args, { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    let gone = false;
    this.exited.then(() => { gone = true; });
    const started = Date.now();
    // A port just freed by a killed server can take a moment to be reusable: retry the bind.
    await waitFor('reciprocad to listen (see its log)', () => {
      if (gone) throw new Error(`reciprocad exited at start:\n${this.tail()}`);
      return existsSync(portFile) && readFileSync(portFile, 'utf8').trim() &&
        existsSync(httpPortFile) && readFileSync(httpPortFile, 'utf8').trim();
    }, 20000);
    const grpcPort = readFileSync(portFile, 'utf8').trim();
    const httpPort = Number(readFileSync(httpPortFile, 'utf8').trim());
    if (httpPort !== this.httpPort) throw new Error(`HTTP port file says ${httpPort}, asked for ${this.httpPort}`);
    this.grpcAddress = `127.0.0.1:${grpcPort}`;
    return Date.now() - started;
  }

  async kill9() {
    if (!this.proc) return;
    this.proc.kill('SIGKILL');
    await this.exited;
    this.proc = null;
  }

  async stop() {
    if (!this.proc) return;
    this.proc.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), 20000); });
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (!result) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.proc = null;
  }

  adminToken() {
    return readFileSync(path.join(this.data, 'admin.token'), 'utf8').trim();
  }

  tail(lines = 30) {
    try {
      return readFileSync(this.log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  cleanup(ok) {
    if (ok && !env.keepWork) rmSync(this.work, { recursive: true, force: true });
    else process.stderr.write(`browser tests: left ${this.work} for inspection\n`);
  }

  // Runs the CLI with TOKEN; resolves {code, stdout, stderr, ms} (never rejects).
  runCli(token, args, extraEnv = {}) {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(env.cliBin, args, {
        env: {
          ...process.env, RECIPROCA_SERVER: this.grpcAddress, RECIPROCA_TOKEN: token,
          RECIPROCA_WEB_URL: this.origin, RECIPROCA_CA_CERT: this.tls ? this.tls.ca : '', ...extraEnv,
        },
        timeout: 30000,
      }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
      });
    });
  }

  // The CLI with --json, which must succeed: the parsed output.
  async cli(token, args) {
    const result = await this.runCli(token, ['--json', ...args]);
    if (result.code !== 0) {
      throw new Error(`reciproca ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    }
    const text = result.stdout.trim();
    return text ? JSON.parse(text) : {};
  }

  // The JSON API, as the pages use it.
  async api(token, method, body) {
    const response = await fetch(`${this.origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { json = null; }
    return { status: response.status, body: json, text };
  }
}

// extraArgs: more Chromium switches (tls.test.mjs trusts its certificate with one).
// RECIPROCA_WEB_DIR=client/web: the pages' files are served from that folder instead of the
// ones compiled into reciprocad (working on the pages without rebuilding the server; what the
// folder lacks still comes from the server).
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  const browser = await launchWith(chromium, extraArgs);
  const webDir = process.env.RECIPROCA_WEB_DIR;
  if (webDir) {
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      await context.route(/\/(app|display|shared)\//, async (route) => {
        let file = path.join(path.resolve(webDir), new URL(route.request().url()).pathname);
        if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
        if (!existsSync(file) || !file.startsWith(path.resolve(webDir))) return route.continue();
        const type = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json' }[path.extname(file)];
        return route.fulfill({ body: readFileSync(file), contentType: type || 'application/octet-stream' });
      });
      return context;
    };
  }
  return browser;
}

function launchWith(chromium, extraArgs) {
  return chromium.launch({
    executablePath: env.chromium,
    // English unless a test's context asks for another locale: the pages follow the browser's
    // language, and the tests' expectations must not depend on the machine's.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--lang=en-US',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

// Collects what a page logs as errors. Failed requests the tests cause on purpose (a killed
// server, an aborted response, a 4xx answer) are logged by Chromium as "Failed to load
// resource"; those are kept apart from the page's own errors.
export function watchConsole(page, name, sink) {
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const network = /Failed to load resource|net::ERR_|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE/.test(text);
    sink.push({ page: name, text, network });
  });
  page.on('pageerror', (error) => sink.push({ page: name, text: `uncaught: ${error.message}`, network: false }));
}

export function ensureDir(dir) {
  mkdirSync(dir, { recursive: true });
  return dir;
}

// A test case (node:test's `test`) whose time goes into `timings[name]` and whose failure is
// counted in `outcome.failures` (a file keeps its server's work directory when one failed).
export function timedCheck(test, timings, outcome) {
  return (name, fn) => test(name, async (t) => {
    const started = Date.now();
    try {
      await fn(t);
    } catch (error) {
      outcome.failures += 1;
      throw error;
    } finally {
      timings[name] = Date.now() - started;
    }
  });
}
