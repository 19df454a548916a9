import type { CompaniesQuery, CompanyDto, CreateCompanyBody, Page, UpdateCompanyBody } from '@conduit/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** A PATCH body: `null` clears a nullable field; `name` cannot be cleared. */
export type CompanyPatch = { [K in keyof UpdateCompanyBody]?: UpdateCompanyBody[K] | (K extends 'name' ? never : null) };

export const companyKeys = {
  all: ['companies'] as const,
  list: (query: CompaniesQuery) => ['companies', 'list', query] as const,
  detail: (id: string) => ['companies', 'detail', id] as const,
};

export function useCompanies(query: CompaniesQuery) {
  return useQuery({
    queryKey: companyKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<CompanyDto>>('/companies', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCompany(id: string | null | undefined) {
  return useQuery({
    queryKey: companyKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<CompanyDto>(`/companies/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCreateCompany() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCompanyBody) => api.post<CompanyDto>('/companies', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: companyKeys.all }),
  });
}

export function useUpdateCompany() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CompanyPatch }) =>
      api.patch<CompanyDto>(`/companies/${encodeURIComponent(id)}`, body),
    onSuccess: (company) => {
      queryClient.setQueryData(companyKeys.detail(company.id), company);
      return queryClient.invalidateQueries({ queryKey: companyKeys.all });
    },
  });
}

export function useDeleteCompany() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/companies/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: companyKeys.all }),
  });
}
