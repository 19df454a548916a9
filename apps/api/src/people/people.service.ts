import { ConflictException, Inject, Injectable, Logger, NotFoundException, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { BulkResult, CreatePersonBody, FieldError, Page, PersonDto } from '@conduit/contracts';
import { DataSource, type EntityManager, In, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { Caller } from '../auth/caller.js';
import { csvRows } from '../common/csv-upload.js';
import { likePattern } from '../common/pagination.js';
import { validateRow } from '../common/validate-row.js';
import { validationFailed } from '../common/validation.js';
import { Company } from '../companies/company.entity.js';
import { User } from '../users/user.entity.js';
import { parsePeopleCsv } from './csv-mapping.js';
import { CreatePersonDto, type PeopleQueryDto } from './dto.js';
import { splitName } from './name-split.js';
import { SuppressionService } from '../suppression/suppression.service.js';
import { CONDUIT_EDIT_RECORDER, type ConduitEditRecorder } from '../sync/conduit-edits.js';
import { PERSON_ENGAGEMENT_LISTENER, type PersonEngagementListener } from './person-events.js';
import { Person } from './person.entity.js';

export function toPersonDto(p: Person): PersonDto {
  return {
    id: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    phone: p.phone,
    jobTitle: p.jobTitle,
    city: p.city,
    country: p.country,
    linkedinUrl: p.linkedinUrl,
    companyName: p.companyName,
    companyId: p.companyId,
    qualificationReasoning: p.qualificationReasoning,
    leadStatus: p.leadStatus,
    engagementState: p.engagementState,
    assignedUserId: p.assignedUserId,
    customAttributes: p.customAttributes,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

const SORT_COLUMNS = {
  createdAt: 'p.created_at',
  updatedAt: 'p.updated_at',
  lastName: 'lower(p.last_name)',
  firstName: 'lower(p.first_name)',
  email: 'lower(p.email)',
  companyName: 'lower(p.company_name)',
} as const;

const TEXT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country', 'linkedinUrl', 'companyName', 'qualificationReasoning', 'leadStatus'] as const;

type Prepared = { values: Partial<Person>; errors: FieldError[]; conflict: boolean };

/** A body after validation: fields may be null when a PATCH clears them. */
type PersonInput = { [K in keyof CreatePersonBody]?: CreatePersonBody[K] | null };

@Injectable()
export class PeopleService {
  private readonly logger = new Logger(PeopleService.name);

  constructor(
    @InjectRepository(Person) private readonly people: Repository<Person>,
    private readonly dataSource: DataSource,
    private readonly suppression: SuppressionService,
    @Optional() @Inject(PERSON_ENGAGEMENT_LISTENER) private readonly engagement?: PersonEngagementListener,
    @Optional() @Inject(CONDUIT_EDIT_RECORDER) private readonly edits?: ConduitEditRecorder,
  ) {}

  async list(caller: Caller, query: PeopleQueryDto): Promise<Page<PersonDto>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const qb = this.people.createQueryBuilder('p').where('p.workspace_id = :ws', { ws: caller.workspaceId });
    if (query.search?.trim()) {
      qb.andWhere(
        `(p.first_name ILIKE :q OR p.last_name ILIKE :q OR p.email ILIKE :q OR p.company_name ILIKE :q
          OR concat_ws(' ', p.first_name, p.last_name) ILIKE :q)`,
        { q: likePattern(query.search) },
      );
    }
    if (query.engagementState) qb.andWhere('p.engagement_state = :es', { es: query.engagementState });
    if (query.leadStatus) qb.andWhere('lower(p.lead_status) = lower(:ls)', { ls: query.leadStatus });
    if (query.assignedUserId) qb.andWhere('p.assigned_user_id = :au', { au: query.assignedUserId });
    if (query.companyId) qb.andWhere('p.company_id = :cid', { cid: query.companyId });
    const order = query.order === 'asc' ? 'ASC' : 'DESC';
    qb.orderBy(SORT_COLUMNS[query.sort ?? 'createdAt'], order, 'NULLS LAST').addOrderBy('p.id', order);
    const [rows, total] = await qb.skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { items: rows.map(toPersonDto), total, page, pageSize };
  }

  async get(caller: Caller, id: string): Promise<PersonDto> {
    return toPersonDto(await this.find(this.dataSource.manager, caller, id));
  }

  async create(caller: Caller, body: CreatePersonBody): Promise<PersonDto> {
    return this.dataSource.transaction(async (tx) => {
      const [prepared] = await this.prepare(tx, caller, [body]);
      if (!prepared) throw new Error('prepare returned no row');
      this.throwIfInvalid(prepared);
      const saved = await this.insertOne(tx, caller, prepared.values);
      // Provenance: the fields it was created with were set in Conduit (issue 5).
      await this.edits?.recordCreated(tx, caller.workspaceId, 'person', [{ id: saved.id, values: prepared.values }]);
      return toPersonDto(saved);
    });
  }

  async update(caller: Caller, id: string, body: PersonInput): Promise<PersonDto> {
    let previous: Pick<Person, 'engagementState' | 'leadStatus'> | null = null;
    const updated = await this.dataSource.transaction(async (tx) => {
      const person = await this.find(tx, caller, id, true);
      previous = { engagementState: person.engagementState, leadStatus: person.leadStatus };
      const [prepared] = await this.prepare(tx, caller, [body], person);
      if (!prepared) throw new Error('prepare returned no row');
      this.throwIfInvalid(prepared);
      const before = { ...person };
      Object.assign(person, prepared.values);
      try {
        const saved = await tx.save(person);
        // Provenance: which fields were set in Conduit, and what they were (issue 5).
        await this.edits?.recordEdits(tx, caller.workspaceId, 'person', saved.id, before, saved);
        return toPersonDto(saved);
      } catch (err) {
        throw this.mapUniqueViolation(err);
      }
    });
    // After the commit: listeners (automatic CRM export) see the new state; their failure does not undo the update.
    const before = previous as Pick<Person, 'engagementState' | 'leadStatus'> | null;
    if (this.engagement && before && (before.engagementState !== updated.engagementState || before.leadStatus !== updated.leadStatus)) {
      await this.engagement
        .engagementChanged(caller.workspaceId, [{ personId: updated.id, engagementState: updated.engagementState }])
        .catch((err: unknown) => this.logger.warn({ msg: 'engagement listener failed', personId: updated.id, error: (err as Error).message }));
    }
    return updated;
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const result = await this.people.delete({ id, workspaceId: caller.workspaceId });
    if (!result.affected) throw new NotFoundException('Person not found');
  }

  /**
   * Partial success: each row is validated alone; valid rows are inserted together in one transaction, invalid rows
   * come back with their index and field errors (a row never blocks the others).
   */
  async bulkCreate(caller: Caller, rows: unknown[]): Promise<BulkResult> {
    const validated = await Promise.all(rows.map((row) => validateRow(CreatePersonDto, row)));
    return this.dataSource.transaction(async (tx) => {
      const okIndexes = validated.flatMap((v, i) => (v.errors.length === 0 ? [i] : []));
      const prepared = await this.prepare(tx, caller, okIndexes.map((i) => validated[i]!.value));
      const errors: BulkResult['errors'] = validated.flatMap((v, index) => (v.errors.length ? [{ index, errors: v.errors }] : []));
      const toInsert: Partial<Person>[] = [];
      prepared.forEach((p, k) => {
        if (p.errors.length) errors.push({ index: okIndexes[k]!, errors: p.errors });
        else toInsert.push({ ...p.values, workspaceId: caller.workspaceId });
      });
      // 500 rows × 19 columns stays well under Postgres' 65,535 bind-parameter limit.
      for (let i = 0; i < toInsert.length; i += 500) {
        const part = toInsert.slice(i, i + 500);
        // Copies: insert() writes the generated and default columns (id, engagementState…) back into the rows it gets.
        const given = part.map((values) => ({ ...values }));
        const inserted = await tx.insert(Person, part as QueryDeepPartialEntity<Person>[]);
        // Provenance of the created values, one set per person, in the same transaction (issue 5).
        await this.edits?.recordCreated(tx, caller.workspaceId, 'person', given.map((values, k) => ({ id: String(inserted.identifiers[k]?.['id']), values })));
      }
      errors.sort((a, b) => a.index - b.index);
      return { created: toInsert.length, failed: errors.length, errors };
    });
  }

  async importCsv(caller: Caller, text: string): Promise<BulkResult> {
    return this.bulkCreate(caller, csvRows(parsePeopleCsv, text));
  }

  private async find(tx: EntityManager, caller: Caller, id: string, lock = false): Promise<Person> {
    const person = await tx.findOne(Person, { where: { id, workspaceId: caller.workspaceId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!person) throw new NotFoundException('Person not found');
    return person;
  }

  /**
   * Turns validated bodies into column values and checks what needs the database: referenced company and user belong
   * to the caller's workspace, emails are not taken (in the workspace or earlier in the same batch).
   * `existing` is the row being patched (one body only).
   */
  private async prepare(tx: EntityManager, caller: Caller, bodies: PersonInput[], existing?: Person): Promise<Prepared[]> {
    const ws = caller.workspaceId;
    const companyIds = unique(bodies.map((b) => b.companyId));
    const userIds = unique(bodies.map((b) => b.assignedUserId));
    const companyNames = unique(bodies.filter((b) => !b.companyId).map((b) => b.companyName?.trim().toLowerCase()));
    const emails = unique(bodies.map((b) => b.email?.trim().toLowerCase()));

    const companies = companyIds.length ? await tx.find(Company, { where: { workspaceId: ws, id: In(companyIds) } }) : [];
    const companyById = new Map(companies.map((c) => [c.id, c]));
    const users = userIds.length ? await tx.find(User, { select: { id: true }, where: { workspaceId: ws, id: In(userIds) } }) : [];
    const userIdsFound = new Set(users.map((u) => u.id));
    const byName = companyNames.length
      ? await tx.createQueryBuilder(Company, 'c').where('c.workspace_id = :ws AND lower(c.name) IN (:...names)', { ws, names: companyNames }).getMany()
      : [];
    // A name shared by two companies is ambiguous: leave those people unlinked.
    const companyByName = new Map<string, Company | null>();
    for (const c of byName) {
      const key = c.name.toLowerCase();
      companyByName.set(key, companyByName.has(key) ? null : c);
    }
    const taken = new Set(
      emails.length
        ? (
            await tx
              .createQueryBuilder(Person, 'p')
              .select(['p.id', 'p.email'])
              .where('p.workspace_id = :ws AND lower(p.email) IN (:...emails)', { ws, emails })
              .getMany()
          )
            .filter((p) => p.id !== existing?.id)
            .map((p) => p.email!.toLowerCase())
        : [],
    );
    // Erased people stay out: their email's salted hash is on the suppression list (#18).
    const erased = await this.suppression.erasedEmails(tx, ws, emails);

    return bodies.map((body) => {
      const errors: FieldError[] = [];
      let conflict = false;
      const values: Partial<Person> = {};
      for (const field of TEXT_FIELDS) {
        const v = body[field];
        if (v !== undefined) values[field] = v === null ? null : v.trim() || null;
      }
      if (typeof body.name === 'string' && body.firstName === undefined && body.lastName === undefined) {
        Object.assign(values, splitName(body.name));
      }
      if (body.engagementState) values.engagementState = body.engagementState;
      if (body.customAttributes) values.customAttributes = body.customAttributes;
      if (body.assignedUserId !== undefined) {
        if (body.assignedUserId && !userIdsFound.has(body.assignedUserId)) errors.push({ field: 'assignedUserId', messages: ['assignedUserId is not a member of this workspace'] });
        values.assignedUserId = body.assignedUserId ?? null;
      }
      if (body.companyId) {
        const company = companyById.get(body.companyId);
        if (!company) errors.push({ field: 'companyId', messages: ['companyId does not name a company of this workspace'] });
        values.companyId = body.companyId;
        if (company && body.companyName === undefined) values.companyName = company.name;
      } else if (body.companyId === null) {
        values.companyId = null;
      } else if (typeof body.companyName === 'string') {
        values.companyId = companyByName.get(body.companyName.trim().toLowerCase())?.id ?? null;
      } else if (body.companyName === null) {
        values.companyId = null;
      }
      if (values.email) {
        const key = values.email.toLowerCase();
        if (erased.has(key)) errors.push({ field: 'email', messages: ['this person was erased from Conduit: their email cannot be added again'] });
        else if (taken.has(key)) {
          errors.push({ field: 'email', messages: ['a person with this email already exists in the workspace'] });
          conflict = true;
        }
        taken.add(key);
      }
      const first = values.firstName !== undefined ? values.firstName : existing?.firstName;
      const last = values.lastName !== undefined ? values.lastName : existing?.lastName;
      const email = values.email !== undefined ? values.email : existing?.email;
      if (!first && !last && !email) errors.push({ field: 'name', messages: ['a person needs a name or an email'] });
      return { values, errors, conflict };
    });
  }

  private throwIfInvalid(prepared: Prepared): void {
    if (prepared.errors.length === 0) return;
    if (prepared.conflict && prepared.errors.every((e) => e.field === 'email')) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: 'Email already in use', errors: prepared.errors });
    }
    throw validationFailed(prepared.errors);
  }

  private async insertOne(tx: EntityManager, caller: Caller, values: Partial<Person>): Promise<Person> {
    try {
      return await tx.save(tx.create(Person, { ...values, workspaceId: caller.workspaceId }));
    } catch (err) {
      throw this.mapUniqueViolation(err);
    }
  }

  /** The unique index is the last word when two requests race on the same email. */
  private mapUniqueViolation(err: unknown): unknown {
    const code = (err as { driverError?: { code?: string } }).driverError?.code;
    if (code === '23505') {
      return new ConflictException({ statusCode: 409, error: 'Conflict', message: 'Email already in use', errors: [{ field: 'email', messages: ['a person with this email already exists in the workspace'] }] });
    }
    return err;
  }
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
