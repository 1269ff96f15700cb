/**
 * A person's browser for the OAuth flow, over real HTTP: follows redirects one at a time (so each
 * hop can be checked) and keeps cookies per origin, as a browser would.
 */
export interface BrowserVisit {
  status: number;
  url: string;
  body: string;
  /** Every URL visited, in order. */
  hops: string[];
}

export function createBrowser() {
  const jar = new Map<string, Map<string, string>>();
  return {
    cookies: (origin: string) => jar.get(origin) ?? new Map<string, string>(),
    async visit(start: string, options: { maxHops?: number; stopAt?: (url: string) => boolean } = {}) {
      const hops: string[] = [];
      let url = start;
      for (let hop = 0; hop < (options.maxHops ?? 10); hop += 1) {
        hops.push(url);
        const origin = new URL(url).origin;
        const cookies = jar.get(origin) ?? new Map<string, string>();
        const response = await fetch(url, {
          redirect: "manual",
          headers: cookies.size
            ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
            : {},
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(";");
          const [name, ...value] = (pair ?? "").split("=");
          if (name) cookies.set(name.trim(), value.join("="));
        }
        jar.set(origin, cookies);
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          const next = new URL(location, url).href;
          if (options.stopAt?.(next)) return { status: response.status, url: next, body: "", hops };
          url = next;
          continue;
        }
        return { status: response.status, url, body: await response.text(), hops } satisfies BrowserVisit;
      }
      throw new Error(`too many redirects from ${start}`);
    },
  };
}
