/**
 * `npm run build:web` (run by `prestart`, `pretest` and `prebuild`): bundles each page's script
 * with esbuild and writes, into web/dist/,
 *
 *   assets/<page>.js    one self-contained ES module per page (no shared chunks, so the size
 *                       budget of a page is the size of one file)
 *   assets/style.css    the one stylesheet
 *   assets/icon.svg
 *   pages/<page>.html   the page shells, which load those with RELATIVE URLs, so they work at
 *                       the root of a host and under a path prefix (`/live/r/:id/results`)
 *
 * Takes about a tenth of a second. Each file is written to a temporary name and renamed, so a
 * service (or a parallel test file building too) never reads half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PAGES, relativeRoot } from './src/pages.ts';

const webRoot = import.meta.dirname;
export const defaultOutDir = path.join(webRoot, 'dist');

export interface PageShell {
  name: string;
  title: string;
  /** From the page's URL to the root the pages are served from: `/r/:id` → `../`. */
  toRoot: string;
}

export const pages: readonly PageShell[] = PAGES.map(({ name, url, title }) => ({
  name,
  title,
  toRoot: relativeRoot(url),
}));

export interface WebBuild {
  outDir: string;
  /** Bytes of each page's script, before compression. */
  scripts: Record<string, number>;
  milliseconds: number;
}

export async function buildWeb(outDir = defaultOutDir): Promise<WebBuild> {
  const started = Date.now();
  const result = await build({
    entryPoints: [
      ...pages.map((page) => ({
        in: path.join(webRoot, 'src/client/pages', `${page.name}.ts`),
        out: page.name,
      })),
      { in: path.join(webRoot, 'src/client/style.css'), out: 'style' },
    ],
    outdir: path.join(outDir, 'assets'),
    bundle: true,
    format: 'esm',
    splitting: false,
    minify: true,
    // Browsers of the last few years, phones included.
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  const scripts: Record<string, number> = {};
  for (const file of result.outputFiles) {
    await writeAtomically(file.path, file.contents);
    if (file.path.endsWith('.js')) scripts[path.basename(file.path, '.js')] = file.contents.length;
  }
  await writeAtomically(
    path.join(outDir, 'assets/icon.svg'),
    await readFile(path.join(webRoot, 'src/client/icon.svg')),
  );
  for (const page of pages) {
    await writeAtomically(path.join(outDir, 'pages', `${page.name}.html`), pageShell(page));
  }
  return { outDir, scripts, milliseconds: Date.now() - started };
}

/** The HTML of a page: no inline script or style; the script fills in `<main>`. */
export function pageShell(page: PageShell): string {
  const asset = (file: string) => `${page.toRoot}assets/${file}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="icon" href="${asset('icon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${asset('style.css')}">
<script type="module" src="${asset(`${page.name}.js`)}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<a class="brand" href="${page.toRoot}">Votes</a>
<nav aria-label="Site"><a href="${page.toRoot}new">Create a round</a></nav>
</header>
<main id="main" tabindex="-1"><p class="muted">Loading…</p></main>
<noscript><p class="notice">These pages need JavaScript.</p></noscript>
</body>
</html>
`;
}

async function writeAtomically(file: string, contents: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildWeb();
  const sizes = Object.entries(built.scripts)
    .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KB`)
    .join(', ');
  process.stdout.write(
    `[build:web] ${path.relative(process.cwd(), built.outDir) || '.'} in ${built.milliseconds} ms (${sizes})\n`,
  );
}
