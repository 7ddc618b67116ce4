import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUT_PAYLOAD_UNIT_BYTES, buildAwsBlock, putPayloadUnits } from '../../src/results/aws-units.js';

test('PUT payload units: 25 KB (25,600 B) chunks per record, rounded up', () => {
  assert.equal(PUT_PAYLOAD_UNIT_BYTES, 25_600);
  assert.equal(putPayloadUnits(1), 1);
  assert.equal(putPayloadUnits(25_600), 1);
  assert.equal(putPayloadUnits(25_601), 2);
  assert.equal(putPayloadUnits(45 * 1024), 2); // the pricing page's 45 KB example
  assert.equal(putPayloadUnits(5 * 1024), 1); // and its 5 KB example
  assert.equal(putPayloadUnits(1_048_576), 41);
  assert.equal(putPayloadUnits(1_000 * 1024), 40); // "a 1MB record contains 40 units", 1 MB read as 1,000 KB
});

const base = {
  recordSize: 100,
  keys: { kind: 'random' } as const,
  sent: 0,
  accepted: 0,
  acceptedBytes: 0,
  recordsPerS: 0,
  measuredS: 10,
};

test('aws block: units accepted, shards the offered load needs by records and by bytes', () => {
  const small = buildAwsBlock({
    ...base,
    sent: 25_000,
    accepted: 20_000,
    acceptedBytes: 20_000 * 136,
    recordsPerS: 2000,
  });
  assert.equal(small.put_payload_units, 20_000);
  assert.equal(small.put_payload_units_per_s, 2000);
  assert.equal(small.put_payload_units_per_hour, 7_200_000);
  assert.equal(small.offered_records_per_s, 2500);
  assert.equal(small.shards_needed_by_records, 3);
  assert.equal(small.shards_needed, 3);
  assert.equal(small.one_key_throttles, true);
  assert.match(small.verdict, /one hot key would throttle/);

  // 100 records/s of 100 KiB: 9.8 MiB/s needs 10 shards by bytes, 1 by records; 4 units a record.
  const big = buildAwsBlock({
    ...base,
    recordSize: 102_400,
    sent: 1000,
    accepted: 1000,
    acceptedBytes: 1000 * 102_436,
    recordsPerS: 100,
  });
  assert.equal(big.put_payload_units_per_record, 4);
  assert.equal(big.shards_needed_by_records, 1);
  assert.equal(big.shards_needed_by_bytes, 10);
  assert.equal(big.shards_needed, 10);

  const calm = buildAwsBlock({
    ...base,
    keys: { kind: 'hot' },
    sent: 5000,
    accepted: 5000,
    acceptedBytes: 5000 * 136,
    recordsPerS: 500,
  });
  assert.equal(calm.shards_needed, 1);
  assert.equal(calm.one_key_throttles, false);
  const hot = buildAwsBlock({
    ...base,
    keys: { kind: 'hot' },
    sent: 15_000,
    accepted: 10_000,
    acceptedBytes: 10_000 * 136,
    recordsPerS: 1000,
  });
  assert.match(hot.verdict, /one hot key: it throttles on AWS whatever the shard count/);
});
