import { Controller, Get, Res } from '@nestjs/common';
import { Query } from '../../common/http/validation';
import { ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth';
import { RawResponse } from '../../common/decorators/raw-response.decorator';
import { ApiErrorResponses } from '../../common/dto/envelope.dto';
import { HttpCache } from '../../common/http-cache';
import { Optional } from '../../common/http/optional';
import { toInteger, trim } from '../../common/http/transforms';
import { ApiException } from '../../common/http/api.exception';
import { ErrorCode } from '@atrium/contracts';
import { FEED_ITEMS, FEEDS_MAX_AGE_SECONDS, FeedsService } from './feeds.service';

export class FeedQueryDto {
  @ApiPropertyOptional({
    description: "A category's slug: its posts and those of the categories below it",
    maxLength: 80,
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiPropertyOptional({ description: "A tag's slug", maxLength: 80 })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(80)
  tag?: string;

  @ApiPropertyOptional({
    description: "An author's username: their posts (404 when no active account has it)",
    maxLength: 50,
  })
  @Optional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  author?: string;
}

export class SitemapQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, description: 'A page of the sitemap index (large sites only)' })
  @Optional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  page?: number;
}

const FEED_NOTE = `The ${FEED_ITEMS} newest public posts (members-only posts never), newest first; \`category\` (with the categories below it), \`tag\` or \`author\` narrow it (an unknown or deactivated author is 404). Built again after any change to what it shows; clients may reuse it for ${FEEDS_MAX_AGE_SECONDS} s (\`Cache-Control\`), and \`ETag\` with \`If-None-Match\` answers 304.`;

@ApiTags('Feeds')
@Public()
@RawResponse()
@Controller()
export class FeedsController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('feed.xml')
  @ApiOperation({ summary: 'RSS 2.0 feed of the newest posts', description: FEED_NOTE })
  @ApiResponse({
    status: 200,
    description: 'RSS 2.0',
    content: { 'application/rss+xml': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400, 404)
  @HttpCache({ maxAgeSeconds: FEEDS_MAX_AGE_SECONDS, visibility: 'public' })
  async rss(@Query() query: FeedQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type('application/rss+xml; charset=utf-8');
    return this.feeds.rss({ category: query.category, tag: query.tag, author: query.author });
  }

  @Get('feed.json')
  @ApiOperation({ summary: 'JSON Feed 1.1 of the newest posts', description: FEED_NOTE })
  @ApiResponse({
    status: 200,
    description: 'JSON Feed 1.1 (https://jsonfeed.org/version/1.1)',
    content: { 'application/feed+json': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400, 404)
  @HttpCache({ maxAgeSeconds: FEEDS_MAX_AGE_SECONDS, visibility: 'public' })
  async json(@Query() query: FeedQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type('application/feed+json; charset=utf-8');
    return this.feeds.json({ category: query.category, tag: query.tag, author: query.author });
  }

  @Get('sitemap.xml')
  @ApiOperation({
    summary: 'Sitemap of the public pages and posts',
    description: `The home page, the feed and every public post, newest first, in one file while they fit in \`SITEMAP_MAX_URLS\` (50 000, as sitemaps.org allows). Past that, \`/sitemap.xml\` is a sitemap index of pages \`/sitemap.xml?page=n\` (a page past the last is 404). Built again after any change; clients may reuse it for ${FEEDS_MAX_AGE_SECONDS} s, and it has an \`ETag\`.`,
  })
  @ApiResponse({
    status: 200,
    description: 'sitemaps.org 0.9',
    content: { 'application/xml': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(400, 404)
  @HttpCache({ maxAgeSeconds: FEEDS_MAX_AGE_SECONDS, visibility: 'public' })
  async sitemap(@Query() query: SitemapQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const xml = await this.feeds.sitemap(query.page);
    if (xml === null) throw new ApiException(404, ErrorCode.NOT_FOUND, 'No such sitemap page');
    void reply.type('application/xml; charset=utf-8');
    return xml;
  }
}
