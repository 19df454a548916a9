import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { UserResponse, WorkspaceResponse } from '../users/user.dto.js';

/** POST /api/operator/workspaces and `cli/create-workspace.js`: a new workspace and its first admin. */
export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Globex Sales', maxLength: 200 })
  @IsString() @MinLength(1) @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'Hank Scorpio' })
  @IsString() @MinLength(1) @MaxLength(200)
  adminName: string;

  @ApiProperty({ example: 'hank@globex.test', description: 'Must not have an account on this instance yet (409 otherwise)' })
  @IsEmail() @MaxLength(320)
  adminEmail: string;

  @ApiPropertyOptional({ minLength: 12, format: 'password', description: 'Initial password; left out, Conduit generates one and returns it once' })
  @IsOptional() @IsString() @MinLength(12) @MaxLength(200)
  adminPassword?: string;
}

export class CreatedWorkspaceResponse {
  @ApiProperty({ type: WorkspaceResponse }) workspace: WorkspaceResponse;
  @ApiProperty({ type: UserResponse }) admin: UserResponse;
  @ApiPropertyOptional({ description: 'The generated initial password, only when none was given: shown once, never stored in clear' })
  initialPassword?: string;
}
