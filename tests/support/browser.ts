import { type Browser, chromium } from "playwright-core";

/** The Debian chromium package's binary: Playwright drives it instead of downloading its own. */
const chromiumPath = "/usr/bin/chromium";

/** Launches the system Chromium headless, with nothing in the background reaching the network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}
