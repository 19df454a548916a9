import { Injectable } from '@nestjs/common';
import type { ApiFeature } from '@conduit/contracts';

/** Related objects whose import belongs to another feature: deals (dnc) and list metadata (crm-lists). */
export type ForeignRelatedObject = 'deal' | 'list';

export interface RelatedImportResult {
  /** Rows stored for the object (deals, lists). */
  count: number;
  /** CRM calls the import made beyond the run's own adapter. */
  apiCalls: number;
}

/**
 * The backfill a related import runs for: its calls count under the run's feature, and an admin's "Resume now anyway"
 * (#17) lets them past the daily allocation like the run's own calls (until then).
 */
export interface RelatedImportRun {
  feature: ApiFeature;
  allocationOverrideUntil: Date | null;
}

/** How a feature imports one related object of a connection during a full backfill. */
export interface RelatedImporter {
  importFor(workspaceId: string, connectionId: string, run: RelatedImportRun): Promise<RelatedImportResult>;
}

/**
 * Where the features that own a related object register its importer (dnc: deals, crm-lists: list metadata), so a
 * backfill can run them without the sync feature importing those features (they import this one). Injected as
 * RELATED_IMPORTERS; an importer registers when its service is constructed, before any job runs.
 */
@Injectable()
export class RelatedImporters {
  private readonly importers = new Map<ForeignRelatedObject, RelatedImporter>();

  register(object: ForeignRelatedObject, importer: RelatedImporter): void {
    this.importers.set(object, importer);
  }

  get(object: ForeignRelatedObject): RelatedImporter {
    const importer = this.importers.get(object);
    if (!importer) throw new Error(`No importer is registered for related object '${object}' (is its feature module loaded?)`);
    return importer;
  }
}

export const RELATED_IMPORTERS = Symbol('RelatedImporters');
