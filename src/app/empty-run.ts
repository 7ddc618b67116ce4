/**
 * A run in which the stream accepted no record measured nothing about the stream, whatever
 * the cause (every write rejected, every answer too late, no record due): kbench calls it
 * failed (exit 1) rather than print zeros under exit 0. There is no switch to accept it: a
 * job that expects nothing to be written (a fault test) checks for exit 1.
 */
import type { PutCounts } from '../model/put-result.js';
import { formatCount } from '../console/text-table.js';

/** Why the measured phase counts as empty, or undefined when the stream accepted records. */
export function emptyRunReason(counts: Readonly<Pick<PutCounts, 'sent' | 'accepted' | 'failed'>>): string | undefined {
  if (counts.accepted > 0) return undefined;
  if (counts.sent === 0) {
    return (
      'no record due in the measured phase was sent (a rate too low for --duration, or a client too far behind ' +
      'its schedule)'
    );
  }
  const unfinished = counts.sent - counts.accepted - counts.failed;
  return (
    `the stream accepted none of the ${formatCount(counts.sent)} records sent in the measured phase ` +
    `(${formatCount(counts.failed)} failed, ${formatCount(unfinished)} unanswered)`
  );
}
