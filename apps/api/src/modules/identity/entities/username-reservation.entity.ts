import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A username given up by a change of username: nobody else may take it until `until` (30 days),
 * so links and mentions of the old name cannot be taken over; its former owner may take it back.
 */
@Entity('username_reservations')
export class UsernameReservationEntity {
  @PrimaryColumn({ name: 'username_normalized', type: 'text' })
  usernameNormalized: string;

  @Index('username_reservations_user_id_idx')
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'timestamptz' })
  until: Date;
}
