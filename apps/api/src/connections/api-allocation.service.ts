import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiAllocationDto, UpdateApiAllocationBody } from '@conduit/contracts';
import type { Repository } from 'typeorm';
import { CrmConnection } from './connection.entity.js';

export function toAllocationDto(c: Pick<CrmConnection, 'apiDailyShare' | 'apiWindowShare' | 'apiLiveReserveShare' | 'apiAccountDailyLimit' | 'apiAllocationUpdatedAt'>): ApiAllocationDto {
  return {
    dailyShare: c.apiDailyShare,
    windowShare: c.apiWindowShare,
    liveReserveShare: c.apiLiveReserveShare,
    accountDailyLimit: c.apiAccountDailyLimit,
    updatedAt: c.apiAllocationUpdatedAt?.toISOString() ?? null,
  };
}

/**
 * An admin's allocation of the CRM's API budget to Conduit, per connection (#17): columns of crm_connection, read by
 * the CRM runtime's ApiBudgetService, which every process re-reads within a few seconds of a change.
 */
@Injectable()
export class ApiAllocationService {
  constructor(@InjectRepository(CrmConnection) private readonly connections: Repository<CrmConnection>) {}

  async get(workspaceId: string, connectionId: string): Promise<ApiAllocationDto> {
    return toAllocationDto(await this.require(workspaceId, connectionId));
  }

  async update(workspaceId: string, connectionId: string, body: UpdateApiAllocationBody): Promise<ApiAllocationDto> {
    await this.require(workspaceId, connectionId);
    await this.connections.update(
      { id: connectionId, workspaceId },
      {
        ...(body.dailyShare === undefined ? {} : { apiDailyShare: body.dailyShare }),
        ...(body.windowShare === undefined ? {} : { apiWindowShare: body.windowShare }),
        ...(body.liveReserveShare === undefined ? {} : { apiLiveReserveShare: body.liveReserveShare }),
        ...(body.accountDailyLimit === undefined ? {} : { apiAccountDailyLimit: body.accountDailyLimit }),
        apiAllocationUpdatedAt: new Date(),
      },
    );
    return this.get(workspaceId, connectionId);
  }

  private async require(workspaceId: string, connectionId: string): Promise<CrmConnection> {
    const row = await this.connections.findOneBy({ id: connectionId, workspaceId });
    if (!row) throw new NotFoundException('Connection not found');
    return row;
  }
}
