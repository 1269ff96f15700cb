/** What each provider adapter needs for one attempt at a call. */
export interface AdapterOptions {
  /** The provider's model name, e.g. "gpt-4.1" or "claude-sonnet-4-5". */
  name: string;
  /** The provider's default when undefined. */
  baseUrl?: string;
  apiKey?: string;
  /** Hard limit for one HTTP call, headers and body included. */
  timeoutMs: number;
  /** Clock for Retry-After given as an HTTP date. */
  now?: () => number;
}
