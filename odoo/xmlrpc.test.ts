import { describe, expect, it } from 'vitest';
import { encodeFault, encodeMethodCall, encodeMethodResponse, parseMethodCall, parseMethodResponse, XmlRpcParseError } from './xmlrpc.js';

describe('XML-RPC marshalling', () => {
  it('round-trips the values Odoo exchanges', () => {
    const params = [
      'db',
      7,
      'key <&> "quoted"',
      'res.partner',
      'search_read',
      [[['is_company', '=', true], ['name', 'ilike', 'Café']]],
      { fields: ['name', 'country_id'], limit: 2, context: { lang: 'en_US' }, ratio: 0.5, big: 2 ** 40 },
    ];
    const { method, params: back } = parseMethodCall(encodeMethodCall('execute_kw', params));
    expect(method).toBe('execute_kw');
    expect(back).toEqual(params);
  });

  it('never sends None: null and undefined go out as false', () => {
    const { value } = parseMethodResponse(encodeMethodResponse({ a: null, b: [undefined] })) as { value: unknown };
    expect(value).toEqual({ a: false, b: [false] });
  });

  it('strips control characters as Odoo does, keeping tab and newlines', () => {
    const { value } = parseMethodResponse(encodeMethodResponse('a\u0001b\tc\nd')) as { value: unknown };
    expect(value).toBe('ab\tc\nd');
  });

  it('reads what Python xmlrpc.client writes: untyped strings, i4, nil, base64, dateTime, entities', () => {
    const xml = `<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><struct>
<member><name>s</name><value>plain &amp; simple</value></member>
<member><name>n</name><value><i4>42</i4></value></member>
<member><name>none</name><value><nil/></value></member>
<member><name>b</name><value><base64>aGk=
</base64></value></member>
<member><name>d</name><value><dateTime.iso8601>20261116T07:00:00</dateTime.iso8601></value></member>
<member><name>e</name><value><array><data>
</data></array></value></member>
</struct></value>
</param>
</params>
</methodResponse>`;
    const r = parseMethodResponse(xml);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as Record<string, unknown>;
    expect(v['s']).toBe('plain & simple');
    expect(v['n']).toBe(42);
    expect(v['none']).toBe(false);
    expect(Buffer.from(v['b'] as Uint8Array).toString()).toBe('hi');
    expect((v['d'] as Date).toISOString()).toBe('2026-11-16T07:00:00.000Z');
    expect(v['e']).toEqual([]);
  });

  it('parses faults', () => {
    expect(parseMethodResponse(encodeFault({ faultCode: 4, faultString: 'You are not allowed' }))).toEqual({
      ok: false,
      fault: { faultCode: 4, faultString: 'You are not allowed' },
    });
  });

  it('rejects broken and DTD-bearing documents', () => {
    expect(() => parseMethodResponse('<methodResponse><params>')).toThrow(XmlRpcParseError);
    expect(() => parseMethodCall('<!DOCTYPE x [<!ENTITY a "b">]><methodCall/>')).toThrow(XmlRpcParseError);
  });
});
