import { BadGatewayException, ConflictException, ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import { crmLabel, isCrmError } from '@conduit/crm';

/** A CRM failure during a request, as an HTTP answer the admin can act on (never with tokens: CrmError messages carry none). */
export function crmHttpError(err: unknown): unknown {
  if (!isCrmError(err)) return err;
  const crm = crmLabel(err.crm);
  switch (err.details.kind) {
    case 'auth_revoked':
    case 'auth_expired':
      return new ConflictException(`${crm} access was revoked or expired: reconnect ${crm}`);
    case 'permission_denied':
      return new ForbiddenException(`${crm} refused: the connected user lacks a permission (${err.message})`);
    case 'rate_limited':
      return new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `${crm} rate limit reached; try again in ${Math.ceil(err.details.retryAfterMs / 1000)} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    case 'transient':
    case 'validation':
    case 'duplicate':
    case 'not_found':
      return new BadGatewayException(`${crm} answered with an error: ${err.message}`);
  }
}
