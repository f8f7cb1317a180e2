import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/** An account. Email and username are unique case-insensitively through their normalized copies. */
@Entity('users')
export class UserEntity extends BaseEntity {
  @Column({ type: 'text' })
  email: string;

  @Index('users_email_normalized_key', { unique: true })
  @Column({ name: 'email_normalized', type: 'text' })
  emailNormalized: string;

  @Column({ type: 'text' })
  username: string;

  @Index('users_username_normalized_key', { unique: true })
  @Column({ name: 'username_normalized', type: 'text' })
  usernameNormalized: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'text', nullable: true })
  bio: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  preferences: Record<string, unknown>;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
