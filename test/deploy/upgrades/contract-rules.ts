/**
 * What in a migration can break the previous release's code (docs/deploy.md, "Expand, then
 * contract"): each statement of a .sql file, found by a small splitter that knows comments,
 * quotes and dollar-quoted bodies, is matched clause by clause against the rules below. What the
 * same file created first (a new table, index or column) is exempt: the previous release cannot
 * use it — except a column's default, which the previous release's inserts do get.
 */

export interface Statement {
  /** The statement as written, its leading comments included. */
  text: string;
  /** Without comments, whitespace collapsed. */
  code: string;
  /** The text of its comments, in order. */
  comments: string[];
}

export function splitStatements(sql: string): Statement[] {
  const statements: Statement[] = [];
  let text = '';
  let code = '';
  let comments: string[] = [];
  let i = 0;
  const flush = () => {
    const collapsed = code.replace(/\s+/g, ' ').trim();
    if (collapsed) statements.push({ text: text.trim(), code: collapsed, comments });
    text = '';
    code = '';
    comments = [];
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    const token =
      /^--[^\n]*/.exec(rest) ??
      /^\/\*[\s\S]*?\*\//.exec(rest) ??
      /^'(?:[^']|'')*'/.exec(rest) ??
      /^"(?:[^"]|"")*"/.exec(rest) ??
      /^(\$[A-Za-z_]*\$)[\s\S]*?\1/.exec(rest);
    if (token) {
      const [whole] = token;
      text += whole;
      if (whole.startsWith('--') || whole.startsWith('/*')) {
        comments.push(whole.replace(/^--|^\/\*|\*\/$/g, '').trim());
        code += ' ';
      } else code += whole;
      i += whole.length;
    } else if (sql[i] === ';') {
      i += 1;
      flush();
    } else {
      text += sql[i];
      code += sql[i];
      i += 1;
    }
  }
  flush();
  return statements;
}

/** Splits `a, b (c, d), e` at the commas outside parentheses and quotes. */
function clauses(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts;
}

const ident = String.raw`(?:"[^"]+"|[\w.]+)`;
const unquote = (name: string) =>
  name
    .replace(/"/g, '')
    .replace(/^public\./, '')
    .toLowerCase();

/** What this file made so far: the previous release cannot know any of it. */
interface Created {
  tables: Set<string>;
  indexes: Set<string>;
  columns: Set<string>;
}

/** The reasons a clause may break the previous release, or none. */
function clauseRisks(table: string, clause: string, created: Created): string[] {
  const newTable = created.tables.has(table);
  const column = new RegExp(`^ALTER (?:COLUMN )?(${ident})`, 'i').exec(clause)?.[1];
  const newColumn = column !== undefined && created.columns.has(`${table}.${unquote(column)}`);
  const risks: string[] = [];
  const rule = (pattern: RegExp, risk: string, exempt: boolean) => {
    if (pattern.test(clause) && !exempt) risks.push(risk);
  };
  rule(/^DROP (?:COLUMN )?(?!CONSTRAINT)/i, 'drops a column', newTable);
  rule(/^RENAME/i, 'renames', newTable);
  rule(/^ALTER .* (?:SET DATA )?TYPE /i, 'changes a column type', newTable || newColumn);
  // A column new in this file is still one the previous release's inserts leave to its default.
  rule(/^ALTER .* SET NOT NULL/i, 'sets NOT NULL on a column', newTable);
  rule(/^ALTER .* DROP DEFAULT/i, 'drops a default', newTable);
  rule(
    /^ALTER .* SET DEFAULT/i,
    "changes the default the previous release's inserts get",
    newTable,
  );
  rule(/^DROP CONSTRAINT/i, 'drops a constraint', newTable);
  rule(
    /^ADD (?:CONSTRAINT|CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY|EXCLUDE)/i,
    "adds a constraint the previous release's writes must meet",
    newTable,
  );
  rule(
    /^ADD (?!CONSTRAINT|CHECK|UNIQUE|PRIMARY|FOREIGN|EXCLUDE)(?:COLUMN )?(?:IF NOT EXISTS )?\S+ .*\bNOT NULL\b/i,
    'adds a NOT NULL column the previous release does not write',
    newTable || /\bDEFAULT\b|\bGENERATED\b/i.test(clause),
  );
  return risks;
}

const patterns = {
  createTable: new RegExp(`^CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?(${ident})`, 'i'),
  createIndex: new RegExp(
    `^CREATE (UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(${ident}) ON (?:ONLY )?(${ident})`,
    'i',
  ),
  alterTable: new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${ident}) (.*)$`, 'i'),
  trigger: new RegExp(`^CREATE (?:OR REPLACE )?(?:CONSTRAINT )?TRIGGER .*? ON (${ident})`, 'i'),
  dropIndex: new RegExp(`^DROP INDEX (?:CONCURRENTLY )?(?:IF EXISTS )?(${ident})`, 'i'),
  addColumn: new RegExp(
    `^ADD (?!CONSTRAINT|CHECK|UNIQUE|PRIMARY|FOREIGN|EXCLUDE)(?:COLUMN )?(?:IF NOT EXISTS )?(${ident})`,
    'i',
  ),
};

/** One statement's risks; records what it creates in `created`. */
function statementRisks(code: string, created: Created): string[] {
  const table = patterns.createTable.exec(code);
  if (table) {
    created.tables.add(unquote(table[1] as string));
    return [];
  }
  const index = patterns.createIndex.exec(code);
  if (index) {
    created.indexes.add(unquote(index[2] as string));
    const unique = index[1] && !created.tables.has(unquote(index[3] as string));
    return unique ? ["adds a unique index the previous release's writes must meet"] : [];
  }
  const alter = patterns.alterTable.exec(code);
  if (alter) {
    const name = unquote(alter[1] as string);
    return clauses(alter[2] as string).flatMap((clause) => {
      const risks = clauseRisks(name, clause, created);
      const added = patterns.addColumn.exec(clause);
      if (added) created.columns.add(`${name}.${unquote(added[1] as string)}`);
      return risks;
    });
  }
  const trigger = patterns.trigger.exec(code);
  if (trigger)
    return created.tables.has(unquote(trigger[1] as string))
      ? []
      : ["adds a trigger to the previous release's writes"];
  const dropIndex = patterns.dropIndex.exec(code);
  if (dropIndex)
    return created.indexes.has(unquote(dropIndex[1] as string))
      ? []
      : ['drops an index the previous release may use'];
  if (
    /^DROP (?:TABLE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|SEQUENCE|TRIGGER|SCHEMA)\b/i.test(
      code,
    )
  )
    return ['drops what the previous release may use'];
  if (/^CREATE OR REPLACE (?:FUNCTION|PROCEDURE|VIEW)\b/i.test(code))
    return ['redefines what the previous release may call'];
  if (/^ALTER (?:FUNCTION|TYPE|VIEW|INDEX|SEQUENCE)\b.*\b(?:RENAME|SET SCHEMA|DROP)\b/i.test(code))
    return ['renames or changes what the previous release may use'];
  return [];
}

/** Every statement of one migration that may break the previous release, with why. */
export function contractRisks(sql: string): { statement: Statement; risks: string[] }[] {
  const created: Created = { tables: new Set(), indexes: new Set(), columns: new Set() };
  // In file order: what a statement created exempts the statements after it.
  return splitStatements(sql)
    .map((statement) => ({ statement, risks: statementRisks(statement.code, created) }))
    .filter((each) => each.risks.length > 0);
}

/** `-- contract: safe after <revision>: <why>` in a statement's comments, or null. */
export function contractMark(statement: Statement): { revision: string; why: string } | null {
  for (const comment of statement.comments) {
    const mark = /^contract: safe after (\S+?):? (.+)$/.exec(comment);
    if (mark?.[1] && mark[2]) return { revision: mark[1], why: mark[2] };
  }
  return null;
}
