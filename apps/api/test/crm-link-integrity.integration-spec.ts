import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createTestEnvironment } from './support/test-app.js';

/**
 * crm_link's person, company and connection keys are held by set-based triggers (CrmLinkSetBasedKeys1765300000000),
 * not foreign keys. These tests hold them to what the foreign keys guaranteed, on a real Postgres.
 */

let env: Awaited<ReturnType<typeof createTestEnvironment>>;
let pool: pg.Pool;

interface Ws {
  id: string;
  connectionId: string;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  pool = new pg.Pool({ connectionString: env.config.databaseUrl, max: 6 });
});

afterAll(async () => {
  await pool?.end();
  await env?.cleanup();
});

async function workspace(crm: 'hubspot' | 'salesforce' = 'hubspot'): Promise<Ws> {
  const [w] = (await pool.query<{ id: string }>(`INSERT INTO workspace (name) VALUES ('ws') RETURNING id`)).rows;
  const connectionId = randomUUID();
  await pool.query(`INSERT INTO crm_connection (id, workspace_id, crm, status, account_id, connected_at) VALUES ($1, $2, $3, 'connected', 'acct', now())`, [
    connectionId,
    w!.id,
    crm,
  ]);
  return { id: w!.id, connectionId };
}

async function person(ws: Ws): Promise<string> {
  return (await pool.query<{ id: string }>(`INSERT INTO person (workspace_id) VALUES ($1) RETURNING id`, [ws.id])).rows[0]!.id;
}

async function company(ws: Ws): Promise<string> {
  return (await pool.query<{ id: string }>(`INSERT INTO company (workspace_id, name) VALUES ($1, 'Acme') RETURNING id`, [ws.id])).rows[0]!.id;
}

interface LinkInput {
  ws: Ws;
  connectionId?: string;
  personId?: string;
  companyId?: string;
  crmId?: string;
}

function linkValues(links: LinkInput[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = links.map((l) => {
    const p = params.length;
    params.push(l.ws.id, l.connectionId ?? l.ws.connectionId, l.personId ? 'contact' : 'company', l.crmId ?? randomUUID(), l.personId ?? null, l.companyId ?? null);
    return `($${p + 1}::uuid, $${p + 2}::uuid, 'hubspot', $${p + 3}, $${p + 4}, $${p + 5}::uuid, $${p + 6}::uuid, now())`;
  });
  return { sql: `INSERT INTO crm_link (workspace_id, connection_id, crm, object, crm_id, person_id, company_id, last_synced_at) VALUES ${rows.join(', ')}`, params };
}

async function insertLinks(links: LinkInput[], client: pg.Pool | pg.PoolClient = pool): Promise<void> {
  const { sql, params } = linkValues(links);
  await client.query(sql, params);
}

async function countLinks(where: string, params: unknown[]): Promise<number> {
  return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM crm_link WHERE ${where}`, params)).rows[0]!.n);
}

async function dangling(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`
    SELECT count(*) AS n FROM crm_link l
     WHERE (l.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = l.person_id))
        OR (l.company_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM company c WHERE c.id = l.company_id))
        OR NOT EXISTS (SELECT 1 FROM crm_connection c WHERE c.id = l.connection_id)`);
  return Number(rows[0]!.n);
}

async function pgError(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; message: string; detail?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; constraint?: string; message: string; detail?: string };
  }
  throw new Error('expected the statement to fail');
}

/** Resolves once the backend `pid` waits on a lock (a row lock, a transaction or an advisory lock); fails if its statement ends first. */
async function waitsOnLock(pid: number, statement: Promise<unknown>): Promise<void> {
  let ended = false;
  void statement.then(
    () => (ended = true),
    () => (ended = true),
  );
  for (;;) {
    if (ended) throw new Error(`backend ${pid} finished its statement without waiting on a lock`);
    const { rows } = await pool.query<{ w: string | null }>(`SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1`, [pid]);
    if (rows[0]?.w === 'Lock') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function backend(): Promise<{ client: pg.PoolClient; pid: number }> {
  const client = await pool.connect();
  const pid = (await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`)).rows[0]!.pid;
  return { client, pid };
}

describe('crm_link keys (set-based triggers instead of foreign keys)', () => {
  it('has no foreign keys left on crm_link, so the triggers are what holds its keys', async () => {
    const { rows } = await pool.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE conrelid = 'crm_link'::regclass AND contype = 'f'`);
    expect(rows).toEqual([]);
  });

  it('stores links whose person, company and connection exist', async () => {
    const ws = await workspace();
    const [p1, p2, c1] = [await person(ws), await person(ws), await company(ws)];
    await insertLinks([{ ws, personId: p1 }, { ws, personId: p2 }, { ws, companyId: c1 }, { ws, personId: p1 }]);
    expect(await countLinks('workspace_id = $1', [ws.id])).toBe(4);
  });

  it.each([
    ['person', 'fk_crm_link_person', 'person_id'],
    ['company', 'fk_crm_link_company', 'company_id'],
    ['connection', 'fk_crm_link_connection', 'connection_id'],
  ] as const)('refuses a link to a missing %s with 23503 and stores none of the statement', async (kind, constraint, column) => {
    const ws = await workspace();
    const [p1, c1] = [await person(ws), await company(ws)];
    const missing = randomUUID();
    const bad: LinkInput =
      kind === 'person' ? { ws, personId: missing } : kind === 'company' ? { ws, companyId: missing } : { ws, connectionId: missing, personId: p1 };
    const err = await pgError(insertLinks([{ ws, personId: p1 }, { ws, companyId: c1 }, bad]));
    expect(err.code).toBe('23503');
    expect(err.constraint).toBe(constraint);
    expect(err.message).toBe(`insert or update on table "crm_link" violates foreign key constraint "${constraint}"`);
    expect(err.detail).toBe(`Key (${column})=(${missing}) is not present in table "${kind === 'connection' ? 'crm_connection' : kind}".`);
    expect(await countLinks('workspace_id = $1', [ws.id])).toBe(0);
  });

  it('refuses a COPY (how imports write links) naming a missing person, and stores nothing of it', async () => {
    const ws = await workspace();
    const p1 = await person(ws);
    const line = (personId: string): string => [randomUUID(), ws.id, ws.connectionId, 'hubspot', 'contact', randomUUID(), personId, new Date().toISOString()].join('\t');
    const client = await pool.connect();
    try {
      const err = await pgError(
        pipeline(
          Readable.from([`${line(p1)}\n${line(randomUUID())}\n`]),
          client.query(copyFrom(`COPY crm_link (id, workspace_id, connection_id, crm, object, crm_id, person_id, last_synced_at) FROM STDIN`)),
        ),
      );
      expect(err.code).toBe('23503');
      expect(err.constraint).toBe('fk_crm_link_person');
    } finally {
      client.release();
    }
    expect(await countLinks('workspace_id = $1', [ws.id])).toBe(0);
  });

  it('refuses an update pointing a link at a missing person or connection, and keeps unchanged keys updatable', async () => {
    const ws = await workspace();
    const [p1, p2] = [await person(ws), await person(ws)];
    await insertLinks([{ ws, personId: p1, crmId: 'a' }, { ws, personId: p2, crmId: 'b' }]);
    const missing = randomUUID();
    const err = await pgError(pool.query(`UPDATE crm_link SET person_id = CASE crm_id WHEN 'a' THEN $2::uuid ELSE $3::uuid END WHERE workspace_id = $1`, [ws.id, p2, missing]));
    expect(err.code).toBe('23503');
    expect(err.constraint).toBe('fk_crm_link_person');
    const conn = await pgError(pool.query(`UPDATE crm_link SET connection_id = $2 WHERE workspace_id = $1`, [ws.id, missing]));
    expect(conn.code).toBe('23503');
    expect(conn.constraint).toBe('fk_crm_link_connection');
    expect(await countLinks('workspace_id = $1 AND person_id = $2', [ws.id, p1])).toBe(1);
    await pool.query(`UPDATE crm_link SET person_id = $2, archived_at = now() WHERE workspace_id = $1`, [ws.id, p2]);
    expect(await countLinks('workspace_id = $1 AND person_id = $2 AND archived_at IS NOT NULL', [ws.id, p2])).toBe(2);
  });

  it('deletes the links of a deleted person, company or connection, single and multi-row, and only theirs', async () => {
    const ws = await workspace();
    const [p1, p2, p3, keep] = [await person(ws), await person(ws), await person(ws), await person(ws)];
    const [c1, c2, cKeep] = [await company(ws), await company(ws), await company(ws)];
    await insertLinks([p1, p1, p2, p3, keep].map((personId) => ({ ws, personId })));
    await insertLinks([c1, c2, c2, cKeep].map((companyId) => ({ ws, companyId })));

    await pool.query(`DELETE FROM person WHERE id = $1`, [p1]);
    expect(await countLinks('person_id = $1', [p1])).toBe(0);
    await pool.query(`DELETE FROM person WHERE id = ANY($1::uuid[])`, [[p2, p3]]);
    expect(await countLinks('person_id = ANY($1::uuid[])', [[p2, p3]])).toBe(0);
    await pool.query(`DELETE FROM company WHERE id = $1`, [c1]);
    await pool.query(`DELETE FROM company WHERE id = ANY($1::uuid[])`, [[c2]]);
    expect(await countLinks('company_id = ANY($1::uuid[])', [[c1, c2]])).toBe(0);
    expect(await countLinks('workspace_id = $1', [ws.id])).toBe(2);
    expect(await countLinks('person_id = $1 OR company_id = $2', [keep, cKeep])).toBe(2);

    const other = await workspace('salesforce');
    const p4 = await person(other);
    await insertLinks([{ ws: other, personId: p4 }, { ws: other, connectionId: ws.connectionId, personId: p4 }]);
    await pool.query(`DELETE FROM crm_connection WHERE id = $1`, [ws.connectionId]);
    expect(await countLinks('connection_id = $1', [ws.connectionId])).toBe(0);
    expect(await countLinks('connection_id = $1', [other.connectionId])).toBe(1);
    expect(await dangling()).toBe(0);
  });

  it('deletes a workspace’s links when the workspace is deleted (through its connections, people and companies)', async () => {
    const ws = await workspace();
    const other = await workspace();
    const [p1, c1, pOther] = [await person(ws), await company(ws), await person(other)];
    await insertLinks([{ ws, personId: p1 }, { ws, companyId: c1 }, { ws: other, personId: pOther }]);
    await pool.query(`DELETE FROM workspace WHERE id = $1`, [ws.id]);
    expect(await countLinks('workspace_id = $1', [ws.id])).toBe(0);
    expect(await countLinks('workspace_id = $1', [other.id])).toBe(1);
    expect(await dangling()).toBe(0);
  });

  it('refuses changing the id of a person that links point at (ON UPDATE NO ACTION)', async () => {
    const ws = await workspace();
    const [p1, free] = [await person(ws), await person(ws)];
    await insertLinks([{ ws, personId: p1 }]);
    const err = await pgError(pool.query(`UPDATE person SET id = gen_random_uuid() WHERE id = $1`, [p1]));
    expect(err.code).toBe('23503');
    expect(err.constraint).toBe('fk_crm_link_person');
    await pool.query(`UPDATE person SET id = gen_random_uuid() WHERE id = $1`, [free]);
  });

  describe('concurrent insert of a link and delete of its person (two connections, READ COMMITTED)', () => {
    it('a delete waits for the transaction that linked the person, then removes the link', async () => {
      const ws = await workspace();
      const p = await person(ws);
      const a = await backend();
      const b = await backend();
      try {
        await a.client.query('BEGIN');
        await insertLinks([{ ws, personId: p }], a.client);
        const deleting = b.client.query(`DELETE FROM person WHERE id = $1`, [p]);
        await waitsOnLock(b.pid, deleting);
        await a.client.query('COMMIT');
        await deleting;
      } finally {
        a.client.release();
        b.client.release();
      }
      expect(await countLinks('person_id = $1', [p])).toBe(0);
      expect(await dangling()).toBe(0);
    });

    it('a link to a person being deleted waits for the delete, and fails with 23503 once it commits', async () => {
      const ws = await workspace();
      const p = await person(ws);
      const a = await backend();
      const b = await backend();
      try {
        await b.client.query('BEGIN');
        await b.client.query(`DELETE FROM person WHERE id = $1`, [p]);
        const linking = pgError(insertLinks([{ ws, personId: p }], a.client));
        await waitsOnLock(a.pid, linking);
        await b.client.query('COMMIT');
        const err = await linking;
        expect(err.code).toBe('23503');
        expect(err.constraint).toBe('fk_crm_link_person');
      } finally {
        a.client.release();
        b.client.release();
      }
      expect(await countLinks('person_id = $1', [p])).toBe(0);
      expect(await dangling()).toBe(0);
    });

    it('a link written before its statement’s check, while the person’s delete commits, fails and is not kept', async () => {
      const ws = await workspace();
      const p = await person(ws);
      const a = await backend();
      const gate = await backend();
      try {
        // The link row is written, then the statement blocks on an advisory lock before its end-of-statement check.
        await gate.client.query(`SELECT pg_advisory_lock(5301)`);
        const { sql, params } = linkValues([{ ws, personId: p }]);
        const linking = pgError(a.client.query(`WITH ins AS (${sql} RETURNING id) SELECT pg_advisory_xact_lock(5301) FROM ins`, params));
        await waitsOnLock(a.pid, linking);
        // The delete does not see the uncommitted link, so it neither waits nor removes it.
        await pool.query(`DELETE FROM person WHERE id = $1`, [p]);
        await gate.client.query(`SELECT pg_advisory_unlock(5301)`);
        const err = await linking;
        expect(err.code).toBe('23503');
        expect(err.constraint).toBe('fk_crm_link_person');
      } finally {
        a.client.release();
        gate.client.release();
      }
      expect(await countLinks('person_id = $1', [p])).toBe(0);
      expect(await dangling()).toBe(0);
    });
  });
});
