import type { FastifyInstance } from 'fastify';
import { HubspotError } from '../errors.js';
import type { HubspotContext } from '../context.js';

const EPOCH = '2024-01-01T00:00:00.000Z';
/** Stage probabilities of HubSpot's default sales pipeline (closed won 1.0, closed lost 0.0). */
const PROBABILITY: Record<string, string> = {
  appointmentscheduled: '0.2', qualifiedtobuy: '0.4', presentationscheduled: '0.6', decisionmakerboughtin: '0.8', contractsent: '0.9', closedwon: '1.0', closedlost: '0.0',
};

/**
 * Pipelines API v3 for deals: one pipeline, "Sales Pipeline" (`default`), whose stages are the options of the
 * `dealstage` property (so a stage added to the property shows up here, as in HubSpot). The SDK's Pipeline model
 * requires id, label, displayOrder, stages, createdAt, updatedAt, archived; each stage the same plus metadata.
 */
export function registerPipelineRoutes(app: FastifyInstance, ctx: HubspotContext): void {
  const pipelines = () => {
    const stages = (ctx.store.propertyMap('deals').get('dealstage')?.options ?? []).filter((o) => !o.hidden);
    return [
      {
        id: 'default',
        label: 'Sales Pipeline',
        displayOrder: 0,
        archived: false,
        createdAt: EPOCH,
        updatedAt: EPOCH,
        stages: stages.map((o, i) => ({
          id: o.value,
          label: o.label,
          displayOrder: i,
          archived: false,
          createdAt: EPOCH,
          updatedAt: EPOCH,
          metadata: { isClosed: String(o.value === 'closedwon' || o.value === 'closedlost'), probability: PROBABILITY[o.value] ?? '0.5' },
          writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
        })),
      },
    ];
  };
  app.get<{ Params: { objectType: string } }>('/crm/v3/pipelines/:objectType', async (request) => {
    if (request.params.objectType !== 'deals' && request.params.objectType !== '0-3') throw new HubspotError(400, 'VALIDATION_ERROR', `Unable to find pipelines for object type ${request.params.objectType}`);
    return { results: pipelines() };
  });
  app.get<{ Params: { objectType: string; pipelineId: string } }>('/crm/v3/pipelines/:objectType/:pipelineId', async (request) => {
    const found = pipelines().find((p) => p.id === request.params.pipelineId);
    if (request.params.objectType !== 'deals' || !found) throw new HubspotError(404, 'OBJECT_NOT_FOUND', `Pipeline ${request.params.pipelineId} not found`);
    return found;
  });
}
