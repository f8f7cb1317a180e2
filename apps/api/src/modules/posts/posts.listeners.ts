import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { PublicContentCache } from '../../common/cache';
import { MediaAltChangedEvent } from '../media/media.events';
import { PostChangedEvent } from './posts.events';
import { PostsService } from './posts.service';

/** A post changed: the public lists, posts and feeds that may show it are loaded afresh. */
@Injectable()
export class PostsCacheListener {
  constructor(private readonly publicContent: PublicContentCache) {}

  @OnEvent(PostChangedEvent.eventName, { suppressErrors: false })
  async postChanged(event: PostChangedEvent): Promise<void> {
    // A new post is a draft: no reader sees it yet.
    if (event.change !== 'created') await this.publicContent.changed();
  }
}

/** An image's alt text or caption changed: the posts showing it carry the new words. */
@Injectable()
export class PostsMediaListener {
  constructor(private readonly posts: PostsService) {}

  @OnEvent(MediaAltChangedEvent.eventName, { suppressErrors: false })
  async mediaChanged(event: MediaAltChangedEvent): Promise<void> {
    await this.posts.rerenderWithMedia(event.mediaId);
  }
}
