import { type DataSource } from 'typeorm';
import { hashPassword } from '../auth/password.js';
import { Company } from '../companies/company.entity.js';
import { Person } from '../people/person.entity.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { DEMO_COMPANIES, DEMO_PASSWORD, DEMO_USERS, DEMO_WORKSPACE, demoPeople } from './demo-data.js';

export interface SeedResult {
  workspaceId: string;
  created: { workspaces: number; users: number; companies: number; people: number };
}

/** Idempotent: finds or creates each demo row by its natural key (workspace name, email, domain). */
export async function seedDemo(dataSource: DataSource): Promise<SeedResult> {
  return dataSource.transaction(async (tx) => {
    const created = { workspaces: 0, users: 0, companies: 0, people: 0 };
    let workspace = await tx.findOneBy(Workspace, { name: DEMO_WORKSPACE });
    if (!workspace) {
      workspace = await tx.save(tx.create(Workspace, { name: DEMO_WORKSPACE }));
      created.workspaces++;
    }
    const ws = workspace.id;

    const users: User[] = [];
    for (const u of DEMO_USERS) {
      let user = await tx.createQueryBuilder(User, 'u').where('u.workspace_id = :ws AND lower(u.email) = lower(:email)', { ws, email: u.email }).getOne();
      if (!user) {
        user = await tx.save(tx.create(User, { workspaceId: ws, name: u.name, email: u.email, role: u.role, passwordHash: await hashPassword(DEMO_PASSWORD) }));
        created.users++;
      }
      users.push(user);
    }

    const companyByDomain = new Map<string, Company>();
    for (const c of DEMO_COMPANIES) {
      let company = await tx.createQueryBuilder(Company, 'c').where('c.workspace_id = :ws AND lower(c.domain) = :domain', { ws, domain: c.domain }).getOne();
      if (!company) {
        company = await tx.save(tx.create(Company, { ...c, workspaceId: ws, website: `https://${c.domain}` }));
        created.companies++;
      }
      companyByDomain.set(c.domain, company);
    }

    for (const p of demoPeople()) {
      const exists = await tx.createQueryBuilder(Person, 'p').where('p.workspace_id = :ws AND lower(p.email) = lower(:email)', { ws, email: p.email }).getExists();
      if (exists) continue;
      const { companyDomain, assignee, ...fields } = p;
      await tx.save(
        tx.create(Person, {
          ...fields,
          workspaceId: ws,
          companyId: companyByDomain.get(companyDomain)?.id ?? null,
          assignedUserId: assignee === null ? null : (users[assignee]?.id ?? null),
        }),
      );
      created.people++;
    }
    return { workspaceId: ws, created };
  });
}
