import { execFileSync } from 'node:child_process';
import path from 'node:path';
import ts from 'typescript';
import { DEPLOY_TOOLS, requireTool } from '../support/tools.ts';

export const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
const QUERIES = 'packages/db/src/queries';

export function git(...args: string[]): string {
  // The history of the repository, not just its files: a clone, not an exported tree.
  return execFileSync(requireTool('git', DEPLOY_TOOLS.git), args, {
    cwd: repositoryRoot,
    encoding: 'utf8',
  }).trim();
}

export interface NamedStatement {
  name: string;
  text: string;
  file: string;
}

/**
 * Every named statement of packages/db/src/queries at a git revision, read from the source
 * without running it: the `{ name, text }` objects passed to `query`. A text may be a literal, a
 * template whose `${…}` are string constants of the same files, a constant, or `c ? a : b` (with
 * `name: c ? x : y` beside it, paired in order). Anything else fails loudly rather than being
 * skipped, so a statement written in a new way cannot slip past the check.
 */
export function namedStatements(revision: string): NamedStatement[] {
  const files = git('ls-tree', '--name-only', `${revision}:${QUERIES}`)
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  const sources = files.map((file) =>
    ts.createSourceFile(
      file,
      git('show', `${revision}:${QUERIES}/${file}`),
      ts.ScriptTarget.Latest,
      true,
    ),
  );
  // Constants by name: the file's own first, then the other files' (one may import another's,
  // as the channel names).
  const constants = new Map<string, Map<string, ts.Expression>>();
  for (const source of sources) {
    const own = new Map<string, ts.Expression>();
    constants.set(source.fileName, own);
    visit(source, (node) => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
        own.set(node.name.text, node.initializer);
    });
  }
  const constant = (name: string, file: string) =>
    constants.get(file)?.get(name) ??
    [...constants.values()].find((own) => own.has(name))?.get(name);

  const values = (node: ts.Expression, where: string): string[] => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
    if (ts.isParenthesizedExpression(node)) return values(node.expression, where);
    if (ts.isConditionalExpression(node))
      return [...values(node.whenTrue, where), ...values(node.whenFalse, where)];
    if (ts.isIdentifier(node)) {
      const initializer = constant(node.text, node.getSourceFile().fileName);
      if (initializer) return values(initializer, where);
    }
    if (ts.isTemplateExpression(node)) {
      let texts = [node.head.text];
      for (const span of node.templateSpans) {
        const [inner, ...more] = values(span.expression, where);
        if (inner === undefined || more.length > 0)
          throw new Error(`${where}: \${${span.expression.getText()}} is not one constant`);
        texts = texts.map((text) => text + inner + span.literal.text);
      }
      return texts;
    }
    throw new Error(`${where}: cannot read "${node.getText()}" as SQL without running the code`);
  };

  const statements: NamedStatement[] = [];
  for (const source of sources)
    visit(source, (node) => {
      if (!ts.isObjectLiteralExpression(node)) return;
      const property = (key: string) =>
        node.properties.find(
          (p): p is ts.PropertyAssignment =>
            ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === key,
        );
      const name = property('name');
      const text = property('text');
      if (!name || !text) return;
      const where = `${revision.slice(0, 7)}:${QUERIES}/${source.fileName}`;
      const names = values(name.initializer, where);
      const texts = values(text.initializer, where);
      if (names.length !== texts.length)
        throw new Error(`${where}: ${names.join('/')} do not pair with their texts`);
      for (const [index, statementName] of names.entries())
        statements.push({
          name: statementName,
          text: texts[index] as string,
          file: source.fileName,
        });
    });
  return statements;
}

function visit(node: ts.Node, see: (node: ts.Node) => void): void {
  see(node);
  ts.forEachChild(node, (child) => visit(child, see));
}
