import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientLoadMonitor, clientBoundReasons } from '../../src/measure/client-load.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // deliberately blocking this thread's event loop
  }
}

test('a deliberately blocked event loop is reported as client-bound', async () => {
  const monitor = new ClientLoadMonitor();
  monitor.startRun();
  // Long blocks and short gaps: utilization stays far above 90 % even when other
  // processes stretch the gaps on a busy machine.
  for (let i = 0; i < 8; i++) {
    busyWait(100);
    await pause(1);
  }
  const load = monitor.runSample();
  monitor.stop();
  assert.ok(load.eventLoopDelayP99Ms > 20, `delay p99 ${load.eventLoopDelayP99Ms} ms`);
  assert.ok(load.eventLoopUtilization > 0.9, `utilization ${load.eventLoopUtilization}`);
  const reasons = clientBoundReasons(load, 0);
  assert.equal(reasons.length, 2);
  assert.match(reasons[0]!, /event-loop delay p99 \d+\.\d ms/);
});

test('an idle event loop is not client-bound', async () => {
  const monitor = new ClientLoadMonitor();
  monitor.startRun();
  await pause(300);
  const load = monitor.runSample();
  monitor.stop();
  assert.deepEqual(clientBoundReasons(load, 0), []);
  assert.ok(load.eventLoopUtilization < 0.5);
});

test("delay in a mostly idle loop (starved by other processes) is not the client's own load", () => {
  assert.deepEqual(
    clientBoundReasons({ eventLoopDelayP99Ms: 40, eventLoopDelayMaxMs: 60, eventLoopUtilization: 0.2 }, 0),
    [],
  );
  assert.equal(
    clientBoundReasons({ eventLoopDelayP99Ms: 40, eventLoopDelayMaxMs: 60, eventLoopUtilization: 0.6 }, 0).length,
    1,
  );
});

test('a fixed-rate schedule that fell behind is a reason on its own', () => {
  const idle = { eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0 };
  assert.match(clientBoundReasons(idle, 120)[0]!, /schedule fell 120 ms behind/);
  assert.deepEqual(clientBoundReasons(idle, 10), []);
});
