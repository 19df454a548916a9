import { ConflictException } from '@nestjs/common';
import type { FieldError } from '@conduit/contracts';
import { parseArgs } from 'node:util';
import { validateRow } from '../common/validate-row.js';
import type { AppConfig } from '../config/app-config.js';
import { createDataSource } from '../database/data-source.js';
import { CreateWorkspaceDto } from '../workspaces/dto.js';
import { createWorkspaceWithAdmin } from '../workspaces/workspaces.service.js';

export const USAGE = `Creates a workspace and its first admin (for the instance's operators).

  node apps/api/dist/cli/create-workspace.js --name <workspace> --admin-name <name> --admin-email <email> [--admin-password-stdin]

Without --admin-password-stdin a password is generated and printed once. Prints one JSON line:
{"workspace":{"id","name"},"admin":{...},"initialPassword"?}. Exit status 2: invalid arguments, 3: the email has an account.`;

const FLAG_OF: Record<string, string> = { name: '--name', adminName: '--admin-name', adminEmail: '--admin-email', adminPassword: '--admin-password-stdin' };

export interface CommandIo {
  readStdin: () => Promise<string>;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The create-workspace command without the process around it: returns the exit status. */
export async function createWorkspaceCommand(argv: string[], config: AppConfig, io: CommandIo): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        'admin-name': { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const input = {
    ...(args.name !== undefined ? { name: args.name } : {}),
    ...(args['admin-name'] !== undefined ? { adminName: args['admin-name'] } : {}),
    ...(args['admin-email'] !== undefined ? { adminEmail: args['admin-email'] } : {}),
    ...(args['admin-password-stdin'] ? { adminPassword: (await io.readStdin()).replace(/\r?\n$/, '') } : {}),
  };
  const { value, errors } = await validateRow(CreateWorkspaceDto, input);
  if (errors.length > 0) {
    io.err(`Invalid arguments:\n${describe(errors)}\n${USAGE}\n`);
    return 2;
  }
  const dataSource = createDataSource(config.databaseUrl);
  try {
    await dataSource.initialize();
    io.out(`${JSON.stringify(await createWorkspaceWithAdmin(dataSource, value))}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof ConflictException)) throw err;
    const body = err.getResponse() as { errors?: FieldError[] };
    io.err(`${describe(body.errors ?? [])}\n`);
    return 3;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

function describe(errors: FieldError[]): string {
  return errors.map((e) => `  ${FLAG_OF[e.field] ?? e.field}: ${e.messages.join('; ')}`).join('\n');
}
