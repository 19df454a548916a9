import { InitialSchema1763798400000 } from './1763798400000-initial-schema.js';
import { CrmConnections1763900000000 } from './1763900000000-crm-connections.js';
import { SyncEngine1764000000000 } from './1764000000000-sync-engine.js';
import { CrmExport1764100000000 } from './1764100000000-crm-export.js';
import { CampaignsListsDnc1764200000000 } from './1764200000000-campaigns-lists-dnc.js';
import { Activities1764300000000 } from './1764300000000-activities.js';
import { Workflows1764600000000 } from './1764600000000-workflows.js';
import { SyncConnectionKeys1764500000000 } from './1764500000000-sync-connection-keys.js';
import { ListSyncRuns1764700000000 } from './1764700000000-list-sync-runs.js';
import { SyncRelatedObjects1764720000000 } from './1764720000000-sync-related-objects.js';
import { WorkflowPausedCrm1764800000000 } from './1764800000000-workflow-paused-crm.js';
import { ProvenanceSets1764900000000 } from './1764900000000-provenance-sets.js';
import { EngagementDetails1765000000000 } from './1765000000000-engagement-details.js';
import { CompanyCustomAttributes1765100000000 } from './1765100000000-company-custom-attributes.js';
import { CrmLinkLean1765200000000 } from './1765200000000-crm-link-lean.js';
import { CrmLinkSetBasedKeys1765300000000 } from './1765300000000-crm-link-set-based-keys.js';
import { PersonPartialIndexes1765400000000 } from './1765400000000-person-partial-indexes.js';
import { Consent1765560000000 } from './1765560000000-consent.js';
import { UserEmailPerWorkspace1765580000000 } from './1765580000000-user-email-per-workspace.js';
import { Erasure1765620000000 } from './1765620000000-erasure.js';
import { SalesforceExportObject1765719000000 } from './1765719000000-salesforce-export-object.js';
import { ApiBudget1765800000000 } from './1765800000000-api-budget.js';
import { WorkflowsClosedLoop1765810000000 } from './1765810000000-workflows-closed-loop.js';
import { SourceOfTruth1765900000000 } from './1765900000000-source-of-truth.js';
import { CrmConnectionHealth1765910000000 } from './1765910000000-crm-connection-health.js';
import { ApiBudgetOverride1765920000000 } from './1765920000000-api-budget-override.js';

/** Every migration, in order. Add new classes here: the CLI, the app and the tests all read this list. */
export const MIGRATIONS = [InitialSchema1763798400000, CrmConnections1763900000000, SyncEngine1764000000000, CrmExport1764100000000, CampaignsListsDnc1764200000000, Activities1764300000000, SyncConnectionKeys1764500000000, Workflows1764600000000, ListSyncRuns1764700000000, SyncRelatedObjects1764720000000, WorkflowPausedCrm1764800000000, ProvenanceSets1764900000000, EngagementDetails1765000000000, CompanyCustomAttributes1765100000000, CrmLinkLean1765200000000, CrmLinkSetBasedKeys1765300000000, PersonPartialIndexes1765400000000, Consent1765560000000, UserEmailPerWorkspace1765580000000, Erasure1765620000000, SalesforceExportObject1765719000000, ApiBudget1765800000000, WorkflowsClosedLoop1765810000000, SourceOfTruth1765900000000, CrmConnectionHealth1765910000000, ApiBudgetOverride1765920000000];
