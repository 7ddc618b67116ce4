/** Small messages users see: advice that fits the machine, case names without doubled brackets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientBoundAdvice } from '../../src/results/summary.js';

test('client-bound advice suggests more workers only while cores are free', () => {
  assert.match(clientBoundAdvice(1, 4), /add --workers \(this run had 1, this machine has 4 cores\)/);
  const busy = clientBoundAdvice(64, 2);
  assert.doesNotMatch(busy, /add --workers/);
  assert.match(busy, /64 workers on 2 cores, so more workers would not help/);
  assert.match(busy, /several hosts .* kbench merge/);
});
