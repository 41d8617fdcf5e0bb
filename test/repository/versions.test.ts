/**
 * One Node.js line (docs/deploy.md, "The Node.js line"): the root's `engines`, `@types/node`,
 * esbuild's target and the services' images name the same major version, so the code is typed,
 * bundled and shipped for the Node.js it is tested on. Read from the files; needs no tool.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The major version of the first version number in `text`, or null. */
const major = (text: string | undefined) => /(\d+)(?:\.\d+)*/.exec(text ?? '')?.[1] ?? null;

function nodeLines(): Record<string, string | null> {
  const manifest = JSON.parse(read('package.json')) as {
    engines?: { node?: string };
    devDependencies?: Record<string, string>;
  };
  const lines: Record<string, string | null> = {
    'package.json engines.node': major(manifest.engines?.node),
    'package.json @types/node': major(manifest.devDependencies?.['@types/node']),
    'scripts/build.ts esbuild target': major(
      /target:\s*'node(\d+)/.exec(read('scripts/build.ts'))?.[1],
    ),
  };
  for (const service of ['vote', 'result', 'worker']) {
    const file = `services/${service}/Dockerfile`;
    lines[`${file} NODE_IMAGE`] = major(/^ARG NODE_IMAGE=node:(\S+)$/m.exec(read(file))?.[1]);
  }
  return lines;
}

test('engines, @types/node, the esbuild target and the images agree on the Node.js major version', () => {
  const lines = nodeLines();
  for (const [where, version] of Object.entries(lines))
    expect(version, `no Node.js version found in ${where}`).not.toBeNull();
  const majors = new Set(Object.values(lines));
  expect(majors.size, `the Node.js line differs: ${JSON.stringify(lines, null, 2)}`).toBe(1);
});

test('engines name one line, not a floor that any newer Node.js would pass', () => {
  const manifest = JSON.parse(read('package.json')) as { engines: { node: string } };
  expect(manifest.engines.node).toMatch(/^\^\d+\.\d+\.\d+$/);
});
