import { ErrorCodes, ValidationError } from '../../../domain/errors';

/** One `<entity>.<key> <op> <value>` comparison of an MLflow search filter. */
export interface FilterClause {
  /** The part before the first dot, lower-cased (`metrics`, `tags` …), or '' for a bare name (`name`). */
  entity: string;
  key: string;
  op: string;
  value: string | number | (string | number)[];
}

const OPERATORS = ['!=', '>=', '<=', '=', '>', '<'];

/**
 * Parses the AND-only subset of MLflow's filter syntax that the embedded stores evaluate:
 * `metrics.rmse < 1 and params.alpha = '0.1'`, `name='churn' AND run_id='…'`, `x IN ('a','b')`.
 * Anything else (OR, parentheses around clauses, functions) is a ValidationError naming the filter,
 * never silently ignored: a filter that matched more than asked would be worse than an error.
 */
export function parseFilter(filter: string | undefined): FilterClause[] {
  if (filter === undefined || filter.trim() === '') return [];
  const scanner = new Scanner(filter);
  const clauses: FilterClause[] = [];
  for (;;) {
    clauses.push(scanner.clause());
    scanner.skipSpace();
    if (scanner.done()) return clauses;
    if (!scanner.keyword('and')) scanner.fail('expected AND between comparisons (OR is not supported)');
  }
}

class Scanner {
  private pos = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (!this.done() && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  fail(why: string): never {
    throw new ValidationError(
      `Unsupported search filter ${JSON.stringify(this.text)} at character ${this.pos + 1}: ${why}. The embedded stores support comparisons joined by AND.`,
      undefined,
      { details: { filter: this.text } },
    );
  }

  keyword(word: string): boolean {
    this.skipSpace();
    const slice = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length];
    if (slice.toLowerCase() === word && (after === undefined || /[\s('"`]/.test(after))) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  clause(): FilterClause {
    const { entity, key } = this.identifier();
    const op = this.operator();
    const value = op === 'IN' || op === 'NOT IN' ? this.list() : this.value();
    return { entity, key, op, value };
  }

  private identifier(): { entity: string; key: string } {
    this.skipSpace();
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos));
    if (!word) this.fail('expected a name such as metrics.rmse, params.alpha, tags.team or name');
    this.pos += word[0].length;
    if (this.text[this.pos] !== '.') return { entity: '', key: word[0] };
    this.pos++;
    const quote = this.text[this.pos];
    if (quote === '`' || quote === '"') return { entity: word[0].toLowerCase(), key: this.quoted(quote) };
    const key = /^[\w.\-/:]+/.exec(this.text.slice(this.pos));
    if (!key) this.fail('expected a key after the dot');
    this.pos += key[0].length;
    return { entity: word[0].toLowerCase(), key: key[0] };
  }

  private operator(): string {
    this.skipSpace();
    for (const op of OPERATORS) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    if (this.keyword('like')) return 'LIKE';
    if (this.keyword('ilike')) return 'ILIKE';
    if (this.keyword('in')) return 'IN';
    if (this.keyword('not')) {
      if (this.keyword('in')) return 'NOT IN';
    }
    return this.fail('expected one of = != > >= < <= LIKE ILIKE IN');
  }

  private value(): string | number {
    this.skipSpace();
    const quote = this.text[this.pos];
    if (quote === "'" || quote === '"') return this.quoted(quote);
    const number = /^[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf(inity)?|nan)/i.exec(this.text.slice(this.pos));
    if (!number) this.fail('expected a quoted string or a number');
    this.pos += number[0].length;
    return Number(number[0].replace(/^([-+]?)inf(inity)?$/i, '$1Infinity').replace(/^nan$/i, 'NaN'));
  }

  private list(): (string | number)[] {
    this.skipSpace();
    if (this.text[this.pos] !== '(') this.fail('expected a parenthesised list after IN');
    this.pos++;
    const items: (string | number)[] = [];
    for (;;) {
      items.push(this.value());
      this.skipSpace();
      const ch = this.text[this.pos++];
      if (ch === ')') return items;
      if (ch !== ',') this.fail('expected "," or ")" in the IN list');
    }
  }

  private quoted(quote: string): string {
    const start = ++this.pos;
    const end = this.text.indexOf(quote, start);
    if (end < 0) this.fail(`unterminated ${quote} quote`);
    this.pos = end + 1;
    return this.text.slice(start, end);
  }
}

/**
 * A string literal for MLflow's filter syntax: single quotes, or double quotes when the value holds one.
 *
 * @example registry.searchModelVersions({ filter: `name=${quoteFilterValue(name)}` });
 */
export function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new ValidationError(`Cannot search for ${JSON.stringify(value)}: MLflow filters cannot quote a value holding both ' and ".`, ErrorCodes.VALIDATION, {
    details: { value },
  });
}
