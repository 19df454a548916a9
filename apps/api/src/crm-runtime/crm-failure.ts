import { type CrmError, crmLabel } from '@conduit/crm';

/**
 * A CRM failure in the words of the person who pushed: which CRM, what it answered (its status and its own message),
 * e.g. "HubSpot answered 500: Internal error" or "Salesforce did not answer within 4 s".
 */
export function describeCrmFailure(e: CrmError): string {
  const crm = crmLabel(e.crm);
  const own = e.message.trim();
  switch (e.details.kind) {
    case 'transient':
      // The adapter's own words here are about sockets ("HubSpot unreachable (timeout)"): say what it means.
      if (e.details.cause === 'timeout') return `${crm} did not answer in time`;
      if (e.details.cause === 'connection') return `${crm} could not be reached (the connection failed or was dropped)`;
      if (own.startsWith(crm)) return own;
      return e.status === undefined ? `${crm} failed: ${own}` : `${crm} answered ${e.status}: ${own}`;
    case 'rate_limited':
      return `${crm} is rate limiting Conduit's calls (${own}); it accepts more in ${Math.max(1, Math.ceil(e.details.retryAfterMs / 1000))} s`;
    case 'auth_expired':
    case 'auth_revoked':
      return `${crm} refused Conduit's access (${own}): reconnect ${crm} under Settings → Integrations`;
    case 'permission_denied':
      return `${crm} refused the write for lack of permission: ${own}`;
    case 'validation':
    case 'duplicate':
    case 'not_found':
      return `${crm} refused the record: ${own}`;
  }
}
