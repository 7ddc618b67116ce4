/**
 * The binary header at the start of every record kbench writes, so a reader (kbench lag,
 * or a later check) can tell kbench's records from foreign ones, detect duplicates and
 * gaps per producer, and compute put-to-get lag from the client's send time.
 *
 *   offset size  field
 *        0    2  magic "KB"
 *        2    1  version (1)
 *        3    1  flags (0, reserved)
 *        4    8  run tag: first 8 bytes of SHA-256(run id)
 *       12    4  producer id (uint32)
 *       16    8  sequence number per producer (uint64, below 2^53)
 *       24    8  client send time, microseconds since the epoch (uint64)
 *
 * All integers big-endian. The rest of the record is filler up to --record-size.
 */
import { createHash } from 'node:crypto';
import { HEADER_BYTES } from '../config/record-header-size.js';

const MAGIC_0 = 0x4b; // "K"
const MAGIC_1 = 0x42; // "B"
const VERSION = 1;
const TWO_32 = 0x1_0000_0000;

export interface RecordHeader {
  readonly runTag: string; // hex
  readonly producerId: number;
  readonly sequence: number;
  readonly sendMicros: number;
}

/** 8 bytes that identify a run in every record; the run id itself may be long. */
export function runTag(runId: string): Buffer {
  return createHash('sha256').update(runId).digest().subarray(0, 8);
}

/** Writes the parts that never change for a producer; done once per buffer. */
export function writeHeaderPrefix(target: Buffer, tag: Buffer, producerId: number): void {
  target[0] = MAGIC_0;
  target[1] = MAGIC_1;
  target[2] = VERSION;
  target[3] = 0;
  tag.copy(target, 4, 0, 8);
  target.writeUInt32BE(producerId >>> 0, 12);
}

/** Writes the per-record parts. Split in two words: no BigInt on the hot path. */
export function writeHeaderStamp(target: Buffer, sequence: number, sendMicros: number): void {
  target.writeUInt32BE(Math.floor(sequence / TWO_32), 16);
  target.writeUInt32BE(sequence % TWO_32, 20);
  const micros = Math.round(sendMicros);
  target.writeUInt32BE(Math.floor(micros / TWO_32), 24);
  target.writeUInt32BE(micros % TWO_32, 28);
}

/** The header of a kbench record, or undefined for anything else (a foreign record). */
export function readHeader(data: Uint8Array): RecordHeader | undefined {
  if (data.length < HEADER_BYTES || data[0] !== MAGIC_0 || data[1] !== MAGIC_1 || data[2] !== VERSION) {
    return undefined;
  }
  const view = Buffer.from(data.buffer, data.byteOffset, HEADER_BYTES);
  return {
    runTag: view.subarray(4, 12).toString('hex'),
    producerId: view.readUInt32BE(12),
    sequence: view.readUInt32BE(16) * TWO_32 + view.readUInt32BE(20),
    sendMicros: view.readUInt32BE(24) * TWO_32 + view.readUInt32BE(28),
  };
}
