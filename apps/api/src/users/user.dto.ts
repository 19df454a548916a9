import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type CreateUserBody, type Role, ROLES, type UserDto } from '@conduit/contracts';
import { IsEmail, IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { User } from './user.entity.js';

export class UserResponse implements UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class WorkspaceResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SessionResponse {
  @ApiProperty({ type: UserResponse }) user: UserResponse;
  @ApiProperty({ type: WorkspaceResponse }) workspace: WorkspaceResponse;
}

/** Never includes the password hash. */
export function toUserDto(user: User): UserDto {
  return { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt.toISOString() };
}

export class CreateUserDto implements CreateUserBody {
  @ApiProperty({ example: 'Dana Scully' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'dana@acme.test' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ minLength: 8, format: 'password' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;
}

/** PATCH body: each field may be left out, none may be null. */
export class UpdateUserDto implements Partial<CreateUserBody> {
  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsEmail() @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ enum: ROLES }) @ValidateIf((_o, v) => v !== undefined) @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ minLength: 8, format: 'password' }) @ValidateIf((_o, v) => v !== undefined) @IsString() @MinLength(8) @MaxLength(200)
  password?: string;
}

