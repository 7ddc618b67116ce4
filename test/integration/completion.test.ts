/** kbench completion: scripts the shells accept, generated from the commands' own flags. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { defineLagCommand } from '../../src/cli/lag.js';
import { runKbench, tempDir } from '../support/kbench-cli.js';

const run = promisify(execFile);

async function bashScript(): Promise<string> {
  const result = await runKbench(['completion', 'bash']);
  assert.equal(result.code, 0, result.stderr);
  const file = path.join(tempDir('kbench-completion-'), 'kbench.bash');
  writeFileSync(file, result.stdout);
  return file;
}

/** What bash offers after the words typed so far (the last one is being completed). */
async function complete(script: string, words: readonly string[]): Promise<string[]> {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const program = `source '${script}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _kbench; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await run('bash', ['-c', program]);
  return stdout.split('\n').filter(Boolean);
}

test('kbench completion bash prints a script bash accepts (bash -n)', async () => {
  const script = await bashScript();
  await run('bash', ['-n', script]);
});

test('bash completes commands, every flag of a command, and the choices of a flag', async () => {
  const script = await bashScript();
  assert.deepEqual(await complete(script, ['kbench', 'la']), ['lag']);
  const lagFlags = await complete(script, ['kbench', 'lag', '--']);
  for (const option of defineLagCommand(async () => undefined).options)
    assert.ok(lagFlags.includes(option.long ?? ''), `${option.long} completes`);
  assert.deepEqual(await complete(script, ['kbench', 'lag', '--consumer', '']), ['polling', 'efo']);
  assert.deepEqual(await complete(script, ['kbench', 'completion', 'z']), ['zsh']);
});

test('zsh and fish scripts name every command; an unknown shell is a usage error', async () => {
  for (const shell of ['zsh', 'fish']) {
    const result = await runKbench(['completion', shell]);
    assert.equal(result.code, 0, result.stderr);
    for (const command of ['put', 'lag', 'run', 'compare', 'merge'])
      assert.match(result.stdout, new RegExp(`\\b${command}\\b`), `${shell}: ${command}`);
    assert.match(result.stdout, /record-size/);
  }
  const bad = await runKbench(['completion', 'tcsh']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^kbench: .*'tcsh'.*bash, zsh, fish/);
});
