/**
 * Credentials for a long run: fetched once, kept until shortly before they expire, then
 * fetched again (one fetch at a time), so temporary credentials (SSO, roles, web identity)
 * never expire mid-run and no request waits on the provider chain otherwise.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export type CredentialsProvider = () => Promise<Credentials>;

/** The SDK refreshes 5 minutes early too: a request signed now may wait in a queue. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

export class CredentialsCache {
  private current: Credentials | undefined;
  private fetching: Promise<Credentials> | undefined;

  constructor(
    private readonly provider: CredentialsProvider,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get(): Promise<Credentials> {
    const current = this.current;
    if (current !== undefined && !this.dueForRefresh(current)) return Promise.resolve(current);
    this.fetching ??= this.provider().then(
      (fresh) => {
        this.current = fresh;
        this.fetching = undefined;
        return fresh;
      },
      (error: unknown) => {
        this.fetching = undefined;
        throw error;
      },
    );
    return this.fetching;
  }

  private dueForRefresh(credentials: Credentials): boolean {
    return (
      credentials.expiration !== undefined &&
      credentials.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS <= this.nowMs()
    );
  }
}
