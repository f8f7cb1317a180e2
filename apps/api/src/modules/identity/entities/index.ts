import { ApiTokenEntity } from './api-token.entity';
import { EmailTokenEntity } from './email-token.entity';
import { SessionEntity } from './session.entity';
import { SignInFailureEntity } from './sign-in-failure.entity';
import { UserEntity } from './user.entity';
import { UsernameReservationEntity } from './username-reservation.entity';

/** The tables identity owns (database/entities.ts gathers every module's list). */
export const IDENTITY_ENTITIES = [
  UserEntity,
  SessionEntity,
  EmailTokenEntity,
  ApiTokenEntity,
  SignInFailureEntity,
  UsernameReservationEntity,
];
