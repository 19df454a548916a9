import { ApiProperty } from '@nestjs/swagger';
import type { LoginBody } from '@conduit/contracts';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginBody {
  @ApiProperty({ example: 'admin@conduit.local' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'conduit-demo', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Outreach sync' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}
