/**
 * Every workspace declares what its code imports, so its package.json tells the truth about it
 * and nothing works only because npm happened to hoist a neighbour's dependency to the root:
 * an import from a workspace's src/ (other than a test) is in its `dependencies`; one from its
 * tests, or from tooling beside src/ (web/build.ts), is in `dependencies` or `devDependencies`.
 * Node.js built-ins are not packages. The imports are found with a regular expression over the
 * `.ts` files (`from '…'`, `import('…')`, `import '…'`), which is all this code base writes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

interface Manifest {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readManifest = (directory: string): Manifest =>
  JSON.parse(readFileSync(path.join(root, directory, 'package.json'), 'utf8')) as Manifest;

/** The root's `workspaces` entries, each a folder or `folder/*`. */
function workspaceDirectories(): string[] {
  return (readManifest('.').workspaces ?? []).flatMap((entry) => {
    if (!entry.endsWith('/*')) return [entry];
    const parent = entry.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((item) => item.isDirectory())
      .map((item) => `${parent}/${item.name}`)
      .filter((directory) => existsSync(path.join(root, directory, 'package.json')));
  });
}

/** Every .ts file of a workspace, relative to it, outside node_modules and build output. */
function typeScriptFiles(workspace: string, relative = ''): string[] {
  return readdirSync(path.join(root, workspace, relative), { withFileTypes: true }).flatMap(
    (item) => {
      const file = relative ? `${relative}/${item.name}` : item.name;
      if (item.isDirectory())
        return item.name === 'node_modules' || item.name === 'dist'
          ? []
          : typeScriptFiles(workspace, file);
      return item.name.endsWith('.ts') ? [file] : [];
    },
  );
}

const importPattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;
// A package name and an optional subpath; prose in a comment (`from "count:ABC" strings`) is not.
const bareSpecifier = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/\S*)?$/;
const builtins = new Set(builtinModules);

/** The package a bare specifier names (`typebox/value` → `typebox`), or null for anything else. */
function packageOf(specifier: string): string | null {
  const name = bareSpecifier.exec(specifier)?.[1];
  return name && !builtins.has(name) ? name : null;
}

/** Production code: src/ minus its tests. The rest (tests, tooling) may use devDependencies. */
const isProductionFile = (file: string) => file.startsWith('src/') && !file.endsWith('.test.ts');

/** What `workspace` imports without declaring it, one line per package and kind. */
function undeclaredImports(workspace: string): string[] {
  const manifest = readManifest(workspace);
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const devDependencies = new Set(Object.keys(manifest.devDependencies ?? {}));
  const problems = new Map<string, string>();
  for (const file of typeScriptFiles(workspace)) {
    const source = readFileSync(path.join(root, workspace, file), 'utf8');
    for (const match of source.matchAll(importPattern)) {
      const name = packageOf(match[2] ?? '');
      if (!name || name === manifest.name || dependencies.has(name)) continue;
      if (isProductionFile(file)) {
        const where = devDependencies.has(name) ? 'only in devDependencies' : 'undeclared';
        problems.set(
          `${name}/prod`,
          `${workspace}: ${name} (imported by ${file}) is ${where}; add it to dependencies`,
        );
      } else if (!devDependencies.has(name) && !problems.has(`${name}/prod`)) {
        problems.set(
          `${name}/dev`,
          `${workspace}: ${name} (imported by ${file}) is undeclared; add it to devDependencies`,
        );
      }
    }
  }
  return [...problems.values()].sort();
}

test('the workspaces are found', () => {
  expect(workspaceDirectories()).toEqual(
    expect.arrayContaining(['packages/db', 'services/vote', 'web']),
  );
});

test.each(workspaceDirectories())('%s declares every package it imports', (workspace) => {
  expect(undeclaredImports(workspace)).toEqual([]);
});

test('imports are read the way the code writes them', () => {
  expect(packageOf('typebox/value')).toBe('typebox');
  expect(packageOf('@voting/api/recount')).toBe('@voting/api');
  expect(packageOf('node:fs')).toBeNull();
  expect(packageOf('fs/promises')).toBeNull();
  expect(packageOf('./local.ts')).toBeNull();
  expect(packageOf('count:ABC')).toBeNull();
  const specifiers = [
    ...`import { a } from 'one';\nexport * from "two";\nawait import('three');\nimport 'four';\nimport type { T } from '@scope/five/sub';`.matchAll(
      importPattern,
    ),
  ].map((match) => packageOf(match[2] ?? ''));
  expect(specifiers).toEqual(['one', 'two', 'three', 'four', '@scope/five']);
});
