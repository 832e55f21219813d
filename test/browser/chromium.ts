/**
 * Debian's Chromium, driven by playwright-core (no browser download: `npx playwright install`
 * cannot reach its CDN). CHROMIUM_PATH overrides /usr/bin/chromium. A missing browser fails the
 * test with the command that installs it: the browser tests are never skipped.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `No Chromium at ${path}: the browser tests need it. Install it with \`apt-get install -y chromium\` ` +
        '(Debian; gives /usr/bin/chromium), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return path;
}

/** Chromium with a fresh user-data folder (removed on close), a 1366×768 laptop screen. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  const userDataDir = mkdtempSync(join(tmpdir(), 'borderline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 768 },
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Waiting assertions for playwright-core locators (Playwright Test's `expect` is not part of
 * playwright-core): each polls until it holds or fails with what it last saw.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      error = undefined;
      if (holds(last)) return last;
    } catch (e) {
      error = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${what}: not so after ${timeoutMs} ms; last seen: ${JSON.stringify(last)}${error ? ` (${String(error)})` : ''}`,
  );
}

interface LocatorLike {
  textContent(): Promise<string | null>;
  count(): Promise<number>;
  waitFor(options: {
    state: 'visible' | 'hidden' | 'attached' | 'detached';
    timeout?: number;
  }): Promise<void>;
}

/** The locator's text contains `expected` (or matches it). */
export function hasText(
  locator: LocatorLike,
  expected: string | RegExp,
  timeoutMs?: number,
): Promise<string> {
  return eventually(
    async () => (await locator.textContent()) ?? '',
    (text) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text)),
    `text ${String(expected)}`,
    timeoutMs,
  );
}

export function hasCount(
  locator: LocatorLike,
  holds: number | ((n: number) => boolean),
  timeoutMs?: number,
): Promise<number> {
  return eventually(
    () => locator.count(),
    (n) => (typeof holds === 'number' ? n === holds : holds(n)),
    `count ${String(holds)}`,
    timeoutMs,
  );
}

export function isVisible(locator: LocatorLike, timeoutMs = 20_000): Promise<void> {
  return locator.waitFor({ state: 'visible', timeout: timeoutMs });
}
