import type { Role } from '@conduit/contracts';

/**
 * Who is calling, resolved by the AuthGuard and passed explicitly into every service method.
 * Every query a service runs is scoped by `workspaceId`.
 */
export type Caller =
  | { kind: 'user'; workspaceId: string; userId: string; role: Role; sessionId: string }
  | { kind: 'api-key'; workspaceId: string; userId: null; role: 'member'; apiKeyId: string };
