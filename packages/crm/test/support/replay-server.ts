import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects/arrays are sent as JSON; strings as is. */
  body?: unknown;
  contentType?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A tiny HTTP server answering with recorded CRM responses, in order, so unit tests can run the
 * real SDKs (ApiException, HttpApiError) against recorded error bodies without a sandbox.
 */
export class ReplayServer {
  readonly requests: RecordedRequest[] = [];
  private queue: ReplayResponse[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.queue.shift() ?? { status: 599, body: { message: 'replay queue empty' } };
        const isText = typeof next.body === 'string';
        const payload = next.body === undefined ? '' : isText ? (next.body as string) : JSON.stringify(next.body);
        res.writeHead(next.status, {
          'content-type': next.contentType ?? (isText ? 'text/plain' : 'application/json;charset=UTF-8'),
          ...(next.headers ?? {}),
        });
        res.end(next.status === 204 ? undefined : payload);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  reply(...responses: ReplayResponse[]): void {
    this.queue.push(...responses);
  }

  reset(): void {
    this.queue = [];
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export async function fixture<T = unknown>(url: URL): Promise<T> {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(url, 'utf8')) as T;
}
