/** Partition key generators: the key decides the shard (MD5 of the key onto hash ranges). */
import type { KeySpec } from '../config/values.js';

export type KeyGenerator = () => string;

export function createKeyGenerator(spec: KeySpec, random: () => number = Math.random): KeyGenerator {
  switch (spec.kind) {
    case 'hot':
      return () => 'hot';
    case 'fixed': {
      // Round robin rather than random: each key gets the same share, so any imbalance
      // across shards comes from where the keys hash, which is what the user asked about.
      const keys = Array.from({ length: Math.min(spec.count, 100_000) }, (_, i) => `key-${i}`);
      if (spec.count > keys.length) {
        return () => `key-${Math.floor(random() * spec.count)}`;
      }
      let next = 0;
      return () => {
        const key = keys[next] as string;
        next = next + 1 === keys.length ? 0 : next + 1;
        return key;
      };
    }
    case 'random':
      // 52 random bits as 13 hex digits: distinct per record in practice, cheap to make.
      return () =>
        Math.floor(random() * 0x10_0000_0000_0000)
          .toString(16)
          .padStart(13, '0');
  }
}
