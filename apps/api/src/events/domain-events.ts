/**
 * Domain events: what happened, in the words of the domain. Each module declares its events in
 * its own `<module>.events.ts`; services publish them through `DomainEvents.publish`, which
 * delivers them after the transaction commits (events/domain-events.publisher.ts). Listeners turn
 * them into jobs or cache invalidations. No service calls mail (or any other slow side effect) directly.
 *
 * Delivered events are plain JSON (they pass through the outbox): listeners read their fields,
 * never their methods or prototypes.
 */
export abstract class DomainEvent {
  abstract readonly name: string;
  readonly occurredAt = new Date().toISOString();
}

/** Who an event is about, enough to address a mail. */
export interface UserRef {
  userId: string;
  email: string;
  username: string;
}

// Comment events ship ahead of the comments module (mail templates exist for them); they move to
// modules/comments/comments.events.ts with it.
export class CommentAwaitingModerationEvent extends DomainEvent {
  static readonly eventName = 'comment.awaiting-moderation';
  readonly name = CommentAwaitingModerationEvent.eventName;
  constructor(
    readonly commentId: string,
    readonly postId: string,
    readonly postTitle: string,
    readonly excerpt: string,
    readonly authorName: string,
    /** Who moderates this comment (editors, the post's author). */
    readonly moderatorEmails: readonly string[],
  ) {
    super();
  }
}

export class CommentApprovedEvent extends DomainEvent {
  static readonly eventName = 'comment.approved';
  readonly name = CommentApprovedEvent.eventName;
  constructor(
    readonly commentId: string,
    readonly postSlug: string,
    readonly postTitle: string,
    readonly author: UserRef,
  ) {
    super();
  }
}

/** A comment became visible to everyone (written without moderation, or approved): its post's author hears of it. */
export class CommentPublishedEvent extends DomainEvent {
  static readonly eventName = 'comment.published';
  readonly name = CommentPublishedEvent.eventName;
  constructor(
    readonly commentId: string,
    readonly postAuthor: UserRef,
  ) {
    super();
  }
}
