import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

/** An account. Email and username are unique case-insensitively through their normalized copies. */
@Entity('users')
// The administration's list is newest first by default (created_at, id): an index walk, not a sort of every row.
@Index('users_created_at_id_idx', ['createdAt', 'id'])
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

  @Column({ type: 'jsonb', default: () => "'{}'" })
  preferences: Record<string, unknown>;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Storage key of the current avatar image (256×256 WebP); null without one. */
  @Index('users_avatar_key_key', { unique: true })
  @Column({ name: 'avatar_key', type: 'text', nullable: true })
  avatarKey: string | null;

  /** TOTP secret (encrypted), set once 2FA is enabled. */
  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret: string | null;

  /** A secret offered by `2fa/setup`, waiting for its first code. */
  @Column({ name: 'totp_pending_secret', type: 'text', nullable: true })
  totpPendingSecret: string | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', nullable: true })
  totpEnabledAt: Date | null;

  /** The time step of the last accepted code: a code is accepted once. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep: string | null;

  /** The last successful sign-in (null: never signed in). */
  @Column({ name: 'last_signed_in_at', type: 'timestamptz', nullable: true })
  lastSignedInAt: Date | null;

  /** SHA-256 of the unused recovery codes. */
  @Column({ name: 'recovery_code_hashes', type: 'text', array: true, default: () => "'{}'" })
  recoveryCodeHashes: string[];
}
