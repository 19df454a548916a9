export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export interface UserDto {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface WorkspaceDto {
  id: string;
  name: string;
}

export interface LoginBody {
  email: string;
  password: string;
}

/** Answer of POST /api/auth/login and GET /api/auth/me. The session travels in an httpOnly cookie. */
export interface SessionDto {
  user: UserDto;
  workspace: WorkspaceDto;
}

export interface CreateUserBody {
  name: string;
  email: string;
  role: Role;
  password: string;
}

export interface ApiKeyDto {
  id: string;
  name: string;
  /** First characters of the key, to recognise it; the key itself is shown only once. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKeyDto extends ApiKeyDto {
  /** The secret, returned once at creation and stored only as a hash. */
  key: string;
}

/** Body of PATCH /api/team/:id: every field optional; a new password signs the user out everywhere. */
export type UpdateUserBody = Partial<CreateUserBody>;

export interface CreateApiKeyBody {
  name: string;
}
