import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdkLogger } from '../../src/target/sdk-logger.js';
import { describeTimeout } from '../../src/errors/timeout-errors.js';

function captureStderr(work: () => void): string {
  const write = process.stderr.write;
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

const SDK_WARNING =
  '@smithy/node-http-handler - [WARN] a request has exceeded the configured 30000 ms requestTimeout.\nsecond line';

test('the SDK log lines never reach the terminal unless KBENCH_DEBUG asks for them', () => {
  const quiet = sdkLogger(false);
  assert.equal(
    captureStderr(() => (quiet.warn(SDK_WARNING), quiet.error('boom'), quiet.info('x'))),
    '',
  );
});

test("with KBENCH_DEBUG, each SDK log line is one line marked as the SDK's", () => {
  const loud = sdkLogger(true);
  assert.equal(
    captureStderr(() => loud.warn(SDK_WARNING)),
    'kbench: sdk: @smithy/node-http-handler - [WARN] a request has exceeded the configured 30000 ms requestTimeout. second line\n',
  );
  assert.equal(
    captureStderr(() => loud.debug('chatter')),
    '',
    'debug chatter stays out',
  );
});

test("the handler's timeouts are said in kbench's words", () => {
  const timeout = (message: string): Error => Object.assign(new Error(message), { name: 'TimeoutError' });
  assert.equal(
    describeTimeout(
      timeout(
        '@smithy/node-http-handler - the request socket timed out after 10000 ms of inactivity (configured by client requestHandler).',
      ),
    ),
    'no answer: the connection stayed silent for 10 s (TimeoutError)',
  );
  assert.equal(
    describeTimeout(
      timeout('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 60000 ms requestTimeout.'),
    ),
    'no complete answer within 60 s (TimeoutError)',
  );
  assert.equal(
    describeTimeout(
      timeout(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.',
      ),
    ),
    'could not connect within 5 s (TimeoutError)',
  );
  assert.equal(describeTimeout(new Error('other')), undefined);
});
