import type { ApiKeyDto, CreateApiKeyBody, CreatedApiKeyDto, CreateUserBody, UpdateUserBody, UserDto } from '@conduit/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export const teamKeys = { members: ['team'] as const, apiKeys: ['api-keys'] as const };

export function useTeam() {
  return useQuery({ queryKey: teamKeys.members, queryFn: ({ signal }) => api.get<UserDto[]>('/team', undefined, signal) });
}

export function useCreateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<UserDto>('/team', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.members }),
  });
}

export function useUpdateMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) =>
      api.patch<UserDto>(`/team/${encodeURIComponent(id)}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.members }),
  });
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/team/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.members }),
  });
}

export function useApiKeys(enabled: boolean) {
  return useQuery({
    queryKey: teamKeys.apiKeys,
    queryFn: ({ signal }) => api.get<ApiKeyDto[]>('/api-keys', undefined, signal),
    enabled,
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) => api.post<CreatedApiKeyDto>('/api-keys', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamKeys.apiKeys }),
  });
}
