import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../database/timestamps.js';

@Entity('workspace')
export class Workspace extends Timestamped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_workspace' })
  id: string;

  @Column({ type: 'text' })
  name: string;
}
