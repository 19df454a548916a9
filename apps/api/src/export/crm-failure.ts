import type { CrmError } from '@conduit/crm';
import { describeCrmFailure } from '../crm-runtime/crm-failure.js';
import type { Attention } from './export-context.js';

/** The Needs-attention entry of a push the CRM failed as a whole (not one record refused: that is attentionFromCrm). */
export function attentionFromFailure(e: CrmError): Attention {
  const code = e.details.kind === 'transient' ? (e.status === undefined ? `crm_${e.details.cause}` : `crm_http_${e.status}`) : (e.crmCode ?? e.details.kind);
  return { code, reason: describeCrmFailure(e), fields: [], source: 'crm' };
}
