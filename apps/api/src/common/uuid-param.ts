import { NotFoundException, ParseUUIDPipe } from '@nestjs/common';

/** `:id` params that are not UUIDs cannot name a row: answer 404 like any other unknown id. */
export const UuidParam = new ParseUUIDPipe({ version: undefined, exceptionFactory: () => new NotFoundException('Not found') });
