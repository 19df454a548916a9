/**
 * A SOQL subset parser: SELECT fields | COUNT() | FIELDS(ALL|STANDARD|CUSTOM) FROM X
 * [USING SCOPE mine|everything] [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]. Relationship paths are one level deep
 * (Owner.Email). Errors carry Salesforce's error codes and its "Row:Column" message shape.
 */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_FILTER_OPERATOR' | 'NUMBER_OUTSIDE_VALID_RANGE',
    message: string,
  ) {
    super(message);
    this.name = errorCode;
  }
}

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  | { kind: 'range'; name: string; n: number };

export interface FieldRef {
  path: string;
  pos: number;
}

export type ComparisonOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'cmp'; field: FieldRef; op: ComparisonOp; value: Literal; valuePos: number }
  | { kind: 'in'; field: FieldRef; negate: boolean; values: Literal[]; valuePos: number }
  | { kind: 'like'; field: FieldRef; negate: boolean; pattern: string; valuePos: number };

export type SelectItem =
  | { kind: 'field'; field: FieldRef }
  | { kind: 'count'; field?: FieldRef; alias?: string }
  | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM'; pos: number };

export interface OrderItem {
  field: FieldRef;
  desc: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  text: string;
  select: SelectItem[];
  from: string;
  fromPos: number;
  /** USING SCOPE: `mine` keeps the rows the running user owns (list views of "My …" use it). */
  scope?: 'mine' | 'everything';
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'punct' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  /** Decoded value for strings. */
  value: string;
  pos: number;
}

const RANGE_LITERALS = new Set(['TODAY', 'YESTERDAY', 'TOMORROW', 'LAST_WEEK', 'THIS_WEEK', 'NEXT_WEEK', 'LAST_MONTH', 'THIS_MONTH', 'NEXT_MONTH', 'THIS_YEAR', 'LAST_YEAR', 'LAST_90_DAYS', 'NEXT_90_DAYS']);
const N_RANGE_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO', 'LAST_N_WEEKS', 'NEXT_N_WEEKS', 'LAST_N_MONTHS', 'NEXT_N_MONTHS']);
const UNSUPPORTED = new Set(['GROUP', 'HAVING', 'TYPEOF', 'WITH', 'FOR', 'INCLUDES', 'EXCLUDES']);

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

export function errorLocation(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = text.indexOf('\n', pos);
  const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const col = pos - lineStart + 1;
  return `\n${line}\n${' '.repeat(col - 1)}^\nERROR at Row:${row}:Column:${col}\n`;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const malformed = (pos: number, msg: string): never => {
    throw new SoqlError('MALFORMED_QUERY', `${errorLocation(text, pos)}${msg}`);
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) malformed(start, 'line 1:' + String(start) + ' mismatched character \'<EOF>\' expecting \'\'\'');
        if (ch === "'") break;
        if (ch === '\\') {
          const next = text[i + 1] ?? '';
          if (next === '%' || next === '_') value += `\\${next}`;
          else if (next in ESCAPES) value += ESCAPES[next];
          else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 4;
          } else malformed(i, `Invalid string literal '${text.slice(start, i + 2)}'. Illegal character sequence '\\${next}' in string literal.`);
          i += 2;
          continue;
        }
        value += ch;
        i += 1;
      }
      i += 1;
      tokens.push({ kind: 'string', text: text.slice(start, i), value, pos: start });
      continue;
    }
    const dt = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?/.exec(text.slice(i));
    if (dt !== null && !/[\w]/.test(text[i + dt[0].length] ?? '')) {
      i += dt[0].length;
      tokens.push({ kind: dt[1] === undefined ? 'date' : 'datetime', text: dt[0], value: dt[0], pos: start });
      continue;
    }
    const num = /^[-+]?\d+(\.\d+)?/.exec(text.slice(i));
    if (num !== null && (c !== '-' && c !== '+' ? true : /[\s,(=<>]/.test(text[i - 1] ?? ' '))) {
      i += num[0].length;
      tokens.push({ kind: 'number', text: num[0], value: num[0], pos: start });
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (ident !== null) {
      i += ident[0].length;
      tokens.push({ kind: 'ident', text: ident[0], value: ident[0], pos: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<=' || two === '>=' || two === '<>') {
      i += 2;
      tokens.push({ kind: 'punct', text: two === '<>' ? '!=' : two, value: two, pos: start });
      continue;
    }
    if ('(),=<>:'.includes(c)) {
      i += 1;
      tokens.push({ kind: 'punct', text: c, value: c, pos: start });
      continue;
    }
    malformed(start, `line 1:${start} no viable alternative at character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', value: '', pos: text.length });
  return tokens;
}

class Parser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i += 1;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private fail(token: Token, detail?: string): never {
    if (token.kind === 'eof') throw new SoqlError('MALFORMED_QUERY', `${errorLocation(this.text, token.pos)}unexpected token: <EOF>`);
    throw new SoqlError('MALFORMED_QUERY', `${errorLocation(this.text, token.pos)}${detail ?? `unexpected token: ${token.text}`}`);
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.fail(this.peek());
    return this.next();
  }

  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail(this.peek());
    return this.next();
  }

  parse(): SoqlQuery {
    this.expectKeyword('SELECT');
    const select = this.parseSelectList();
    this.expectKeyword('FROM');
    const fromTok = this.next();
    if (fromTok.kind !== 'ident' || fromTok.text.includes('.')) this.fail(fromTok);
    const query: SoqlQuery = { text: this.text, select, from: fromTok.text, fromPos: fromTok.pos, orderBy: [] };
    if (this.peek().kind === 'ident' && !['WHERE', 'ORDER', 'LIMIT', 'OFFSET', 'USING'].includes(this.peek().text.toUpperCase()) && !UNSUPPORTED.has(this.peek().text.toUpperCase())) {
      this.next(); // an alias for the object: "FROM Lead l" — accepted and ignored
    }
    if (this.isKeyword('USING')) {
      this.next();
      this.expectKeyword('SCOPE');
      const scope = this.next();
      const name = scope.text.toLowerCase();
      // Other scopes (team, delegated, mine_and_my_groups …) need sharing data the sandbox does not keep.
      if (scope.kind !== 'ident' || (name !== 'mine' && name !== 'everything')) this.fail(scope);
      query.scope = name === 'mine' ? 'mine' : 'everything';
    }
    if (this.isKeyword('WHERE')) {
      this.next();
      query.where = this.parseOr();
    }
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      query.orderBy = this.parseOrderBy();
    }
    if (this.isKeyword('LIMIT')) {
      this.next();
      query.limit = this.parseCount();
    }
    if (this.isKeyword('OFFSET')) {
      this.next();
      query.offset = this.parseCount();
    }
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(rest);
    return query;
  }

  private parseCount(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) this.fail(t);
    return Number(t.text);
  }

  private parseSelectList(): SelectItem[] {
    const items: SelectItem[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind !== 'ident') this.fail(t);
      const upper = t.text.toUpperCase();
      if (upper === 'COUNT' && this.isPunct('(')) {
        this.next();
        let field: FieldRef | undefined;
        if (!this.isPunct(')')) {
          const f = this.next();
          if (f.kind !== 'ident') this.fail(f);
          field = { path: f.text, pos: f.pos };
        }
        this.expectPunct(')');
        let alias: string | undefined;
        if (this.peek().kind === 'ident' && !this.isKeyword('FROM')) alias = this.next().text;
        items.push({ kind: 'count', ...(field ? { field } : {}), ...(alias ? { alias } : {}) });
      } else if (upper === 'FIELDS' && this.isPunct('(')) {
        this.next();
        const w = this.next();
        const which = w.text.toUpperCase();
        if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') this.fail(w);
        this.expectPunct(')');
        items.push({ kind: 'fields', which, pos: t.pos });
      } else if (this.isPunct('(')) {
        this.fail(this.peek(), `unexpected token: '('`);
      } else {
        if (UNSUPPORTED.has(upper) || upper === 'FROM') this.fail(t);
        items.push({ kind: 'field', field: { path: t.text, pos: t.pos } });
      }
      if (!this.isPunct(',')) break;
      this.next();
    }
    return items;
  }

  private parseOrderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    for (;;) {
      const f = this.next();
      if (f.kind !== 'ident') this.fail(f);
      let desc = false;
      if (this.isKeyword('ASC')) this.next();
      else if (this.isKeyword('DESC')) {
        this.next();
        desc = true;
      }
      let nullsLast = desc;
      if (this.isKeyword('NULLS')) {
        this.next();
        const w = this.next();
        if (w.text.toUpperCase() === 'FIRST') nullsLast = false;
        else if (w.text.toUpperCase() === 'LAST') nullsLast = true;
        else this.fail(w);
      }
      items.push({ field: { path: f.text, pos: f.pos }, desc, nullsLast });
      if (!this.isPunct(',')) break;
      this.next();
    }
    return items;
  }

  private parseOr(): Condition {
    const items = [this.parseAnd()];
    while (this.isKeyword('OR')) {
      this.next();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? (items[0] as Condition) : { kind: 'or', items };
  }

  private parseAnd(): Condition {
    const items = [this.parseUnary()];
    while (this.isKeyword('AND')) {
      this.next();
      items.push(this.parseUnary());
    }
    return items.length === 1 ? (items[0] as Condition) : { kind: 'and', items };
  }

  private parseUnary(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', item: this.parseUnary() };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Condition {
    const f = this.next();
    if (f.kind !== 'ident' || ['AND', 'OR', 'NOT', 'ORDER', 'LIMIT'].includes(f.text.toUpperCase())) this.fail(f);
    const field: FieldRef = { path: f.text, pos: f.pos };
    const opTok = this.peek();
    if (this.isKeyword('LIKE')) {
      this.next();
      const v = this.next();
      if (v.kind !== 'string') this.fail(v);
      return { kind: 'like', field, negate: false, pattern: v.value, valuePos: v.pos };
    }
    if (this.isKeyword('IN') || (this.isKeyword('NOT') && this.isKeyword('IN', 1))) {
      const negate = this.isKeyword('NOT');
      if (negate) this.next();
      this.next();
      this.expectPunct('(');
      const valuePos = this.peek().pos;
      if (this.isKeyword('SELECT')) this.fail(this.peek(), 'semi-join sub-selects are not supported by the sandbox');
      const values: Literal[] = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negate, values, valuePos };
    }
    if (opTok.kind === 'ident' && UNSUPPORTED.has(opTok.text.toUpperCase())) this.fail(opTok);
    if (opTok.kind !== 'punct' || !['=', '!=', '<', '>', '<=', '>='].includes(opTok.text)) this.fail(opTok);
    this.next();
    const valuePos = this.peek().pos;
    return { kind: 'cmp', field, op: opTok.text as ComparisonOp, value: this.parseLiteral(), valuePos };
  }

  private parseLiteral(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'date':
        return { kind: 'date', value: t.text };
      case 'datetime':
        return { kind: 'datetime', value: t.text };
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (upper === 'NULL') return { kind: 'null' };
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (RANGE_LITERALS.has(upper)) return { kind: 'range', name: upper, n: 1 };
        if (N_RANGE_LITERALS.has(upper)) {
          this.expectPunct(':');
          return { kind: 'range', name: upper, n: this.parseCount() };
        }
        return this.fail(t);
      }
      case 'punct':
      case 'eof':
        return this.fail(t);
    }
  }
}

export function parseSoql(text: string): SoqlQuery {
  return new Parser(text).parse();
}
