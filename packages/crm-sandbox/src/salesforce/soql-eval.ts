import { normalizeId } from './ids.js';
import type { FieldDef, SObjectDef } from './schema.js';
import { SoqlError, errorLocation, type Condition, type Literal, type FieldRef, type SoqlQuery } from './soql.js';
import { parseDateTime, toSfDateTime, type SfRecord, type SfValue } from './values.js';

export interface SoqlContext {
  resolveType(name: string): SObjectDef | undefined;
  /** Live record by id (any type) for parent relationship paths such as Owner.Email. */
  lookup(id: string): { def: SObjectDef; record: SfRecord } | undefined;
  now(): number;
  /** The user running the query (USING SCOPE mine); absent where the sandbox has no user for it (Bulk). */
  userId?: string;
}

/** One selected column: a field on the row, or a field on a parent (Owner.Email). */
export interface Column {
  /** Canonical path as Salesforce echoes it: 'Email' or 'Owner.Email'. */
  path: string;
  field: FieldDef;
  relationship?: { name: string; referenceField: FieldDef };
  get: (row: SfRecord) => SfValue;
}

export interface CompiledQuery {
  def: SObjectDef;
  columns: Column[];
  /** SELECT COUNT() — only totalSize is returned. */
  countOnly: boolean;
  /** SELECT COUNT(field) [alias] — one AggregateResult row. */
  aggregate?: { alias: string; column?: Column };
  predicate: (row: SfRecord) => boolean;
  compare?: (a: SfRecord, b: SfRecord) => number;
  limit?: number;
  offset: number;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist', 'combobox']);
const NUMBER_TYPES = new Set(['double', 'currency', 'percent', 'int']);
const DAY = 86_400_000;

function invalidField(text: string, pos: number, name: string, type: string): never {
  throw new SoqlError(
    'INVALID_FIELD',
    `${errorLocation(text, pos)}No such column '${name}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

function resolveColumn(q: SoqlQuery, def: SObjectDef, ref: FieldRef, ctx: SoqlContext): Column {
  const parts = ref.path.split('.');
  if (parts.length === 1) {
    const field = def.byLowerName.get(ref.path.toLowerCase());
    if (field === undefined) invalidField(q.text, ref.pos, ref.path, def.name);
    const name = field.name;
    return { path: name, field, get: (row) => row[name] ?? null };
  }
  if (parts.length > 2) invalidField(q.text, ref.pos, ref.path, def.name);
  const [relName = '', fieldName = ''] = parts;
  const referenceField = def.fields.find((f) => f.relationshipName !== null && f.relationshipName.toLowerCase() === relName.toLowerCase());
  if (referenceField === undefined) invalidField(q.text, ref.pos, relName, def.name);
  // Polymorphic lookups (Who/What) resolve against their first target type's fields.
  const targetDefs = referenceField.referenceTo.map((t) => ctx.resolveType(t)).filter((d): d is SObjectDef => d !== undefined);
  const field = targetDefs.map((d) => d.byLowerName.get(fieldName.toLowerCase())).find((f) => f !== undefined);
  if (field === undefined) invalidField(q.text, ref.pos, ref.path, def.name);
  const refName = referenceField.name;
  const name = field.name;
  return {
    path: `${referenceField.relationshipName ?? relName}.${name}`,
    field,
    relationship: { name: referenceField.relationshipName ?? relName, referenceField },
    get: (row) => {
      const id = row[refName];
      if (typeof id !== 'string') return null;
      return ctx.lookup(id)?.record[name] ?? null;
    },
  };
}

/** Long text areas can be neither filtered nor sorted in SOQL. */
function longText(col: Column): boolean {
  return col.field.type === 'textarea' && col.field.length > 255;
}

function filterColumn(q: SoqlQuery, def: SObjectDef, ref: FieldRef, ctx: SoqlContext): Column {
  const col = resolveColumn(q, def, ref, ctx);
  if (longText(col)) throw new SoqlError('INVALID_FIELD', `${errorLocation(q.text, ref.pos)}field '${col.path}' can not be filtered in a query call`);
  return col;
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** Date literals such as TODAY or LAST_N_DAYS:7 are [start, end) ranges in UTC. */
function literalRange(lit: { name: string; n: number }, now: number): [number, number] {
  const today = startOfUtcDay(now);
  const d = new Date(today);
  const weekStart = today - d.getUTCDay() * DAY;
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const month = (offset: number): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  switch (lit.name) {
    case 'TODAY': return [today, today + DAY];
    case 'YESTERDAY': return [today - DAY, today];
    case 'TOMORROW': return [today + DAY, today + 2 * DAY];
    case 'LAST_WEEK': return [weekStart - 7 * DAY, weekStart];
    case 'THIS_WEEK': return [weekStart, weekStart + 7 * DAY];
    case 'NEXT_WEEK': return [weekStart + 7 * DAY, weekStart + 14 * DAY];
    case 'LAST_MONTH': return [month(-1), monthStart];
    case 'THIS_MONTH': return [monthStart, month(1)];
    case 'NEXT_MONTH': return [month(1), month(2)];
    case 'THIS_YEAR': return [Date.UTC(d.getUTCFullYear(), 0, 1), Date.UTC(d.getUTCFullYear() + 1, 0, 1)];
    case 'LAST_YEAR': return [Date.UTC(d.getUTCFullYear() - 1, 0, 1), Date.UTC(d.getUTCFullYear(), 0, 1)];
    case 'LAST_90_DAYS': return [today - 90 * DAY, today + DAY];
    case 'NEXT_90_DAYS': return [today + DAY, today + 91 * DAY];
    case 'LAST_N_DAYS': return [today - lit.n * DAY, today + DAY];
    case 'NEXT_N_DAYS': return [today + DAY, today + (lit.n + 1) * DAY];
    case 'N_DAYS_AGO': return [today - lit.n * DAY, today - (lit.n - 1) * DAY];
    case 'LAST_N_WEEKS': return [weekStart - lit.n * 7 * DAY, weekStart];
    case 'NEXT_N_WEEKS': return [weekStart + 7 * DAY, weekStart + (lit.n + 1) * 7 * DAY];
    case 'LAST_N_MONTHS': return [month(-lit.n), monthStart];
    case 'NEXT_N_MONTHS': return [month(1), month(lit.n + 1)];
    default: return [today, today + DAY];
  }
}

type Scalar = string | number | boolean | null;
type Cmp = (v: SfValue) => boolean;

/** Turn a literal into the comparable form of the column's type, or fail like Salesforce. */
function literalValue(q: SoqlQuery, col: Column, lit: Literal, pos: number): Scalar | { range: [string, string] } {
  const f = col.field;
  const wrongType = (): never => {
    const expected = f.type === 'datetime' ? 'dateTime' : f.type;
    const quoted = f.type === 'date' || f.type === 'datetime' || NUMBER_TYPES.has(f.type) || f.type === 'boolean' ? ' and should not be enclosed in quotes' : '';
    throw new SoqlError('INVALID_FIELD', `${errorLocation(q.text, pos)}value of filter criterion for field '${col.path}' must be of type ${expected}${quoted}`);
  };
  if (lit.kind === 'null') return null;
  switch (f.type) {
    case 'boolean':
      return lit.kind === 'boolean' ? lit.value : wrongType();
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return lit.kind === 'number' ? lit.value : wrongType();
    case 'date': {
      if (lit.kind === 'date') return lit.value;
      if (lit.kind === 'range') {
        const [s, e] = literalRange(lit, Date.now());
        return { range: [new Date(s).toISOString().slice(0, 10), new Date(e).toISOString().slice(0, 10)] };
      }
      return wrongType();
    }
    case 'datetime': {
      if (lit.kind === 'datetime') {
        const ms = parseDateTime(lit.value);
        return ms === undefined ? wrongType() : toSfDateTime(ms);
      }
      if (lit.kind === 'range') {
        const [s, e] = literalRange(lit, Date.now());
        return { range: [toSfDateTime(s), toSfDateTime(e)] };
      }
      return wrongType();
    }
    case 'id':
    case 'reference': {
      if (lit.kind !== 'string') return wrongType();
      const id = normalizeId(lit.value);
      if (id === undefined) throw new SoqlError('INVALID_QUERY_FILTER_OPERATOR', `${errorLocation(q.text, pos)}invalid ID field: ${lit.value}`);
      return id;
    }
    case 'string':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'url':
    case 'picklist':
    case 'multipicklist':
    case 'combobox':
      return lit.kind === 'string' ? lit.value.replace(/\\([%_])/g, '$1').toLowerCase() : wrongType();
  }
}

function normalizeCell(col: Column, v: SfValue): Scalar {
  if (v === null || v === undefined) return null;
  return TEXT_TYPES.has(col.field.type) && typeof v === 'string' ? v.toLowerCase() : v;
}

function compileCondition(q: SoqlQuery, def: SObjectDef, cond: Condition, ctx: SoqlContext): (row: SfRecord) => boolean {
  switch (cond.kind) {
    case 'and': {
      const parts = cond.items.map((c) => compileCondition(q, def, c, ctx));
      return (row) => parts.every((p) => p(row));
    }
    case 'or': {
      const parts = cond.items.map((c) => compileCondition(q, def, c, ctx));
      return (row) => parts.some((p) => p(row));
    }
    case 'not': {
      const inner = compileCondition(q, def, cond.item, ctx);
      return (row) => !inner(row);
    }
    case 'like': {
      const col = filterColumn(q, def, cond.field, ctx);
      if (!TEXT_TYPES.has(col.field.type) && col.field.type !== 'id' && col.field.type !== 'reference') {
        throw new SoqlError('INVALID_FIELD', `${errorLocation(q.text, cond.valuePos)}invalid operator on ${col.field.type} field: LIKE`);
      }
      // Compiled once per query, never per row.
      let source = '';
      for (let i = 0; i < cond.pattern.length; i++) {
        const ch = cond.pattern[i] ?? '';
        if (ch === '\\' && (cond.pattern[i + 1] === '%' || cond.pattern[i + 1] === '_')) {
          source += `\\${cond.pattern[i + 1]}`;
          i += 1;
        } else if (ch === '%') source += '[\\s\\S]*';
        else if (ch === '_') source += '[\\s\\S]';
        else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      const re = new RegExp(`^${source}$`, 'i');
      const get = col.get;
      return (row) => {
        const v = get(row);
        return v !== null && v !== undefined && re.test(String(v));
      };
    }
    case 'in': {
      const col = filterColumn(q, def, cond.field, ctx);
      const values = new Set(cond.values.map((l) => {
        const v = literalValue(q, col, l, cond.valuePos);
        if (v !== null && typeof v === 'object') throw new SoqlError('MALFORMED_QUERY', `${errorLocation(q.text, cond.valuePos)}date literals are not allowed in IN`);
        return v;
      }));
      const negate = cond.negate;
      return (row) => values.has(normalizeCell(col, col.get(row))) !== negate;
    }
    case 'cmp': {
      const col = filterColumn(q, def, cond.field, ctx);
      const lit = literalValue(q, col, cond.value, cond.valuePos);
      const get = col.get;
      let test: Cmp;
      if (lit !== null && typeof lit === 'object') {
        const [start, end] = lit.range;
        const inRange = (v: SfValue): v is string => typeof v === 'string';
        switch (cond.op) {
          case '=': test = (v) => inRange(v) && v >= start && v < end; break;
          case '!=': test = (v) => !(inRange(v) && v >= start && v < end); break;
          case '<': test = (v) => inRange(v) && v < start; break;
          case '<=': test = (v) => inRange(v) && v < end; break;
          case '>': test = (v) => inRange(v) && v >= end; break;
          case '>=': test = (v) => inRange(v) && v >= start; break;
        }
        return (row) => test(get(row));
      }
      if (lit === null) {
        if (cond.op === '=') return (row) => get(row) === null || get(row) === undefined;
        if (cond.op === '!=') return (row) => get(row) !== null && get(row) !== undefined;
        return () => false;
      }
      const text = TEXT_TYPES.has(col.field.type);
      const norm = (v: SfValue): Scalar => (v === undefined ? null : text && typeof v === 'string' ? v.toLowerCase() : v);
      switch (cond.op) {
        case '=': test = (v) => norm(v) === lit; break;
        // SOQL's != keeps rows whose value is null (unlike SQL).
        case '!=': test = (v) => norm(v) !== lit; break;
        case '<': test = (v) => { const n = norm(v); return n !== null && n < lit; }; break;
        case '<=': test = (v) => { const n = norm(v); return n !== null && n <= lit; }; break;
        case '>': test = (v) => { const n = norm(v); return n !== null && n > lit; }; break;
        case '>=': test = (v) => { const n = norm(v); return n !== null && n >= lit; }; break;
      }
      return (row) => test(get(row));
    }
  }
}

export function compileQuery(q: SoqlQuery, ctx: SoqlContext): CompiledQuery {
  const def = ctx.resolveType(q.from);
  if (def === undefined) {
    throw new SoqlError(
      'INVALID_TYPE',
      `${errorLocation(q.text, q.fromPos)}sObject type '${q.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const columns: Column[] = [];
  let countOnly = false;
  let aggregate: CompiledQuery['aggregate'];
  const seen = new Set<string>();
  const push = (col: Column): void => {
    const key = col.path.toLowerCase();
    if (seen.has(key)) throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${col.path}`);
    seen.add(key);
    columns.push(col);
  };
  for (const item of q.select) {
    switch (item.kind) {
      case 'field':
        push(resolveColumn(q, def, item.field, ctx));
        break;
      case 'fields':
        for (const f of def.fields) {
          if (item.which === 'CUSTOM' && !f.custom) continue;
          if (item.which === 'STANDARD' && f.custom) continue;
          const name = f.name;
          if (!seen.has(name.toLowerCase())) push({ path: name, field: f, get: (row) => row[name] ?? null });
        }
        break;
      case 'count':
        if (item.field === undefined && item.alias === undefined) countOnly = true;
        else aggregate = { alias: item.alias ?? 'expr0', ...(item.field ? { column: resolveColumn(q, def, item.field, ctx) } : {}) };
        break;
    }
  }
  if ((countOnly || aggregate !== undefined) && columns.length > 0) {
    throw new SoqlError('MALFORMED_QUERY', `${errorLocation(q.text, 0)}Field must be grouped or aggregated: ${columns[0]?.path ?? ''}`);
  }
  const usesFieldsAll = q.select.some((i) => i.kind === 'fields' && i.which !== 'STANDARD');
  if (usesFieldsAll && (q.limit === undefined || q.limit > 200)) {
    throw new SoqlError('MALFORMED_QUERY', `${errorLocation(q.text, 0)}The SOQL FIELDS function must have a LIMIT of at most 200`);
  }
  if (q.offset !== undefined && q.offset > 2000) {
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
  }
  const where = q.where;
  const filter = where === undefined ? () => true : compileCondition(q, def, where, ctx);
  let predicate = filter;
  if (q.scope === 'mine') {
    const userId = ctx.userId;
    if (userId === undefined) throw new SoqlError('MALFORMED_QUERY', `${errorLocation(q.text, q.fromPos)}USING SCOPE is not supported in this call`);
    predicate = (row) => row['OwnerId'] === userId && filter(row);
  }
  let compare: CompiledQuery['compare'];
  if (q.orderBy.length > 0) {
    const keys = q.orderBy.map((o) => {
      const col = resolveColumn(q, def, o.field, ctx);
      if (longText(col)) throw new SoqlError('INVALID_FIELD', `${errorLocation(q.text, o.field.pos)}field '${col.path}' can not be sorted in a query call`);
      return { col, desc: o.desc, nullsLast: o.nullsLast };
    });
    compare = (a, b) => {
      for (const { col, desc, nullsLast } of keys) {
        const va = normalizeCell(col, col.get(a));
        const vb = normalizeCell(col, col.get(b));
        if (va === vb) continue;
        if (va === null) return nullsLast ? 1 : -1;
        if (vb === null) return nullsLast ? -1 : 1;
        const c = va < vb ? -1 : 1;
        return desc ? -c : c;
      }
      return 0;
    };
  }
  return {
    def,
    columns,
    countOnly,
    ...(aggregate !== undefined ? { aggregate } : {}),
    predicate,
    ...(compare !== undefined ? { compare } : {}),
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    offset: q.offset ?? 0,
  };
}

export interface QueryRun {
  compiled: CompiledQuery;
  /** Matching rows after ORDER BY / OFFSET / LIMIT (all pages). */
  rows: SfRecord[];
  totalSize: number;
}

/** Scan the rows once with the compiled predicate, then sort and slice. */
export function runQuery(compiled: CompiledQuery, rows: Iterable<SfRecord>, includeDeleted: boolean): QueryRun {
  const matched: SfRecord[] = [];
  const pred = compiled.predicate;
  for (const row of rows) {
    if (!includeDeleted && row['IsDeleted'] === true) continue;
    if (pred(row)) matched.push(row);
  }
  if (compiled.compare) matched.sort(compiled.compare);
  const start = compiled.offset;
  const end = compiled.limit === undefined ? undefined : start + compiled.limit;
  const sliced = start === 0 && end === undefined ? matched : matched.slice(start, end);
  return { compiled, rows: sliced, totalSize: sliced.length };
}

/** Shape one row as the REST API returns it (attributes first, parent relationships nested). */
export function shapeRecord(compiled: CompiledQuery, row: SfRecord, apiVersion: string, ctx: SoqlContext): Record<string, unknown> {
  const type = compiled.def.name;
  const out: Record<string, unknown> = { attributes: { type, url: `/services/data/v${apiVersion}/sobjects/${type}/${String(row['Id'])}` } };
  for (const col of compiled.columns) {
    if (col.relationship === undefined) {
      out[col.path] = row[col.field.name] ?? null;
      continue;
    }
    const relName = col.relationship.name;
    const parentId = row[col.relationship.referenceField.name];
    const parent = typeof parentId === 'string' ? ctx.lookup(parentId) : undefined;
    if (parent === undefined) {
      out[relName] = null;
      continue;
    }
    const existing = out[relName];
    const nested = existing !== null && typeof existing === 'object' ? (existing as Record<string, unknown>) : {
      attributes: { type: parent.def.name, url: `/services/data/v${apiVersion}/sobjects/${parent.def.name}/${parent.record['Id'] as string}` },
    };
    nested[col.field.name] = parent.record[col.field.name] ?? null;
    out[relName] = nested;
  }
  return out;
}
