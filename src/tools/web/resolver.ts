import { lookup } from "node:dns/promises";

/** Resolves a host name to every address it has. Injected so tests can answer without DNS. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The system resolver (getaddrinfo: hosts file, then DNS), asked once per connection. */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};
