import { DomainEvent } from '../../events/domain-events';

/**
 * What happens to posts, after the commit (docs/ARCHITECTURE.md, "Events after commit"): the
 * caches of lists and feeds, search and mail listen to these.
 */
export class PostChangedEvent extends DomainEvent {
  static readonly eventName = 'post.changed';
  readonly name = PostChangedEvent.eventName;
  constructor(
    readonly postId: string,
    /** created · updated · scheduled · published · unpublished · archived · deleted */
    readonly change: 'created' | 'updated' | 'scheduled' | 'published' | 'unpublished' | 'archived' | 'deleted',
  ) {
    super();
  }
}
