import { Global, Module } from '@nestjs/common';
import { SuppressionService } from './suppression.service.js';

/**
 * The erasure suppression list, below the import and the people API (both refuse erased people) and above the
 * connections' token vault (which encrypts the per-workspace salt). Global: erasure writes to it, sync and people read it.
 */
@Global()
@Module({ providers: [SuppressionService], exports: [SuppressionService] })
export class SuppressionModule {}
