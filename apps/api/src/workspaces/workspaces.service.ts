import { ConflictException, Injectable } from '@nestjs/common';
import type { UserDto } from '@conduit/contracts';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword } from '../auth/password.js';
import { toUserDto } from '../users/user.dto.js';
import { User } from '../users/user.entity.js';
import type { CreateWorkspaceDto } from './dto.js';
import { Workspace } from './workspace.entity.js';

export interface CreatedWorkspace {
  workspace: { id: string; name: string };
  admin: UserDto;
  initialPassword?: string;
}

/** 18 random bytes as base64url: 24 characters, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Creates a workspace with its first admin, for the instance's operators (CLI and operator API; workspace users
 * cannot). The operator may see every account, so a taken email is a plain 409 naming `adminEmail`.
 */
export async function createWorkspaceWithAdmin(dataSource: DataSource, body: CreateWorkspaceDto): Promise<CreatedWorkspace> {
  const email = body.adminEmail.trim();
  const password = body.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return dataSource.transaction(async (tx) => {
    // Two operators creating workspaces for the same email at once: the second waits and sees the first.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('conduit:user-email:' || lower($1)))`, [email]);
    const taken = await tx.createQueryBuilder(User, 'u').where('lower(u.email) = lower(:email)', { email }).getExists();
    if (taken) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `${email} already has an account on this instance`,
        errors: [{ field: 'adminEmail', messages: ['adminEmail already has an account on this instance; choose another email'] }],
      });
    }
    const workspace = await tx.save(tx.create(Workspace, { name: body.name.trim() }));
    const admin = await tx.save(tx.create(User, { workspaceId: workspace.id, name: body.adminName.trim(), email, role: 'admin', passwordHash }));
    return {
      workspace: { id: workspace.id, name: workspace.name },
      admin: toUserDto(admin),
      ...(body.adminPassword === undefined ? { initialPassword: password } : {}),
    };
  });
}

@Injectable()
export class WorkspacesService {
  constructor(private readonly dataSource: DataSource) {}

  create(body: CreateWorkspaceDto): Promise<CreatedWorkspace> {
    return createWorkspaceWithAdmin(this.dataSource, body);
  }
}
