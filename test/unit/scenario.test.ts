/**
 * Scenario files checked against the real put command's flags: every mistake is one
 * line naming the file, line and field with what is allowed, the same words a flag gets.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modeNamed, scenarioCatalog } from '../../src/cli/modes.js';
import { UsageError } from '../../src/errors/errors.js';
import { parseThreshold } from '../../src/gate/thresholds.js';
import { checkThresholdsSelect, expandCases, selects } from '../../src/scenario/matrix.js';
import { validateScenario, type Setting } from '../../src/scenario/scenario.js';
import { parseScenarioText } from '../../src/scenario/scenario-file.js';

const catalog = scenarioCatalog();
const load = (text: string, file = 's.yaml') => validateScenario(parseScenarioText(file, text), catalog);

function refused(text: string, pattern: RegExp, file = 's.yaml'): void {
  assert.throws(
    () => load(text, file),
    (error: unknown) => {
      assert.ok(error instanceof UsageError, `a UsageError, got ${String(error)}`);
      assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('an unknown field is an error naming the file, line, field, the closest name and what is allowed', () => {
  refused(
    'shards: 3\nrecord_size: 100\n',
    /^s\.yaml:2: unknown field "record_size" \(did you mean record-size\?\); allowed: description, mode, matrix, .*record-size.*workers/,
  );
  refused('shards: 3\nbogus: 1\n', /^s\.yaml:2: unknown field "bogus"; allowed: /);
  refused('matrix:\n  shardz: [1, 2]\n', /^s\.yaml:2: unknown field "shardz" \(did you mean shards\?\)/);
});

test('a value of the wrong type is an error saying what the field takes', () => {
  refused('shards: [1, 2]\n', /^s\.yaml:1: shards: a single value as --shards <n> takes, not a list/);
  refused('keep-stream: yes\n', /^s\.yaml:1: keep-stream: true or false, not "yes"/);
  refused('duration: {s: 3}\n', /^s\.yaml:1: duration: a single value as --duration <time> takes, not a map/);
  refused('shards:\n', /^s\.yaml:1: shards: has no value/);
  refused(
    'matrix:\n  shards: 3\n',
    /^s\.yaml:2: matrix\.shards: a list of values \(e\.g\. \[1, 2, 3\]\), not 3 \(a number\)/,
  );
  refused('matrix: [1, 2]\n', /^s\.yaml:1: matrix is a map of field: \[values\]/);
  refused('thresholds: put.failed == 0\n', /^s\.yaml:1: thresholds: a list of strings/);
  refused('- shards\n', /^s\.yaml(:1)?: a scenario is a map of fields/);
  refused(
    '{"shards": 1, "duration": 30}',
    /^s\.json:1: duration: "30" is not a duration \(use e\.g\. 500ms, 30s, 2m, 1m30s\)/,
    's.json',
  );
});

test("an out-of-range value is refused with the flag parser's own words", () => {
  refused('record-size: 31\n', /^s\.yaml:1: record-size: "31" is not an integer from 32 to 1048576$/);
  refused('shards: 0\n', /shards: "0" is not an integer from 1 to 100000/);
  refused('batch: 501\n', /batch: "501" is not an integer from 1 to 500/);
  refused('rate: 0\n', /rate: "0" is not a rate \(records\/s above 0, or "max"\)/);
  refused('target: azure\n', /target: "azure" is not one of embedded, aws, endpoint/);
  refused('partition-keys: some\n', /partition-keys: "some" is not a key distribution/);
  refused('matrix:\n  batch: [1, 600]\n', /^s\.yaml:2: matrix\.batch\[1\]: "600" is not an integer from 1 to 500/);
  refused('repeat: 0\n', /^s\.yaml:1: repeat: "0" is not an integer from 1 to 100/);
  refused('max-regression: ten\n', /max-regression: "ten" is not a tolerance/);
  refused(
    'max-regression:\n  put.nope: 10%\n',
    /^s\.yaml:2: max-regression: "put\.nope=10%": unknown metric put\.nope/,
  );
});

test('matrix mistakes: a field both at the top and in the matrix, a value twice, too many cases', () => {
  refused('shards: 1\nmatrix:\n  shards: [1, 2]\n', /^s\.yaml:3: shards is set both at the top level and in matrix/);
  refused('matrix:\n  batch: [1, 1]\n', /matrix\.batch: 1 is listed twice/);
  refused('matrix:\n  batch: []\n', /matrix\.batch: an empty list makes no cases/);
  const values = Array.from({ length: 40 }, (_, i) => i + 1).join(', ');
  refused(`matrix:\n  shards: [${values}]\n  batch: [${values}]\n`, /the matrix makes 1600 cases; at most 1000/);
});

test('a mode kbench knows but this build cannot run is refused with one line; unknown modes list the known ones', () => {
  const withPlanned = {
    ...catalog,
    unavailable: new Map([['get', 'needs kbench get, which this build does not have yet']]),
  };
  assert.throws(
    () => validateScenario(parseScenarioText('s.yaml', 'mode: get\n'), withPlanned),
    /^UsageError: s\.yaml:1: mode get: needs kbench get, which this build does not have yet \(available: put, lag\)$/,
  );
  refused('mode: get\n', /mode: "get" is not a mode \(use put, lag\)/);
});

test("mode lag: its fields are kbench lag's flags, its defaults lag's; a lag-only field needs a lag case", () => {
  refused('poll-interval: 200ms\n', /^s\.yaml:1: poll-interval applies to mode lag, and this scenario runs put$/);
  refused('mode: lag\npoll-interval: -1s\n', /poll-interval: /);
  const scenario = load('poll-interval: 200ms\nmatrix:\n  mode: [put, lag]\n');
  const [put, lag] = expandCases(scenario, catalog, new Map());
  assert.equal(put?.flags['rate'], 'max', "put's default rate");
  assert.equal(put?.flags['pollInterval'], undefined, 'a put case has no poll interval');
  assert.equal(lag?.flags['rate'], 100, "lag's default rate");
  assert.equal(lag?.flags['pollInterval'], 200);
});

test('a poll interval with efo consumers is refused from a scenario as from a flag', () => {
  const scenario = load('mode: lag\nemulator: kinesis-mock\nconsumer: efo\npoll-interval: 200ms\n');
  const [lag] = expandCases(scenario, catalog, new Map());
  assert.throws(
    () => modeNamed('lag')?.prepare(lag?.flags ?? {}),
    /^UsageError: --poll-interval only applies to --consumer polling$/,
  );
  const polling = load('mode: lag\nmatrix:\n  consumer: [polling, efo]\nemulator: kinesis-mock\n');
  for (const each of expandCases(polling, catalog, new Map())) {
    assert.doesNotThrow(() => modeNamed('lag')?.prepare(each.flags), 'the default interval is no poll interval given');
  }
});

test('invocation flags are not scenario fields, and say where they go', () => {
  refused('out: results/x\n', /^s\.yaml:1: out: give it on the command line \(kbench run FILE --out DIR\)/);
  refused('run-id: abc\n', /run-id: give it on the command line/);
});

test('thresholds are checked: grammar, metric, and the fields of a selector', () => {
  refused(
    'thresholds:\n  - put.recordz >= 5\n',
    /^s\.yaml:2: thresholds\[0\]: "put\.recordz >= 5": unknown metric put\.recordz \(known: put\.records_per_s, /,
  );
  refused(
    'thresholds:\n  - put.records_per_s about 5\n',
    /thresholds\[0\]: "put\.records_per_s about 5" is not a threshold/,
  );
  refused('thresholds:\n  - put.p99_ms < 5%\n', /put\.p99_ms is in ms, not %/);
  refused(
    'thresholds:\n  - put.p99_ms{shards=zero} < 5\n',
    /"put\.p99_ms\{shards=zero\} < 5": shards: "zero" is not an integer/,
  );
  refused('thresholds:\n  - put.p99_ms{colour=red} < 5\n', /unknown field "colour"/);
});

test('a scenario reads into settings, a matrix, thresholds, repeat and regression limits', () => {
  const scenario = load(
    [
      'description: two batch sizes',
      'shards: 2',
      'duration: 1m30s',
      'keep-stream: true',
      'matrix:',
      '  batch: [1, 500]',
      '  partition-keys: [random, hot]',
      'thresholds: ["put.records_per_s{batch=500} >= 2500", "put.throttled_pct < 5%"]',
      'repeat: 3',
      'max-regression: {put.p99_ms: 20%, put.throttled_pct: 1}',
    ].join('\n'),
  );
  assert.equal(scenario.description, 'two batch sizes');
  assert.equal(scenario.settings.get('duration')?.value, 90_000);
  assert.equal(scenario.settings.get('keep-stream')?.value, true);
  assert.deepEqual(
    scenario.matrix.map((axis) => [axis.field, axis.values.map((v) => v.text)]),
    [
      ['batch', ['1', '500']],
      ['partition-keys', ['random', 'hot']],
    ],
  );
  assert.equal(scenario.thresholds.length, 2);
  assert.equal(scenario.repeat, 3);
  assert.deepEqual(scenario.limits.perMetric.get('put.p99_ms'), { kind: 'relative', pct: 20 });
  assert.deepEqual(scenario.limits.perMetric.get('put.throttled_pct'), { kind: 'absolute', amount: 1 });
  assert.deepEqual(scenario.modes, ['put']);
});

test("the matrix expands to the cartesian product, first axis outermost, each case with the mode's defaults and the file's values", () => {
  const scenario = load('shards: 2\nmatrix:\n  batch: [1, 500]\n  partition-keys: [random, hot]\n');
  const cases = expandCases(scenario, catalog, new Map());
  assert.deepEqual(
    cases.map((c) => c.label),
    [
      'batch=1 partition-keys=random',
      'batch=1 partition-keys=hot',
      'batch=500 partition-keys=random',
      'batch=500 partition-keys=hot',
    ],
  );
  assert.deepEqual(
    cases.map((c) => c.slug),
    [
      'c01-batch-1-partition-keys-random',
      'c02-batch-1-partition-keys-hot',
      'c03-batch-500-partition-keys-random',
      'c04-batch-500-partition-keys-hot',
    ],
  );
  assert.equal(cases[3]?.key, 'batch=500,partition-keys=hot');
  const flags = cases[3]?.flags ?? {};
  assert.equal(flags['shards'], 2);
  assert.equal(flags['batch'], 500);
  assert.deepEqual(flags['partitionKeys'], { kind: 'hot' });
  assert.equal(flags['duration'], 30_000, 'the put default');
  assert.equal(flags['rate'], 'max', 'the put default');
});

test('a scenario without a matrix is one case; the case key is empty', () => {
  const [only, ...rest] = expandCases(load('shards: 1\n'), catalog, new Map());
  assert.equal(rest.length, 0);
  assert.equal(only?.slug, 'c01');
  assert.equal(only?.key, '');
});

test('command-line values override the file, and an overridden matrix axis collapses to that value', () => {
  const scenario = load('duration: 30s\nmatrix:\n  shards: [1, 2, 3]\n  batch: [1, 10]\n');
  const overrides = new Map<string, Setting>([
    ['duration', { text: '5s', value: 5000 }],
    ['shards', { text: '2', value: 2 }],
  ]);
  const cases = expandCases(scenario, catalog, overrides);
  // The axis stays a parameter, so these cases match the same cases of a full run.
  assert.deepEqual(
    cases.map((c) => c.key),
    ['batch=1,shards=2', 'batch=10,shards=2'],
  );
  assert.ok(cases.every((c) => c.flags['duration'] === 5000 && c.flags['shards'] === 2));
});

test("a threshold selector picks cases by the field's parsed value; one that picks none is an error", () => {
  const scenario = load('matrix:\n  duration: [30s, 1m]\n  batch: [1, 500]\n');
  const cases = expandCases(scenario, catalog, new Map());
  const threshold = parseThreshold('put.records_per_s{duration=60000ms,batch=500} >= 1');
  assert.deepEqual(
    cases.filter((c) => selects(threshold, c, catalog)).map((c) => c.label),
    ['duration=1m batch=500'],
  );
  assert.ok(cases.every((c) => selects(parseThreshold('put.failed == 0'), c, catalog)));
  assert.throws(
    () => checkThresholdsSelect('s.yaml', [parseThreshold('put.failed{batch=7} == 0')], cases, catalog),
    /s\.yaml: threshold "put\.failed\{batch=7\} == 0" selects none of the cases/,
  );
});

test('YAML syntax errors and duplicate keys name the line', () => {
  refused('shards: 1\nshards: 2\n', /^s\.yaml:2: not valid YAML\/JSON: Map keys must be unique$/);
  refused('shards: [1\n', /^s\.yaml:\d+: not valid YAML\/JSON: /);
});

test('several mistakes: every one is reported, each on its own line with its file:line', () => {
  assert.throws(
    () => load('shards: 0\nbogus: 1\nmatrix:\n  batch: [1, 501]\nrepeat: -1\n'),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      const lines = error.message.split('\nkbench: ');
      assert.equal(lines.length, 4, error.message);
      assert.match(lines[0] ?? '', /^s\.yaml:1: shards/);
      assert.match(lines[1] ?? '', /^s\.yaml:2: unknown field "bogus"/);
      assert.match(lines[2] ?? '', /^s\.yaml:4: matrix\.batch\[1\]/);
      assert.match(lines[3] ?? '', /^s\.yaml:5: repeat/);
      return true;
    },
  );
  assert.throws(
    () => load('thresholds:\n  - "put.nope >= 1"\n  - "put.records_per_s >= 1"\n  - 5\n'),
    (error: unknown) =>
      error instanceof UsageError &&
      /^s\.yaml:2: thresholds\[0\].*\nkbench: s\.yaml:4: thresholds\[2\]/.test(error.message),
  );
  assert.throws(
    () => parseScenarioText('s.yaml', 'a: [1\nb: {\n'),
    (error: unknown) => error instanceof UsageError && error.message.split('\n').length >= 2,
  );
});

test('a YAML alias bomb is a usage error, not an internal error', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  assert.throws(
    () => parseScenarioText('bomb.yaml', `${bomb.join('\n')}\n`),
    (error: unknown) =>
      error instanceof UsageError && /^bomb\.yaml: not a usable scenario: .*alias/i.test(error.message),
  );
});
