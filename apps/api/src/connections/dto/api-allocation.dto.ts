import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

const between = (field: string, min: number, max: number) => ({ message: `${field} must be between ${min} and ${max}` });

/** PUT /connections/:id/api-allocation: any subset of the allocation (#17). */
export class UpdateApiAllocationDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: "Share of the CRM's daily API limit Conduit may use, in percent (default 50)" })
  @IsOptional() @IsInt(between('dailyShare', 1, 100)) @Min(1, between('dailyShare', 1, 100)) @Max(100, between('dailyShare', 1, 100))
  dailyShare?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: "Share of HubSpot's 10-second window Conduit paces itself to, in percent (default 95; Salesforce has no such window)" })
  @IsOptional() @IsInt(between('windowShare', 1, 100)) @Min(1, between('windowShare', 1, 100)) @Max(100, between('windowShare', 1, 100))
  windowShare?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 90, description: 'Part of the daily allocation kept for live work (activity logging, single pushes, workflows), in percent of the allocation (default 10)' })
  @IsOptional() @IsInt(between('liveReserveShare', 0, 90)) @Min(0, between('liveReserveShare', 0, 90)) @Max(90, between('liveReserveShare', 0, 90))
  liveReserveShare?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 1_000_000_000,
    description: "The account's daily API limit, for CRMs that do not report it (HubSpot sends no daily figures to OAuth apps); null: use what the CRM reports",
  })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt(between('accountDailyLimit', 1, 1_000_000_000)) @Min(1, between('accountDailyLimit', 1, 1_000_000_000)) @Max(1_000_000_000, between('accountDailyLimit', 1, 1_000_000_000))
  accountDailyLimit?: number | null;
}
