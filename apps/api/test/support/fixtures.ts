import type { Role } from '@conduit/contracts';
import type { Server } from 'node:http';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/password.js';
import { User } from '../../src/users/user.entity.js';
import { Workspace } from '../../src/workspaces/workspace.entity.js';

export const PASSWORD = 'integration-pass-123';

export interface TestWorkspace {
  id: string;
  admin: User;
  member: User;
  /** Cookie header values of signed-in sessions. */
  adminCookie: string;
  memberCookie: string;
}

let counter = 0;

/** A workspace with one admin and one member, both signed in. */
export async function createWorkspace(server: Server, dataSource: DataSource, name: string): Promise<TestWorkspace> {
  const workspace = await dataSource.getRepository(Workspace).save({ name });
  const passwordHash = await hashPassword(PASSWORD);
  const tag = `${Date.now().toString(36)}${counter++}`;
  const mk = (role: Role) =>
    dataSource.getRepository(User).save({ workspaceId: workspace.id, name: `${name} ${role}`, email: `${role}-${tag}@${name.toLowerCase().replace(/\W/g, '')}.test`, role, passwordHash });
  const admin = await mk('admin');
  const member = await mk('member');
  return { id: workspace.id, admin, member, adminCookie: await login(server, admin.email), memberCookie: await login(server, member.email) };
}

export async function login(server: Server, email: string, password = PASSWORD): Promise<string> {
  const res = await request(server).post('/api/auth/login').send({ email, password }).expect(200);
  const setCookie = res.headers['set-cookie'] as unknown as string[] | undefined;
  const cookie = setCookie?.find((c) => c.startsWith('conduit_session='));
  if (!cookie) throw new Error('login set no session cookie');
  return cookie.split(';')[0]!;
}
