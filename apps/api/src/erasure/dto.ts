import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsOptional, Length } from 'class-validator';

export class ErasePersonDto {
  @ApiPropertyOptional({ description: 'Also delete the contact in HubSpot (GDPR delete). Salesforce records are left to you.' })
  @IsOptional() @IsBoolean()
  deleteInHubspot?: boolean;
}

export class EraseEmailsDto extends ErasePersonDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 1000, description: 'Addresses to erase: people with them are erased, and every address is suppressed' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000)
  @IsEmail({}, { each: true, message: 'each value in emails must be an email address' })
  @Length(3, 320, { each: true })
  emails!: string[];
}
