/**
 * XML-RPC marshalling as Odoo speaks it (Python's `xmlrpc.client` with allow_none=False): methodCall, methodResponse
 * and fault documents. Written here rather than pulled from npm because the format is tiny and Odoo-specific rules
 * matter: `None` never goes on the wire (we send `false`), control characters are stripped, bytes are base64.
 * The parser is a strict little XML tokenizer: XML-RPC documents hold only elements and text, no mixed content.
 */

export type XmlRpcValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

export class XmlRpcParseError extends Error {
  override readonly name = 'XmlRpcParseError';
}

export interface XmlRpcFault {
  faultCode: number | string;
  faultString: string;
}

// ---------------------------------------------------------------- encoding

// Odoo strips C0 control characters except tab, LF and CR before marshalling (they are not legal XML 1.0).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function escapeXml(text: string): string {
  return text.replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function encodeValue(value: unknown): string {
  if (value === null || value === undefined || value === false) return '<value><boolean>0</boolean></value>';
  if (value === true) return '<value><boolean>1</boolean></value>';
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= 2147483647) return `<value><int>${value}</int></value>`;
    if (Number.isInteger(value)) return `<value><i8>${value}</i8></value>`;
    return `<value><double>${Number.isFinite(value) ? String(value) : '0'}</double></value>`;
  }
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>`;
  if (value instanceof Date) {
    const iso = value.toISOString().replace(/\.\d{3}Z$/, '').replace(/-/g, '');
    return `<value><dateTime.iso8601>${iso}</dateTime.iso8601></value>`;
  }
  if (value instanceof Uint8Array) return `<value><base64>${Buffer.from(value).toString('base64')}</base64></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join('')}</data></array></value>`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<member><name>${escapeXml(k)}</name>${encodeValue(v)}</member>`)
      .join('');
    return `<value><struct>${members}</struct></value>`;
  }
  throw new TypeError(`cannot marshal ${typeof value} into XML-RPC`);
}

export function encodeMethodCall(method: string, params: unknown[]): string {
  const body = params.map((p) => `<param>${encodeValue(p)}</param>`).join('');
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${body}</params></methodCall>\n`;
}

export function encodeMethodResponse(value: unknown): string {
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>\n`;
}

export function encodeFault(fault: XmlRpcFault): string {
  return `<?xml version="1.0"?>\n<methodResponse><fault>${encodeValue(fault)}</fault></methodResponse>\n`;
}

// ---------------------------------------------------------------- parsing

interface XmlNode {
  tag: string;
  children: XmlNode[];
  text: string;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, ent: string) => {
    if (ent === 'lt') return '<';
    if (ent === 'gt') return '>';
    if (ent === 'amp') return '&';
    if (ent === 'quot') return '"';
    if (ent === 'apos') return "'";
    const code = ent.startsWith('#x') ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

function parseXml(xml: string): XmlNode {
  const root: XmlNode = { tag: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt === -1) {
      top.text += decodeEntities(xml.slice(i));
      break;
    }
    if (lt > i) top.text += decodeEntities(xml.slice(i, lt));
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated CDATA');
      top.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith('<!', lt)) {
      throw new XmlRpcParseError('DTDs are not accepted');
    } else if (xml[lt + 1] === '/') {
      const end = xml.indexOf('>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated end tag');
      const tag = xml.slice(lt + 2, end).trim();
      if (top.tag !== tag) throw new XmlRpcParseError(`mismatched </${tag}>, expected </${top.tag}>`);
      stack.pop();
      i = end + 1;
    } else {
      const end = xml.indexOf('>', lt);
      if (end === -1) throw new XmlRpcParseError('unterminated start tag');
      let inner = xml.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const tag = inner.trim().split(/\s+/)[0] ?? '';
      if (!tag) throw new XmlRpcParseError('empty tag name');
      const node: XmlNode = { tag, children: [], text: '' };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw new XmlRpcParseError(`unclosed <${stack[stack.length - 1]!.tag}>`);
  return root;
}

function child(node: XmlNode, tag: string): XmlNode {
  const found = node.children.find((c) => c.tag === tag);
  if (!found) throw new XmlRpcParseError(`<${node.tag}> lacks <${tag}>`);
  return found;
}

function decodeValue(valueNode: XmlNode): XmlRpcValue {
  const typed = valueNode.children[0];
  // A <value> with no type element is a string.
  if (!typed) return valueNode.text;
  switch (typed.tag) {
    case 'string':
      return typed.text;
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(typed.text.trim());
      if (!Number.isInteger(n)) throw new XmlRpcParseError(`bad integer ${typed.text}`);
      return n;
    }
    case 'double': {
      const n = Number(typed.text.trim());
      if (Number.isNaN(n)) throw new XmlRpcParseError(`bad double ${typed.text}`);
      return n;
    }
    case 'boolean':
      return typed.text.trim() === '1';
    case 'nil':
      // Odoo runs with allow_none=False; be lenient when reading and treat nil as Odoo's empty value.
      return false;
    case 'base64':
      return new Uint8Array(Buffer.from(typed.text.replace(/\s+/g, ''), 'base64'));
    case 'dateTime.iso8601': {
      const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(typed.text.trim());
      if (!m) throw new XmlRpcParseError(`bad dateTime ${typed.text}`);
      return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
    }
    case 'array':
      return child(typed, 'data')
        .children.filter((c) => c.tag === 'value')
        .map(decodeValue);
    case 'struct': {
      const out: Record<string, XmlRpcValue> = {};
      for (const member of typed.children.filter((c) => c.tag === 'member')) {
        out[child(member, 'name').text] = decodeValue(child(member, 'value'));
      }
      return out;
    }
    default:
      throw new XmlRpcParseError(`unknown XML-RPC type <${typed.tag}>`);
  }
}

export function parseMethodCall(xml: string): { method: string; params: XmlRpcValue[] } {
  const call = child(parseXml(xml), 'methodCall');
  const method = child(call, 'methodName').text.trim();
  const paramsNode = call.children.find((c) => c.tag === 'params');
  const params = paramsNode
    ? paramsNode.children.filter((c) => c.tag === 'param').map((p) => decodeValue(child(p, 'value')))
    : [];
  return { method, params };
}

export type XmlRpcResponse = { ok: true; value: XmlRpcValue } | { ok: false; fault: XmlRpcFault };

export function parseMethodResponse(xml: string): XmlRpcResponse {
  const response = child(parseXml(xml), 'methodResponse');
  const fault = response.children.find((c) => c.tag === 'fault');
  if (fault) {
    const v = decodeValue(child(fault, 'value'));
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Date || v instanceof Uint8Array) {
      throw new XmlRpcParseError('fault is not a struct');
    }
    const code = v['faultCode'];
    const str = v['faultString'];
    return {
      ok: false,
      fault: {
        faultCode: typeof code === 'number' || typeof code === 'string' ? code : 1,
        faultString: typeof str === 'string' ? str : '',
      },
    };
  }
  const param = child(child(response, 'params'), 'param');
  return { ok: true, value: decodeValue(child(param, 'value')) };
}
