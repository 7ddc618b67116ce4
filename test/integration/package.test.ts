/**
 * kbench as a user installs it: `npm pack`, the tarball installed into an empty folder
 * (and globally, into a prefix), then run from there. Catches a `files` list that leaves
 * out dist/ or scenarios/, a dependency kept in devDependencies, a launcher that only
 * works inside the clone. Offline-friendly: npm takes the packages from its cache.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT, tempDir } from '../support/kbench-cli.js';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Offline when the cache has it; no audit, no funding messages, no update check. */
const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

let tarball: string;

before(async () => {
  // dist/ is built by the test script's pretest; --ignore-scripts so packing does not
  // rebuild dist/ under tests running in parallel.
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js')), 'build first (npm run build)');
  const destination = tempDir('kbench-pack-');
  await run(npm, ['pack', '--ignore-scripts', '--silent', '--pack-destination', destination], {
    cwd: REPO_ROOT,
    env: NPM_ENV,
  });
  const [name] = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
  assert.ok(name, 'npm pack wrote a tarball');
  tarball = path.join(destination, name);
});

test('the tarball holds the launcher, the compiled CLI, the scenarios, README, docs and LICENSE, and no sources or tests', async () => {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  const files = stdout.split('\n').filter(Boolean);
  for (const wanted of [
    'package/bin/kbench',
    'package/dist/cli/main.js',
    'package/scenarios/ci-smoke.yaml',
    'package/README.md',
    'package/docs/put.md',
    'package/LICENSE',
  ]) {
    assert.ok(files.includes(wanted), `${wanted} is in the tarball`);
  }
  for (const unwanted of ['package/src/', 'package/test/', 'package/bench/', 'package/results/']) {
    assert.ok(!files.some((file) => file.startsWith(unwanted)), `nothing under ${unwanted}`);
  }
});

test('package.json can be published and says where the project lives', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, any>;
  assert.notEqual(pkg['private'], true);
  assert.match(pkg['repository']?.url ?? '', /github\.com/);
  assert.match(pkg['bugs']?.url ?? '', /issues/);
  assert.ok(pkg['homepage']);
  assert.equal(pkg['license'], 'MIT');
});

test('the Node versions kbench claims are ones its runtime dependencies accept, and this Node is one of them', () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, any>;
  const claimed = lowestMajor(pkg['engines']?.node);
  assert.ok(claimed !== undefined, 'engines.node is ">=N"');
  assert.ok(
    Number(process.versions.node.split('.')[0]) >= claimed,
    `this Node (${process.version}) is one kbench supports`,
  );
  // When the AWS SDK (or another dependency) moves to a newer Node, this fails: raise
  // engines and docs/install.md ("Installed as a package") together.
  for (const dependency of Object.keys(pkg['dependencies'] ?? {})) {
    const manifest = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'node_modules', dependency, 'package.json'), 'utf8'),
    ) as Record<string, any>;
    const needs = lowestMajor(manifest['engines']?.node);
    if (needs !== undefined) assert.ok(needs <= claimed, `${dependency} needs Node ${needs}, kbench claims ${claimed}`);
  }
});

test('installed from the tarball into an empty folder, npx kbench put runs and prints a parsable summary', async () => {
  const folder = tempDir('kbench-install-');
  writeFileSync(path.join(folder, 'package.json'), '{ "name": "kbench-user", "private": true }\n');
  await run(npm, [...INSTALL, tarball], { cwd: folder, env: NPM_ENV });
  const { stdout, stderr } = await run(
    npm,
    ['exec', '--', 'kbench', 'put', '--duration', '2s', '--warmup', '0s', '--quiet', '--json'],
    {
      cwd: folder,
      env: NPM_ENV,
    },
  );
  assert.equal(stderr, '', 'no warning: everything the run needs (report assets included) was installed');
  const summary = JSON.parse(stdout) as Record<string, any>;
  assert.equal(summary['command'], 'put');
  assert.ok(summary['put'].records.accepted > 0, 'records were written');
  assert.ok(
    existsSync(path.join(folder, 'results', summary['run_id'], 'summary.json')),
    'results land in the folder kbench runs in',
  );
  assert.ok(
    existsSync(path.join(folder, 'results', summary['run_id'], 'report.html')),
    'report.html, drawn with the installed chart library',
  );
});

test('installed globally (npm install -g, into a prefix), kbench runs from the prefix bin folder', async () => {
  const prefix = tempDir('kbench-global-');
  const workDir = tempDir('kbench-global-run-');
  await run(npm, [...INSTALL, '--global', '--prefix', prefix, tarball], { cwd: workDir, env: NPM_ENV });
  const bin = path.join(prefix, 'bin', 'kbench');
  const version = await run(bin, ['--version'], { cwd: workDir });
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  const { stdout } = await run(
    bin,
    ['put', '--duration', '1s', '--warmup', '0s', '--quiet', '--json', '--out', path.join(workDir, 'out')],
    {
      cwd: workDir,
    },
  );
  assert.equal((JSON.parse(stdout) as Record<string, any>)['command'], 'put');
});

/** The N of an engines range written ">=N" or ">=N.x.y" (the form kbench and its dependencies use). */
function lowestMajor(range: unknown): number | undefined {
  const match = typeof range === 'string' ? /^>=\s*v?(\d+)/.exec(range.trim()) : null;
  return match ? Number(match[1]) : undefined;
}
