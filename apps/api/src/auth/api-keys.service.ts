import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ApiKeyDto, CreatedApiKeyDto } from '@conduit/contracts';
import { IsNull, type Repository } from 'typeorm';
import { ApiKey } from './api-key.entity.js';
import type { Caller } from './caller.js';
import { newApiKey } from './tokens.js';

function toDto(k: ApiKey): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /** The only moment the key exists in clear: it is returned once and stored as a SHA-256 hash. */
  async create(caller: Caller, name: string): Promise<CreatedApiKeyDto> {
    const { key, prefix, hash } = newApiKey();
    const saved = await this.keys.save(
      this.keys.create({ workspaceId: caller.workspaceId, name: name.trim(), prefix, keyHash: hash, createdByUserId: caller.userId }),
    );
    return { ...toDto(saved), key };
  }

  async list(caller: Caller): Promise<ApiKeyDto[]> {
    const keys = await this.keys.find({ where: { workspaceId: caller.workspaceId }, order: { createdAt: 'DESC' } });
    return keys.map(toDto);
  }

  async revoke(caller: Caller, id: string): Promise<void> {
    const result = await this.keys.update({ id, workspaceId: caller.workspaceId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) {
      const exists = await this.keys.existsBy({ id, workspaceId: caller.workspaceId });
      if (!exists) throw new NotFoundException('API key not found');
    }
  }
}
