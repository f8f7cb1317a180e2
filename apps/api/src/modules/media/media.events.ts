import { DomainEvent } from '../../events/domain-events';

/** An image's alt text or caption changed: the posts that show it are rendered again (their HTML carries both). */
export class MediaAltChangedEvent extends DomainEvent {
  static readonly eventName = 'media.alt-changed';
  readonly name = MediaAltChangedEvent.eventName;
  constructor(readonly mediaId: string) {
    super();
  }
}
