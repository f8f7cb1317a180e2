import { DomainEvent, type UserRef } from '../../events/domain-events';

/** An export is built: its owner is mailed. */
export class ExportReadyEvent extends DomainEvent {
  static readonly eventName = 'export.ready';
  readonly name = ExportReadyEvent.eventName;
  constructor(
    readonly exportId: string,
    readonly user: UserRef,
    readonly expiresInHours: number,
  ) {
    super();
  }
}
