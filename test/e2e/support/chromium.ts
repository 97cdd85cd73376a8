import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); a downloaded browser is never used. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags that keep headless Chromium quiet on a closed network. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Headless Debian Chromium with the flags that keep it quiet on a closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** The same with a profile on disk (`dir`), as a real browser keeps one: closing a tab keeps its data. */
export function launchPersistentChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
