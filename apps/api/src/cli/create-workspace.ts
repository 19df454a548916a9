import 'reflect-metadata';
import { loadConfigOrExit } from '../config/app-config.js';
import { createWorkspaceCommand } from './create-workspace-command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.exitCode = await createWorkspaceCommand(process.argv.slice(2), loadConfigOrExit(), {
  readStdin,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
