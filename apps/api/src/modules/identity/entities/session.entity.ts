import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { UserEntity } from './user.entity';

/**
 * One refresh token. Rotation revokes the row and adds a new one in the same family; the family
 * id is the session id (`sid`) that access tokens carry, stable for the life of a sign-in.
 */
@Entity('sessions')
export class SessionEntity extends BaseEntity {
  @Index('sessions_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Index('sessions_family_id_idx')
  @Column({ name: 'family_id', type: 'uuid' })
  familyId: string;

  /** SHA-256 (hex) of the refresh token; the token itself is never stored. */
  @Index('sessions_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'last_used_at', type: 'timestamptz' })
  lastUsedAt: Date;

  /** The family's absolute end (sign-in + REFRESH_TTL_DAYS); rotation keeps it. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** rotated | logout | logout_all | revoked | reuse_detected | password_changed | password_reset */
  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason: string | null;

  /**
   * Set when this token was rotated: its successor, sealed (DATA_ENCRYPTION_KEY), so a second
   * presentation within the refresh grace period gets the same successor instead of ending the session.
   */
  @Column({ name: 'successor_token', type: 'text', nullable: true })
  successorToken: string | null;
}
