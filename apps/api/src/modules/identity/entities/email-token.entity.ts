import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';

export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** Single-use email tokens (verification, password reset, email change), stored as SHA-256. */
@Entity('email_tokens')
export class EmailTokenEntity extends BaseEntity {
  @Index('email_tokens_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  purpose: EmailTokenPurpose;

  @Index('email_tokens_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** `change_email` only: the address the account moves to once the link is followed. */
  @Column({ name: 'new_email', type: 'text', nullable: true })
  newEmail: string | null;
}
