/**
 * The --client value: which data-path client the producers use for puts. An option value
 * like the others, so option types need not reach up into client/ for it.
 */

export type ClientKind = 'lean' | 'sdk';
export const CLIENT_KINDS = ['lean', 'sdk'] as const satisfies readonly ClientKind[];
export const DEFAULT_CLIENT: ClientKind = 'lean';
