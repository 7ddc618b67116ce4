/**
 * The container image definition, checked without a Docker engine: the Dockerfile's
 * shape (multi-stage, non-root, kbench as entry point, a results volume), the same
 * install steps run in a temp folder by deploy/image-steps.sh followed by the image's
 * command line, and the Kubernetes Indexed Job that uses the image.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { definePutCommand } from '../../src/cli/put.js';
import { REPO_ROOT, tempDir } from '../support/kbench-cli.js';

const run = promisify(execFile);
const dockerfile = readFileSync(path.join(REPO_ROOT, 'deploy', 'Dockerfile'), 'utf8');
const steps = readFileSync(path.join(REPO_ROOT, 'deploy', 'image-steps.sh'), 'utf8');
/** Instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));

test('the Dockerfile: two stages, a non-root user, kbench as the entry point, a results volume, sources that exist', () => {
  assert.equal(instructions.filter((line) => line.startsWith('FROM ')).length, 2, 'multi-stage');
  const user = instructions.filter((line) => line.startsWith('USER ')).pop();
  assert.ok(user && !/root|\b0\b/.test(user), 'runs as a non-root user');
  assert.ok(instructions.includes('ENTRYPOINT ["kbench"]'));
  assert.ok(instructions.includes('VOLUME ["/kbench/results"]'));
  assert.ok(instructions.includes('WORKDIR /kbench'), 'results/<run id> lands in the volume');
  for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from'))) {
    for (const source of line.split(/\s+/).slice(1, -1))
      assert.ok(existsSync(path.join(REPO_ROOT, source)), `COPY ${source} exists`);
  }
});

test('deploy/image-steps.sh runs every npm command of the Dockerfile, with the same flags', () => {
  const npmCommands = instructions
    .filter((line) => line.startsWith('RUN '))
    .flatMap((line) => line.slice(4).split('&&'))
    .map((command) => command.trim())
    // npm cache clean only slims the image; a folder run must not empty the user's cache.
    .filter((command) => command.startsWith('npm ') && !command.startsWith('npm cache '));
  assert.ok(npmCommands.length >= 4, npmCommands.join('\n'));
  for (const command of npmCommands) {
    const [, sub, ...rest] = command.split(/\s+/);
    const flags = rest.filter((word) => word.startsWith('-'));
    const same = steps.split('\n').some((line) => {
      const words = line.trim().split(/\s+/);
      return words[0] === 'npm' && words[1] === sub && flags.every((flag) => words.includes(flag));
    });
    assert.ok(same, `image-steps.sh runs: ${command}`);
  }
});

test("the image's steps in a temp folder, then its command line: kbench put writes its results into the working folder's results/", async () => {
  const work = tempDir('kbench-image-');
  await run(path.join(REPO_ROOT, 'deploy', 'image-steps.sh'), [REPO_ROOT, work], {
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
    maxBuffer: 16 * 1024 * 1024,
  });
  const kbench = path.join(work, 'global', 'bin', 'kbench');
  const cwd = path.join(work, 'kbench');
  // CMD ["--help"]: the image run without arguments.
  const help = await run(kbench, ['--help'], { cwd });
  assert.match(help.stdout, /^Usage: kbench/);
  const { stdout } = await run(kbench, ['put', '--duration', '2s', '--warmup', '0s', '--quiet', '--json'], { cwd });
  const summary = JSON.parse(stdout) as { run_id: string; put: { records: { accepted: number } } };
  assert.ok(summary.put.records.accepted > 0);
  assert.ok(existsSync(path.join(cwd, 'results', summary.run_id, 'summary.json')), 'in the volume');
});

test('deploy/kbench-job.yaml: an Indexed Job of the image, every kbench flag one that kbench put has, results in the volume', () => {
  const job = parse(readFileSync(path.join(REPO_ROOT, 'deploy', 'kbench-job.yaml'), 'utf8')) as Record<string, any>;
  assert.equal(job['kind'], 'Job');
  assert.equal(job['spec'].completionMode, 'Indexed');
  assert.equal(job['spec'].parallelism, job['spec'].completions);
  const pod = job['spec'].template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const [container] = pod.containers;
  assert.match(container.image, /kbench/);
  const line = (container.args as string[]).join(' ');
  assert.match(line, /\bkbench put\b/);
  const known = new Set(definePutCommand(async () => undefined).options.map((option) => option.long));
  for (const flag of line.match(/--[a-z][a-z-]*/g) ?? []) assert.ok(known.has(flag), `${flag} is a kbench put flag`);
  assert.ok(container.volumeMounts.some((mount: { mountPath: string }) => mount.mountPath === '/kbench/results'));
  assert.match(line, /--out \/kbench\/results\//);
  assert.match(line, /JOB_COMPLETION_INDEX \* 1000/, 'producer id ranges apart');
});
