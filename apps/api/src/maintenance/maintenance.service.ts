import { Injectable, NotFoundException } from '@nestjs/common';
import type { WorkspaceCountsDto } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { Company } from '../companies/company.entity.js';
import { Person } from '../people/person.entity.js';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';

@Injectable()
export class MaintenanceService {
  constructor(private readonly dataSource: DataSource) {}

  /** Read-only, so running it twice for the same job is harmless. */
  async recountWorkspace(workspaceId: string): Promise<WorkspaceCountsDto> {
    const m = this.dataSource.manager;
    if (!(await m.existsBy(Workspace, { id: workspaceId }))) throw new NotFoundException(`Workspace ${workspaceId} not found`);
    const [people, companies, users, states] = await Promise.all([
      m.countBy(Person, { workspaceId }),
      m.countBy(Company, { workspaceId }),
      m.countBy(User, { workspaceId }),
      m
        .createQueryBuilder(Person, 'p')
        .select('p.engagement_state', 'state')
        .addSelect('count(*)::int', 'count')
        .where('p.workspace_id = :workspaceId', { workspaceId })
        .groupBy('p.engagement_state')
        .getRawMany<{ state: string; count: number }>(),
    ]);
    return { people, companies, users, peopleByEngagementState: Object.fromEntries(states.map((s) => [s.state, s.count])) };
  }
}
