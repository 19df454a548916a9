import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { getAuth, isObject, queryParam, sendError } from './http.js';
import { makeId } from './ids.js';
import type { SalesforceOrg } from './org.js';
import { compileSoql, versionOf } from './rest.js';
import type { CompiledQuery } from './soql-eval.js';
import { runQuery } from './soql-eval.js';
import type { WriteContext, WriteResult } from './store.js';
import { asText, toSfDateTime, type SfRecord } from './values.js';

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';
type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

const DELIMITERS: Record<string, string> = { COMMA: ',', TAB: '\t', PIPE: '|', SEMICOLON: ';', CARET: '^', BACKQUOTE: '`' };

interface JobCommon {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: number;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  errorMessage?: string;
  numberRecordsProcessed: number;
  startedAt: number;
  finishedAt: number;
}

export interface IngestJob extends JobCommon {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName?: string;
  uploads: string[];
  numberRecordsFailed: number;
  columns: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

export interface QueryJob extends JobCommon {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  compiled: CompiledQuery;
  rows: SfRecord[];
}

export type BulkJob = IngestJob | QueryJob;

let jobCounter = 0;

function jobInfo(job: BulkJob): Record<string, unknown> {
  const common = {
    id: job.id, operation: job.operation, object: job.object, createdById: job.createdById, createdDate: job.createdDate,
    systemModstamp: job.systemModstamp, state: job.state, concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: job.apiVersion,
    lineEnding: job.lineEnding, columnDelimiter: job.columnDelimiter, ...(job.errorMessage !== undefined ? { errorMessage: job.errorMessage } : {}),
  };
  if (job.kind === 'query') {
    return { ...common, jobType: 'V2Query', numberRecordsProcessed: job.numberRecordsProcessed, retries: 0, totalProcessingTime: job.finishedAt - job.startedAt };
  }
  const ms = Math.max(0, job.finishedAt - job.startedAt);
  return {
    ...common, ...(job.externalIdFieldName !== undefined ? { externalIdFieldName: job.externalIdFieldName } : {}), jobType: 'V2Ingest',
    contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`, numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed, retries: 0, totalProcessingTime: ms, apiActiveProcessingTime: ms, apexProcessingTime: 0,
  };
}

function csvCell(value: unknown): string {
  return asText(value);
}

/**
 * How long a Bulk 2.0 job of `rows` rows stays queued (UploadComplete) and then InProgress under the latency profile
 * (realistic: ≈ 1 s queued + 1 s + 1 s per 100,000 rows in progress). `bulkProcessingDelayMs` adds to the queue time.
 */
export function bulkJobTiming(org: SalesforceOrg, rows: number): { queuedMs: number; processingMs: number } {
  const spec = org.latency.profile.bulk;
  return { queuedMs: spec.queuedMs + org.config.bulkProcessingDelayMs, processingMs: spec.processingMs + (spec.msPer100kRows * rows) / 100_000 };
}

/** Rows in the uploaded CSV (lines after each upload's header), for the job's timing. */
function uploadedRows(job: IngestJob): number {
  let rows = 0;
  for (const upload of job.uploads) {
    let lines = 0;
    for (let i = upload.indexOf('\n'); i !== -1; i = upload.indexOf('\n', i + 1)) lines += 1;
    if (!upload.endsWith('\n')) lines += 1;
    rows += Math.max(0, lines - 1);
  }
  return rows;
}

function later(ms: number, fn: () => void): void {
  if (ms <= 0) {
    fn();
    return;
  }
  setTimeout(fn, ms).unref();
}

/**
 * Process an uploaded ingest job row by row through the same write path as REST. The rows are written when the job
 * starts (InProgress); it reports JobComplete once its processing time has passed.
 */
function processIngest(org: SalesforceOrg, job: IngestJob, processingMs: number): void {
  if (job.state !== 'UploadComplete') return; // aborted while queued
  const store = org.store;
  const def = store.resolveType(job.object);
  job.state = 'InProgress';
  job.startedAt = Date.now();
  const finish = (state: JobState): void => {
    const done = (): void => {
      job.state = state;
      job.finishedAt = Date.now();
      job.systemModstamp = toSfDateTime(job.finishedAt);
    };
    if (state === 'JobComplete') later(processingMs, done);
    else done();
  };
  if (def === undefined) return finish('Failed');
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const ctx: WriteContext = { userId: job.createdById, source: 'csv' };
  for (const upload of job.uploads) {
    let rows: string[][];
    try {
      const parsed: string[][] = parse(upload, { delimiter, bom: true, skip_empty_lines: true, relax_quotes: false });
      rows = parsed;
    } catch (err) {
      job.errorMessage = `InvalidBatch : Failed to parse CSV: ${(err as Error).message}`;
      return finish('Failed');
    }
    const [header, ...data] = rows;
    if (header === undefined) continue;
    for (const column of header) {
      if (!def.byLowerName.has(column.toLowerCase())) {
        job.errorMessage = `InvalidBatch : Field name not found : ${column}`;
        return finish('Failed');
      }
    }
    if (job.columns.length === 0) job.columns = header;
    for (const cells of data) {
      const record: Record<string, unknown> = {};
      header.forEach((column, i) => {
        record[column] = cells[i] ?? '';
      });
      const idCell = Object.entries(record).find(([k]) => k.toLowerCase() === 'id')?.[1];
      const id = typeof idCell === 'string' ? idCell : '';
      let result: WriteResult;
      switch (job.operation) {
        case 'insert':
          result = store.create(def.name, record, ctx);
          break;
        case 'update': {
          const rest = Object.fromEntries(Object.entries(record).filter(([k]) => k.toLowerCase() !== 'id'));
          result = id === ''
            ? { ok: false, status: 400, errors: [{ statusCode: 'MISSING_ARGUMENT', message: 'Id not specified in an update call', fields: [] }] }
            : store.update(def.name, id, rest, ctx);
          break;
        }
        case 'upsert': {
          const ext = job.externalIdFieldName ?? 'Id';
          const value = Object.entries(record).find(([k]) => k.toLowerCase() === ext.toLowerCase())?.[1];
          if (typeof value !== 'string' || value === '') {
            result = ext.toLowerCase() === 'id'
              ? store.create(def.name, Object.fromEntries(Object.entries(record).filter(([k]) => k.toLowerCase() !== 'id')), ctx)
              : { ok: false, status: 400, errors: [{ statusCode: 'MISSING_ARGUMENT', message: `${ext} not specified`, fields: [ext] }] };
          } else {
            const r = store.upsert(def.name, ext, value, record, ctx);
            result = 'multiple' in r
              ? { ok: false, status: 300, errors: [{ statusCode: 'DUPLICATE_EXTERNAL_ID', message: `${ext}: more than one record found for external id field: [${r.multiple.join(', ')}]`, fields: [ext] }] }
              : r;
          }
          break;
        }
        case 'delete':
        case 'hardDelete':
          result = store.delete(def.name, id, ctx);
          break;
      }
      const values = header.map((_, i) => cells[i] ?? '');
      job.numberRecordsProcessed += 1;
      if (result.ok) {
        job.successful.push([result.id, String(result.created), ...values]);
      } else {
        job.numberRecordsFailed += 1;
        const error = result.errors.map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`).join(' ');
        job.failed.push([id, error, ...values]);
      }
    }
  }
  finish('JobComplete');
}

function sendCsv(reply: FastifyReply, header: string[], rows: string[][], delimiter: string, lineEnding: 'LF' | 'CRLF'): FastifyReply {
  const body = stringify([header, ...rows], { delimiter, record_delimiter: lineEnding === 'CRLF' ? 'windows' : 'unix', quoted: true, quoted_empty: false });
  return reply.code(200).type('text/csv').send(body);
}

export function registerBulkRoutes(app: FastifyInstance, org: SalesforceOrg): void {
  const base = '/services/data/:version/jobs';

  const findJob = (request: FastifyRequest, reply: FastifyReply, kind: BulkJob['kind']): BulkJob | undefined => {
    const id = (request.params as Record<string, string>)['id'] ?? '';
    const job = org.bulkJobs.get(id);
    if (job === undefined || job.kind !== kind) {
      void sendError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
      return undefined;
    }
    return job;
  };

  const common = (request: FastifyRequest, object: string, body: Record<string, unknown>): Omit<JobCommon, 'state'> => {
    const now = Date.now();
    jobCounter += 1;
    const delimiter = typeof body['columnDelimiter'] === 'string' && body['columnDelimiter'] in DELIMITERS ? body['columnDelimiter'] : 'COMMA';
    return {
      id: makeId('750', jobCounter), object, createdById: getAuth(request).userId, createdDate: toSfDateTime(now), systemModstamp: toSfDateTime(now),
      apiVersion: Number(versionOf(request)), lineEnding: body['lineEnding'] === 'CRLF' ? 'CRLF' : 'LF', columnDelimiter: delimiter,
      numberRecordsProcessed: 0, startedAt: now, finishedAt: now,
    };
  };

  // ---- ingest ----
  app.post(`${base}/ingest`, async (request, reply) => {
    const body = isObject(request.body) ? request.body : {};
    const def = typeof body['object'] === 'string' ? org.store.resolveType(body['object']) : undefined;
    if (def === undefined) return sendError(reply, 400, 'INVALIDJOB', `Unable to find object: ${asText(body['object'])}`);
    const operation = body['operation'];
    if (operation !== 'insert' && operation !== 'update' && operation !== 'upsert' && operation !== 'delete' && operation !== 'hardDelete') {
      return sendError(reply, 400, 'INVALIDJOB', `Invalid operation: ${String(operation)}`);
    }
    const ext = typeof body['externalIdFieldName'] === 'string' ? body['externalIdFieldName'] : undefined;
    if (operation === 'upsert') {
      const field = ext === undefined ? undefined : def.byLowerName.get(ext.toLowerCase());
      if (field === undefined || !(field.externalId || field.type === 'id')) {
        return sendError(reply, 400, 'INVALIDJOB', `InvalidJob : External ID was blank for ${def.name}. An External ID must be specified for upsert.`);
      }
    }
    const job: IngestJob = {
      ...common(request, def.name, body), kind: 'ingest', state: 'Open', operation, ...(ext !== undefined ? { externalIdFieldName: ext } : {}),
      uploads: [], numberRecordsFailed: 0, columns: [], successful: [], failed: [], unprocessed: [],
    };
    org.bulkJobs.set(job.id, job);
    return jobInfo(job);
  });

  app.get(`${base}/ingest`, async () => ({
    done: true, records: [...org.bulkJobs.values()].filter((j) => j.kind === 'ingest').map(jobInfo), nextRecordsUrl: null,
  }));

  app.get(`${base}/ingest/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'ingest');
    return job === undefined ? reply : jobInfo(job);
  });

  app.put(`${base}/ingest/:id/batches`, async (request, reply) => {
    const job = findJob(request, reply, 'ingest');
    if (job === undefined || job.kind !== 'ingest') return reply;
    if (job.state !== 'Open') return sendError(reply, 400, 'INVALIDJOBSTATE', `Found Job State : ${job.state}. Data can only be uploaded to a job in the Open state.`);
    const body = typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    if (body.trim() === '') return sendError(reply, 400, 'INVALIDBATCH', 'InvalidBatch : The CSV data is empty');
    job.uploads.push(body);
    return reply.code(201).send();
  });

  app.patch(`${base}/ingest/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'ingest');
    if (job === undefined || job.kind !== 'ingest') return reply;
    const state = isObject(request.body) ? request.body['state'] : undefined;
    if (state === 'UploadComplete' && job.state === 'Open') {
      job.state = 'UploadComplete';
      const { queuedMs, processingMs } = bulkJobTiming(org, uploadedRows(job));
      const info = jobInfo(job);
      // Always on a timer, even at 0 ms: the answer reports UploadComplete, as Salesforce's does.
      setTimeout(() => processIngest(org, job, processingMs), queuedMs).unref();
      return info;
    }
    if (state === 'Aborted' && (job.state === 'Open' || job.state === 'UploadComplete')) {
      job.state = 'Aborted';
      return jobInfo(job);
    }
    return sendError(reply, 400, 'INVALIDJOBSTATE', `Cannot change job state from ${job.state} to ${String(state)}`);
  });

  app.delete(`${base}/ingest/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'ingest');
    if (job === undefined) return reply;
    org.bulkJobs.delete(job.id);
    return reply.code(204).send();
  });

  const results = (which: 'successfulResults' | 'failedResults' | 'unprocessedrecords') => async (request: FastifyRequest, reply: FastifyReply) => {
    const job = findJob(request, reply, 'ingest');
    if (job === undefined || job.kind !== 'ingest') return reply;
    const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
    switch (which) {
      case 'successfulResults':
        return sendCsv(reply, ['sf__Id', 'sf__Created', ...job.columns], job.successful, delimiter, job.lineEnding);
      case 'failedResults':
        return sendCsv(reply, ['sf__Id', 'sf__Error', ...job.columns], job.failed, delimiter, job.lineEnding);
      case 'unprocessedrecords': {
        if (job.state === 'Aborted' || job.state === 'Failed') {
          const unprocessed: string[][] = [];
          let header: string[] = [];
          for (const upload of job.uploads) {
            const parsed: string[][] = parse(upload, { delimiter, bom: true, skip_empty_lines: true });
            const [h, ...rows] = parsed;
            if (h !== undefined) header = h;
            unprocessed.push(...rows);
          }
          return sendCsv(reply, header, unprocessed.slice(job.numberRecordsProcessed), delimiter, job.lineEnding);
        }
        return sendCsv(reply, job.columns, job.unprocessed, delimiter, job.lineEnding);
      }
    }
  };
  app.get(`${base}/ingest/:id/successfulResults`, results('successfulResults'));
  app.get(`${base}/ingest/:id/failedResults`, results('failedResults'));
  app.get(`${base}/ingest/:id/unprocessedrecords`, results('unprocessedrecords'));

  // ---- query ----
  app.post(`${base}/query`, async (request, reply) => {
    const body = isObject(request.body) ? request.body : {};
    const operation = body['operation'] === 'queryAll' ? 'queryAll' : 'query';
    const text = typeof body['query'] === 'string' ? body['query'] : '';
    if (text.trim() === '') return sendError(reply, 400, 'INVALIDJOB', 'InvalidJob : query is required');
    const compiled = compileSoql(org, text);
    if ('error' in compiled) return sendError(reply, 400, compiled.error.errorCode, compiled.error.message);
    if (compiled.countOnly || compiled.aggregate !== undefined) return sendError(reply, 400, 'API_ERROR', 'Aggregate queries are not supported by Bulk API 2.0 query');
    const rows = runQuery(compiled, org.store.rows(compiled.def.name), operation === 'queryAll').rows;
    const job: QueryJob = {
      ...common(request, compiled.def.name, body), kind: 'query', state: 'UploadComplete', operation, query: text, compiled, rows,
    };
    job.numberRecordsProcessed = rows.length;
    org.bulkJobs.set(job.id, job);
    const info = jobInfo(job);
    const { queuedMs, processingMs } = bulkJobTiming(org, rows.length);
    setTimeout(() => {
      if (job.state !== 'UploadComplete') return;
      job.state = 'InProgress';
      job.startedAt = Date.now();
      later(processingMs, () => {
        if (job.state !== 'InProgress') return;
        job.state = 'JobComplete';
        job.finishedAt = Date.now();
      });
    }, queuedMs).unref();
    return info;
  });

  app.get(`${base}/query`, async () => ({
    done: true, records: [...org.bulkJobs.values()].filter((j) => j.kind === 'query').map(jobInfo), nextRecordsUrl: null,
  }));

  app.get(`${base}/query/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'query');
    return job === undefined ? reply : jobInfo(job);
  });

  app.patch(`${base}/query/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'query');
    if (job === undefined) return reply;
    const state = isObject(request.body) ? request.body['state'] : undefined;
    if (state !== 'Aborted' || job.state === 'JobComplete') return sendError(reply, 400, 'INVALIDJOBSTATE', `Cannot change job state from ${job.state} to ${String(state)}`);
    job.state = 'Aborted';
    return jobInfo(job);
  });

  app.delete(`${base}/query/:id`, async (request, reply) => {
    const job = findJob(request, reply, 'query');
    if (job === undefined) return reply;
    org.bulkJobs.delete(job.id);
    return reply.code(204).send();
  });

  app.get(`${base}/query/:id/results`, async (request, reply) => {
    const job = findJob(request, reply, 'query');
    if (job === undefined || job.kind !== 'query') return reply;
    if (job.state !== 'JobComplete') return sendError(reply, 400, 'INVALIDJOBSTATE', `Job is in state ${job.state}; results are available once it is JobComplete`);
    const locator = queryParam(request, 'locator');
    let start = 0;
    if (locator !== undefined && locator !== '') {
      start = Number(Buffer.from(locator, 'base64').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) return sendError(reply, 400, 'INVALIDLOCATOR', `Invalid locator: ${locator}`);
    }
    const maxRaw = queryParam(request, 'maxRecords');
    const pageSize = maxRaw !== undefined && Number(maxRaw) > 0 ? Number(maxRaw) : org.config.bulkQueryPageSize;
    const end = Math.min(job.rows.length, start + pageSize);
    const cols = job.compiled.columns;
    const out: string[][] = [];
    for (let i = start; i < end; i++) {
      const row = job.rows[i] as SfRecord;
      out.push(cols.map((c) => csvCell(c.get(row))));
    }
    const next = end < job.rows.length ? Buffer.from(String(end)).toString('base64').replace(/=+$/, '') : 'null';
    void reply.header('Sforce-Locator', next).header('Sforce-NumberOfRecords', String(out.length));
    return sendCsv(reply, cols.map((c) => c.path), out, DELIMITERS[job.columnDelimiter] ?? ',', job.lineEnding);
  });
}
