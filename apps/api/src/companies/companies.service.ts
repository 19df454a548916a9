import { Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { BulkResult, CompanyDto, CreateCompanyBody, Page } from '@conduit/contracts';
import { DataSource, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { csvRows } from '../common/csv-upload.js';
import { likePattern } from '../common/pagination.js';
import { validateRow } from '../common/validate-row.js';
import { CONDUIT_EDIT_RECORDER, type ConduitEditRecorder } from '../sync/conduit-edits.js';
import { Company } from './company.entity.js';
import { parseCompaniesCsv } from './csv-mapping.js';
import { type CompaniesQueryDto, CreateCompanyDto } from './dto.js';

export function toCompanyDto(c: Company): CompanyDto {
  return {
    id: c.id,
    name: c.name,
    domain: c.domain,
    website: c.website,
    industry: c.industry,
    employeeCount: c.employeeCount,
    city: c.city,
    country: c.country,
    customAttributes: c.customAttributes ?? {},
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const SORT_COLUMNS = { createdAt: 'c.created_at', name: 'lower(c.name)', domain: 'lower(c.domain)', employeeCount: 'c.employee_count' } as const;
const FIELDS = ['name', 'domain', 'website', 'industry', 'employeeCount', 'city', 'country'] as const;

type CompanyInput = { [K in keyof CreateCompanyBody]?: CreateCompanyBody[K] | null };

/** Column values from a validated body: strings trimmed (empty → null), domains lowercased. */
function toValues(body: CompanyInput): Partial<Company> {
  const values: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const v = body[field];
    if (v === undefined) continue;
    values[field] = typeof v === 'string' ? v.trim() || null : v;
  }
  if (typeof values['domain'] === 'string') values['domain'] = values['domain'].toLowerCase();
  if (body.customAttributes) values['customAttributes'] = body.customAttributes;
  return values;
}

@Injectable()
export class CompaniesService {
  constructor(
    @InjectRepository(Company) private readonly companies: Repository<Company>,
    private readonly dataSource: DataSource,
    @Optional() @Inject(CONDUIT_EDIT_RECORDER) private readonly edits?: ConduitEditRecorder,
  ) {}

  async list(caller: Caller, query: CompaniesQueryDto): Promise<Page<CompanyDto>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const qb = this.companies.createQueryBuilder('c').where('c.workspace_id = :ws', { ws: caller.workspaceId });
    if (query.search?.trim()) qb.andWhere('(c.name ILIKE :q OR c.domain ILIKE :q)', { q: likePattern(query.search) });
    if (query.industry) qb.andWhere('lower(c.industry) = lower(:industry)', { industry: query.industry });
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    qb.orderBy(SORT_COLUMNS[query.sort ?? 'createdAt'], order, 'NULLS LAST').addOrderBy('c.id', order);
    const [rows, total] = await qb.skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(toCompanyDto), total, page, pageSize };
  }

  async get(caller: Caller, id: string): Promise<CompanyDto> {
    return toCompanyDto(await this.find(caller, id));
  }

  async create(caller: Caller, body: CreateCompanyBody): Promise<CompanyDto> {
    const values = toValues(body);
    const saved = await this.dataSource.transaction(async (tx) => {
      const row = await tx.save(tx.create(Company, { ...values, workspaceId: caller.workspaceId }));
      // Provenance: the fields it was created with were set in Conduit (issue 5).
      await this.edits?.recordCreated(tx, caller.workspaceId, 'company', [{ id: row.id, values }]);
      return row;
    });
    return toCompanyDto(saved);
  }

  async update(caller: Caller, id: string, body: CompanyInput): Promise<CompanyDto> {
    const company = await this.find(caller, id);
    const before = { ...company };
    Object.assign(company, toValues(body));
    // Provenance of the fields set in Conduit commits with the edit (issue 5).
    const saved = await this.dataSource.transaction(async (tx) => {
      const row = await tx.save(company);
      await this.edits?.recordEdits(tx, caller.workspaceId, 'company', row.id, before, row);
      return row;
    });
    return toCompanyDto(saved);
  }

  /** People of the company keep their companyName and lose the link (ON DELETE SET NULL). */
  async remove(caller: Caller, id: string): Promise<void> {
    const result = await this.companies.delete({ id, workspaceId: caller.workspaceId });
    if (!result.affected) throw new NotFoundException('Company not found');
  }

  /** Same policy as people: valid rows are created together, invalid rows are reported by index. */
  async bulkCreate(caller: Caller, rows: unknown[]): Promise<BulkResult> {
    const validated = await Promise.all(rows.map((row) => validateRow(CreateCompanyDto, row)));
    const errors = validated.flatMap((v, index) => (v.errors.length ? [{ index, errors: v.errors }] : []));
    const failed = new Set(errors.map((e) => e.index));
    const toInsert = validated.flatMap((v, i) => (failed.has(i) ? [] : [{ ...toValues(v.value), workspaceId: caller.workspaceId }]));
    await this.dataSource.transaction(async (tx) => {
      for (let i = 0; i < toInsert.length; i += 500) {
        const part = toInsert.slice(i, i + 500);
        // Copies: insert() writes the generated and default columns (id, engagementState…) back into the rows it gets.
        const given = part.map((values) => ({ ...values }));
        const inserted = await tx.insert(Company, part as QueryDeepPartialEntity<Company>[]);
        // Provenance of the created values, one set per company, in the same transaction (issue 5).
        await this.edits?.recordCreated(tx, caller.workspaceId, 'company', given.map((values, k) => ({ id: String(inserted.identifiers[k]?.['id']), values })));
      }
    });
    return { created: toInsert.length, failed: errors.length, errors };
  }

  async importCsv(caller: Caller, text: string): Promise<BulkResult> {
    return this.bulkCreate(caller, csvRows(parseCompaniesCsv, text));
  }

  private async find(caller: Caller, id: string): Promise<Company> {
    const company = await this.companies.findOneBy({ id, workspaceId: caller.workspaceId });
    if (!company) throw new NotFoundException('Company not found');
    return company;
  }
}
