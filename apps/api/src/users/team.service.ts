import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { CreateUserBody, UserDto } from '@conduit/contracts';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { hashPassword } from '../auth/password.js';
import { Session } from '../auth/session.entity.js';
import { toUserDto } from './user.dto.js';
import { User } from './user.entity.js';

@Injectable()
export class TeamService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly dataSource: DataSource,
  ) {}

  async list(caller: Caller): Promise<UserDto[]> {
    const users = await this.users.find({ where: { workspaceId: caller.workspaceId }, order: { createdAt: 'ASC' } });
    return users.map(toUserDto);
  }

  async create(caller: Caller, body: CreateUserBody): Promise<UserDto> {
    await this.assertEmailFree(caller, body.email);
    const user = this.users.create({
      workspaceId: caller.workspaceId,
      name: body.name.trim(),
      email: body.email.trim(),
      role: body.role,
      passwordHash: await hashPassword(body.password),
    });
    return toUserDto(await this.users.save(user).catch(emailTaken));
  }

  async update(caller: Caller, id: string, body: Partial<CreateUserBody>): Promise<UserDto> {
    return this.dataSource.transaction(async (tx) => {
      const user = await this.find(tx, caller, id);
      if (body.email !== undefined && body.email.toLowerCase() !== user.email.toLowerCase()) await this.assertEmailFree(caller, body.email, tx);
      if (body.role === 'member' && user.role === 'admin') await this.assertAnotherAdmin(tx, caller, user.id);
      if (body.name !== undefined) user.name = body.name.trim();
      if (body.email !== undefined) user.email = body.email.trim();
      if (body.role !== undefined) user.role = body.role;
      if (body.password !== undefined) {
        user.passwordHash = await hashPassword(body.password);
        // A new password signs the user out everywhere.
        await tx.delete(Session, { userId: user.id, workspaceId: caller.workspaceId });
      }
      return toUserDto(await tx.save(user).catch(emailTaken));
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const user = await this.find(tx, caller, id);
      if (user.id === caller.userId) throw new ConflictException('You cannot remove yourself');
      if (user.role === 'admin') await this.assertAnotherAdmin(tx, caller, user.id);
      await tx.delete(User, { id: user.id, workspaceId: caller.workspaceId });
    });
  }

  private async find(tx: EntityManager, caller: Caller, id: string): Promise<User> {
    const user = await tx.findOne(User, { where: { id, workspaceId: caller.workspaceId }, lock: { mode: 'pessimistic_write' } });
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  /**
   * Emails are unique within the workspace only (uq_app_user_workspace_email): an address with an account in another
   * workspace is added like any new one, so an admin learns nothing about other workspaces' users.
   */
  private async assertEmailFree(caller: Caller, email: string, tx?: EntityManager): Promise<void> {
    const exists = await (tx ?? this.dataSource.manager)
      .createQueryBuilder(User, 'u')
      .where('u.workspaceId = :ws AND lower(u.email) = lower(:email)', { ws: caller.workspaceId, email: email.trim() })
      .getExists();
    if (exists) throw emailInUse();
  }

  private async assertAnotherAdmin(tx: EntityManager, caller: Caller, exceptUserId: string): Promise<void> {
    const admins = await tx
      .createQueryBuilder(User, 'u')
      .where('u.workspaceId = :ws AND u.role = :role AND u.id <> :id', { ws: caller.workspaceId, role: 'admin', id: exceptUserId })
      .getCount();
    if (admins === 0) throw new ConflictException('A workspace needs at least one admin');
  }
}

function emailInUse(): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: 'Email already in use in this workspace', errors: [{ field: 'email', messages: ['email is already in use in this workspace'] }] });
}

/** Two admins adding the same email at once: the unique index decides, and the loser gets the same 409. */
function emailTaken(err: unknown): never {
  if ((err as { code?: string }).code === '23505') throw emailInUse();
  throw err;
}
