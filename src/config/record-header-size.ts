/**
 * The size of the header kbench writes at the start of every record (laid out in
 * workload/record-header.ts): the smallest record kbench can write, so an option limit too.
 */
export const HEADER_BYTES = 32;
