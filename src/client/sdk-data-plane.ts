/** The data path through the AWS SDK's own client (`--client sdk`). */
import {
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { createKinesisClient, type ClientSettings } from '../target/client.js';
import type { DataPlane, DataPlaneEntry, PutRecordResult, PutRecordsResult } from './data-plane.js';

export class SdkDataPlane implements DataPlane {
  readonly kind = 'sdk' as const;
  readonly client: KinesisClient;

  constructor(settings: ClientSettings) {
    this.client = createKinesisClient(settings);
  }

  putRecord(streamName: string, entry: DataPlaneEntry): Promise<PutRecordResult> {
    return this.client.send(new PutRecordCommand({ StreamName: streamName, ...entry }));
  }

  putRecords(streamName: string, entries: readonly DataPlaneEntry[]): Promise<PutRecordsResult> {
    return this.client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: entries as PutRecordsRequestEntry[] }),
    );
  }

  destroy(): void {
    this.client.destroy();
  }
}
