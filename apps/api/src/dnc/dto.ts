import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

/** A bare domain (`example.com`); a scheme, `www.` or `@` in front is accepted and stripped. */
const DOMAIN = /^(?:[a-z]+:\/\/)?@?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\/?$/i;

export class UpdateDncSettingsBody {
  @ApiPropertyOptional({ description: 'People associated with an open deal are do-not-contact' })
  @IsOptional() @IsBoolean()
  openDeals?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Only open deals in these stages count (empty = every open stage)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(200, { each: true })
  openDealStages?: string[];

  @ApiPropertyOptional({ description: 'A company with a closed-won deal is a customer' })
  @IsOptional() @IsBoolean()
  closedWonCustomers?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'HubSpot company lifecycle stages that mean customer' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(200, { each: true })
  hubspotCustomerStages?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Salesforce Account Type values that mean customer' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MinLength(1, { each: true }) @MaxLength(200, { each: true })
  salesforceCustomerTypes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Email domains never contacted (replaces the list)' })
  @IsOptional() @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true }) @Matches(DOMAIN, { each: true, message: 'each value in domains must be a domain such as example.com' })
  domains?: string[];
}

export class DealsSyncBody {
  @ApiPropertyOptional({ description: 'One connection (default: every connected CRM)' })
  @IsOptional() @IsUUID()
  connectionId?: string;
}
