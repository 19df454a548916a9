import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';

export const CONSENT_EVENT_TYPES = ['unsubscribe', 'hard_bounce', 'spam_complaint'] as const;
export type ConsentEventType = (typeof CONSENT_EVENT_TYPES)[number];

/** What the outbound engine reports: the person by id or email, once per idempotency key. */
export class ConsentEventDto {
  @ApiProperty({ description: 'Unique per event in the workspace; a repeat answers the first report and changes nothing' })
  @IsString() @Length(1, 200)
  idempotencyKey!: string;

  @ApiProperty({ enum: CONSENT_EVENT_TYPES })
  @IsIn(CONSENT_EVENT_TYPES)
  type!: ConsentEventType;

  @ApiPropertyOptional({ description: 'The person (or give email)' })
  @ValidateIf((o: ConsentEventDto) => o.email === undefined)
  @IsUUID('all', { message: 'personId or email is required (personId must be a UUID)' })
  personId?: string;

  @ApiPropertyOptional({ description: 'The address the event is about (or give personId)' })
  @ValidateIf((o: ConsentEventDto) => o.personId === undefined || o.email !== undefined)
  @IsEmail({}, { message: 'email must be an email address (or give personId)' })
  @Length(3, 320)
  email?: string;

  @ApiPropertyOptional({ description: 'When it happened (ISO 8601); default now' })
  @IsOptional() @IsISO8601({ strict: true })
  occurredAt?: string;

  @ApiPropertyOptional({ description: 'The bounce answer or the unsubscribe reason, as the sender saw it' })
  @IsOptional() @IsString() @Length(1, 1000)
  reason?: string;
}
