import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import packedChromium from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';

const testResults = path.resolve(import.meta.dirname, '../../../test-results');
/** test-results/screenshots/, or SCREENSHOT_DIR (to look at a run's pictures outside the tree). */
export const screenshotDir = process.env.SCREENSHOT_DIR
  ? path.resolve(process.env.SCREENSHOT_DIR)
  : path.join(testResults, 'screenshots');

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };
/** The narrowest phones still sold: no page may scroll sideways even here. */
export const NARROW = { width: 320, height: 640 };
/**
 * A name that Chromium resolves to 127.0.0.1 (--host-resolver-rules): a page opened by it is a
 * page opened by "the machine's LAN address", not by the loopback name the services were
 * configured with.
 */
export const LAN_HOST = 'voting-lan.test';

const require = createRequire(import.meta.url);

/** The installed @sparticuz/chromium's version (its package.json is not in its exports). */
function chromiumVersion(): string {
  const root = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '../..');
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
}

/** The folder of the DejaVu TrueType fonts that the `dejavu-fonts-ttf` package ships. */
function dejavuFonts(): string {
  return path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

interface UnpackedChromium {
  executable: string;
  /** NSS, NSPR and expat: the only shared libraries the binary needs beyond glibc. */
  libraries: string;
}

/**
 * @sparticuz/chromium ships a headless Chromium, brotli-compressed, that needs nothing from the
 * system but glibc and the NSS/NSPR/expat libraries it also ships (for Amazon Linux 2023, built
 * against an older glibc, so they load on Debian too). Its executablePath() unpacks into
 * os.tmpdir() and trusts whatever `chromium` is there, whatever its version; so this unpacks it
 * once per package version into a folder of its own (through a temporary folder renamed into
 * place, so two runs at once cannot see half a binary), the bundled libraries included.
 */
async function unpackChromium(): Promise<UnpackedChromium> {
  const version = chromiumVersion();
  const home = path.join(tmpdir(), `voting-e2e-chromium-${version}`);
  const unpacked = {
    executable: path.join(home, 'chromium'),
    libraries: path.join(home, 'al2023', 'lib'),
  };
  if (existsSync(path.join(home, 'complete'))) return unpacked;

  const staging = await mkdtemp(path.join(tmpdir(), 'voting-e2e-chromium-unpacking-'));
  try {
    await unpackInto(staging);
    await writeFile(path.join(staging, 'complete'), `${version}\n`);
    await rename(staging, home);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another run unpacked the same version first (the rename failed): use its copy.
    if (!existsSync(path.join(home, 'complete'))) throw error;
  }
  return unpacked;
}

async function unpackInto(staging: string): Promise<void> {
  const saved = { TMPDIR: process.env.TMPDIR, runtime: process.env.AWS_LAMBDA_JS_RUNTIME };
  try {
    // The package unpacks into os.tmpdir(), which follows TMPDIR. It unpacks its libraries only
    // where it recognises Amazon Linux 2023 by this variable; they are wanted on any Linux.
    process.env.TMPDIR = staging;
    process.env.AWS_LAMBDA_JS_RUNTIME = 'nodejs20.x';
    const executable = await packedChromium.executablePath();
    if (executable !== path.join(staging, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to ${executable}, not into ${staging}`);
    }
  } finally {
    restore('TMPDIR', saved.TMPDIR);
    restore('AWS_LAMBDA_JS_RUNTIME', saved.runtime);
  }
  if (!existsSync(path.join(staging, 'al2023', 'lib', 'libnss3.so'))) {
    throw new Error('@sparticuz/chromium did not unpack its NSS libraries (al2023.tar.br)');
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/**
 * A fontconfig configuration that sees the npm fonts only, never the machine's, so the pages
 * render alike everywhere. @sparticuz/chromium ships Open Sans alone: no monospace, and none of
 * the arrows (↑ ↓ →), the grip (⠿) or the cross (✕) the pages use, which it draws as blanks.
 * DejaVu (the `dejavu-fonts-ttf` package; Debian's default fonts) has them all. In test-results/
 * of this checkout, since it names this checkout's node_modules.
 */
async function fontConfiguration(): Promise<string> {
  const directory = path.join(testResults, 'fontconfig');
  await mkdir(directory, { recursive: true });
  const alias = (generic: string, family: string) =>
    `  <alias><family>${generic}</family><prefer><family>${family}</family></prefer></alias>`;
  // Written aside, then renamed: a run starting meanwhile never reads half a file.
  const staging = path.join(directory, `fonts.conf.${process.pid}`);
  await writeFile(
    staging,
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${dejavuFonts()}</dir>`,
      `  <cachedir>${path.join(directory, 'cache')}</cachedir>`,
      // Chromium asks for `sans` for system-ui: without its alias that falls to the first font.
      ...['sans', 'sans-serif', 'system-ui'].map((generic) => alias(generic, 'DejaVu Sans')),
      alias('serif', 'DejaVu Serif'),
      ...['mono', 'monospace'].map((generic) => alias(generic, 'DejaVu Sans Mono')),
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  await rename(staging, path.join(directory, 'fonts.conf'));
  return directory;
}

/**
 * A headless Chromium from npm (@sparticuz/chromium), driven by playwright-core: no system
 * browser, no browser download (this machine reaches the package registries only).
 */
export async function launchChromium(): Promise<Browser> {
  const { executable, libraries } = await unpackChromium();
  const fonts = await fontConfiguration();
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: executable,
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: fonts,
      FONTCONFIG_FILE: path.join(fonts, 'fonts.conf'),
    },
    // The machine's network is closed: without the --disable-… flags Chromium's own connections
    // (updates, sync, reporting) are refused, many at a time.
    args: [
      '--no-sandbox', // root, and no user namespaces in this sandbox
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
      '--no-pings',
      `--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`,
    ],
  });
}

/** Problems a page reported: uncaught errors and Content-Security-Policy violations. */
export interface PageProblems {
  list: string[];
}

/** A page in a context of its own (its own localStorage, so its own voter id). */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number },
  problems: PageProblems,
  locale = 'en-US',
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    locale,
    deviceScaleFactor: viewport.width < 500 ? 2 : 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  const page = await context.newPage();
  watch(page, problems);
  return page;
}

export function watch(page: Page, problems: PageProblems): void {
  page.on('pageerror', (error) => problems.list.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // Refused votes (409) and the like are logged by Chromium as failed loads: expected.
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      problems.list.push(`${page.url()}: ${text}`);
    }
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Whether the page can be scrolled sideways (it must not be, on a phone). */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; width: number }> {
  return (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth })',
  )) as { scrollWidth: number; width: number };
}
