import assert from 'node:assert/strict';
import type { Stack } from './stack';

/** The sandbox's control API over HTTP (as a salesperson or an operator would use it). */
export async function control<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * A salesperson's REST calls to the sandbox Salesforce (a token minted by the sandbox, the REST API as jsforce
 * calls it): create a record, change one.
 */
export async function salesforceRest(stack: Stack): Promise<{ create: (sobject: string, fields: Record<string, unknown>) => Promise<string>; update: (sobject: string, id: string, fields: Record<string, unknown>) => Promise<void> }> {
  const base = stack.sandbox.salesforce.url;
  const { accessToken } = await control<{ accessToken: string }>(base, 'POST', '/__sandbox/tokens', {});
  const call = async (method: string, path: string, body: unknown): Promise<string> => {
    const res = await fetch(`${base}/services/data/v59.0${path}`, { method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
    return text;
  };
  return {
    create: async (sobject, fields) => (JSON.parse(await call('POST', `/sobjects/${sobject}`, fields)) as { id: string }).id,
    update: async (sobject, id, fields) => {
      await call('PATCH', `/sobjects/${sobject}/${id}`, fields);
    },
  };
}
