/**
 * Odoo domains (prefix notation: `&`, `|`, `!`, leaves `[path, op, value]`) evaluated in memory. Semantics follow the
 * ORM: `false` means NULL, x2many `=`/`in` mean "contains any", dotted paths through relations mean "any", a many2one
 * compared to a string matches the co-record's display name, negative string operators match NULL.
 */
import { valueError } from './exceptions.js';

export type DomainLeaf = [string | number, string, unknown];
export type DomainNode =
  | { kind: 'and' | 'or'; left: DomainNode; right: DomainNode }
  | { kind: 'not'; child: DomainNode }
  | { kind: 'leaf'; leaf: DomainLeaf }
  | { kind: 'true' };

export const OPERATORS = new Set([
  '=', '!=', '<>', '>', '>=', '<', '<=', '=?', '=like', '=ilike', 'like', 'ilike', 'not like', 'not ilike',
  'in', 'not in', 'child_of', 'parent_of', 'any', 'not any',
]);

export function parseDomain(domain: unknown): DomainNode {
  if (!Array.isArray(domain)) throw valueError(`Invalid domain: ${JSON.stringify(domain)}`);
  const stack: DomainNode[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const item = domain[i];
    if (item === '&' || item === '|') {
      const left = stack.pop();
      const right = stack.pop();
      if (!left || !right) throw valueError(`Invalid domain: operator ${item} lacks operands`);
      stack.push({ kind: item === '&' ? 'and' : 'or', left, right });
    } else if (item === '!') {
      const child = stack.pop();
      if (!child) throw valueError('Invalid domain: "!" lacks an operand');
      stack.push({ kind: 'not', child });
    } else if (Array.isArray(item) && item.length === 3) {
      const [path, op, value] = item as [unknown, unknown, unknown];
      if (typeof op !== 'string' || !OPERATORS.has(op.toLowerCase())) throw valueError(`Invalid operator ${JSON.stringify(op)}`);
      if (typeof path !== 'string' && typeof path !== 'number') throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
      stack.push({ kind: 'leaf', leaf: [path, op.toLowerCase(), value] });
    } else {
      throw valueError(`Invalid leaf ${JSON.stringify(item)}`);
    }
  }
  // Whatever is left is implicitly ANDed.
  let node: DomainNode = stack.pop() ?? { kind: 'true' };
  while (stack.length) node = { kind: 'and', left: node, right: stack.pop()! };
  return node;
}

/** Field names mentioned at the first level of leaves (for `active_test`: a domain naming `active` disables it). */
export function mentionsField(node: DomainNode, field: string): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return mentionsField(node.left, field) || mentionsField(node.right, field);
    case 'not':
      return mentionsField(node.child, field);
    case 'leaf':
      return String(node.leaf[0]).split('.')[0] === field;
    default:
      return false;
  }
}

function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  let escaped = false;
  for (const ch of pattern) {
    // Postgres LIKE: a backslash makes the next character literal.
    if (escaped) {
      re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      escaped = false;
    } else if (ch === '\\') escaped = true;
    else if (ch === '%') re += '.*';
    else if (ch === '_') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's');
}

function isEmpty(v: unknown): boolean {
  return v === false || v === null || v === undefined;
}

/** Compares one scalar stored value with an operand. */
export function compareScalar(value: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case '=':
      if (isEmpty(operand)) return isEmpty(value);
      return value === operand;
    case '!=':
    case '<>':
      if (isEmpty(operand)) return !isEmpty(value);
      return value !== operand;
    case '=?':
      return isEmpty(operand) ? true : value === operand;
    case '>':
    case '>=':
    case '<':
    case '<=': {
      if (isEmpty(value) || isEmpty(operand)) return false;
      const a = value as number | string;
      const b = operand as number | string;
      return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b;
    }
    case 'in':
    case 'not in': {
      const list = Array.isArray(operand) ? operand : [operand];
      const hit = list.some((o) => (isEmpty(o) ? isEmpty(value) : o === value));
      return op === 'in' ? hit : !hit;
    }
    case 'like':
    case 'ilike':
    case 'not like':
    case 'not ilike':
    case '=like':
    case '=ilike': {
      const negative = op.startsWith('not');
      if (isEmpty(value)) return negative;
      const raw = String(operand ?? '');
      const pattern = op.startsWith('=') ? raw : `%${raw}%`;
      const matched = likeToRegExp(pattern, op.includes('ilike')).test(String(value));
      return negative ? !matched : matched;
    }
    default:
      throw valueError(`Operator ${op} is not supported here`);
  }
}
