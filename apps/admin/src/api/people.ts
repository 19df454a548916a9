import type { BulkResult, CreatePersonBody, Page, PeopleQuery, PersonDto, UpdatePersonBody } from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/**
 * A PATCH body: fields left out stay as they are, `null` clears a nullable field (the API's rule;
 * the shared UpdatePersonBody type does not say so yet).
 */
export type PersonPatch = { [K in keyof UpdatePersonBody]?: UpdatePersonBody[K] | null };

export const peopleKeys = {
  all: ['people'] as const,
  list: (query: PeopleQuery) => ['people', 'list', query] as const,
  detail: (id: string) => ['people', 'detail', id] as const,
};

export function usePeople(query: PeopleQuery) {
  return useQuery({
    queryKey: peopleKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<PersonDto>>('/people', { ...query }, signal),
    // Keep the previous page on screen while the next one loads (paging, typing in search).
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string) {
  return useQuery({
    queryKey: peopleKeys.detail(id),
    queryFn: ({ signal }) => api.get<PersonDto>(`/people/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePersonBody) => api.post<PersonDto>('/people', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.all }),
  });
}

export function useUpdatePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PersonPatch }) => api.patch<PersonDto>(`/people/${encodeURIComponent(id)}`, body),
    onSuccess: (person) => {
      queryClient.setQueryData(peopleKeys.detail(person.id), person);
      return queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

export function useDeletePerson() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/people/${encodeURIComponent(id)}`),
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: peopleKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

export function useImportPeopleCsv() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (csv: string) => api.post<BulkResult>('/people/import-csv', csv, 'text/csv'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKeys.all }),
  });
}
