import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Read a JSON state file; undefined when it does not exist yet. */
export async function loadJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `snapshot()` to `file` at most every `intervalMs` while `version()` changes
 * (atomic: temp file + rename). `flush()` writes now; `stop()` writes a last time.
 */
export class DebouncedJsonWriter {
  private timer: NodeJS.Timeout | undefined;
  private written: string | number | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly snapshot: () => unknown,
    /** Any value that changes whenever the state does (compared with !==). */
    private readonly version: () => string | number,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.written = this.version();
    this.timer = setInterval(() => {
      if (this.version() !== this.written) void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    const version = this.version();
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, JSON.stringify(this.snapshot()));
      await rename(tmp, this.file);
      this.written = version;
    });
    return this.writing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.version() !== this.written) await this.flush();
    await this.writing;
  }
}
