/**
 * A person's browser for the connect flow, over real HTTP: follows redirects one at a time (so each
 * hop can be checked), keeps cookies per origin, and submits a page's form (the Continue button), as
 * a browser would.
 */
export interface BrowserVisit {
  status: number;
  url: string;
  body: string;
  /** Every URL visited, in order. */
  hops: string[];
}

export interface VisitOptions {
  maxHops?: number;
  stopAt?: (url: string) => boolean;
}

export type Browser = ReturnType<typeof createBrowser>;

export function createBrowser() {
  const jar = new Map<string, Map<string, string>>();

  async function go(start: string, options: VisitOptions, form?: URLSearchParams): Promise<BrowserVisit> {
    const hops: string[] = [];
    let url = start;
    let body = form;
    for (let hop = 0; hop < (options.maxHops ?? 10); hop += 1) {
      hops.push(url);
      const origin = new URL(url).origin;
      const cookies = jar.get(origin) ?? new Map<string, string>();
      const headers: Record<string, string> = cookies.size
        ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
        : {};
      const response = await fetch(url, {
        redirect: "manual",
        method: body ? "POST" : "GET",
        headers: body ? { ...headers, "content-type": "application/x-www-form-urlencoded" } : headers,
        ...(body ? { body: body.toString() } : {}),
      });
      body = undefined;
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
      return { status: response.status, url, body: await response.text(), hops };
    }
    throw new Error(`too many redirects from ${start}`);
  }

  const browser = {
    cookies: (origin: string) => jar.get(origin) ?? new Map<string, string>(),
    visit: (start: string, options: VisitOptions = {}) => go(start, options),
    /** Submits the (first) form on a page the browser is showing: presses its button. */
    async submit(shown: BrowserVisit, options: VisitOptions = {}): Promise<BrowserVisit> {
      const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(shown.body);
      if (!form) throw new Error(`no form on ${shown.url}: ${shown.body}`);
      const fields = new URLSearchParams();
      for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
        fields.set(unescapeHtml(input[1]!), unescapeHtml(input[2]!));
      }
      return go(new URL(unescapeHtml(form[1]!), shown.url).href, options, fields);
    },
    /**
     * Follows a connect link the way a person does: opens it, reads the page naming whose link it is,
     * presses Continue, signs in with Slack (as whoever this browser is signed in to Slack as) and on
     * through Google. `hops` covers the whole way; `page` is the interstitial.
     */
    async connect(link: string, options: VisitOptions = {}): Promise<BrowserVisit & { page: BrowserVisit }> {
      const shown = await browser.visit(link);
      if (shown.status !== 200) return { ...shown, page: shown };
      const after = await browser.submit(shown, options);
      return { ...after, hops: [...shown.hops, ...after.hops], page: shown };
    },
  };
  return browser;
}

function unescapeHtml(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
