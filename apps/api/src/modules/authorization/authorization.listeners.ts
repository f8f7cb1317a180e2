import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { UserCreatedEvent } from '../identity/identity.events';
import { RolesService } from './roles.service';

/** Authorization's part in what happens elsewhere: every new account holds the default role. */
@Injectable()
export class AuthorizationListeners {
  constructor(private readonly roles: RolesService) {}

  @OnEvent(UserCreatedEvent.eventName, { suppressErrors: false })
  async grantDefaultRole(event: UserCreatedEvent): Promise<void> {
    await this.roles.assignDefaultRole(event.userId);
  }
}
