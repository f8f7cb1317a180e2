import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed credential checks of one lockout key in the current window, and its lock (decision 52).
 * Keys are `<subject>` (every client together) and `<subject>|<ip>` (one client); a subject is
 * `user:<id>` for an account and `login:<what was typed>` for a login that names none, so an
 * unknown login locks exactly like a real one. Counted in Postgres, before the check runs.
 */
@Entity('sign_in_failures')
export class SignInFailureEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column({ name: 'window_started_at', type: 'timestamptz', default: () => 'now()' })
  windowStartedAt: Date;

  /** Checks under this key are refused (ACCOUNT_LOCKED) until then. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;
}
