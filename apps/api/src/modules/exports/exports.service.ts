import { Inject, Injectable, Logger } from '@nestjs/common';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthUser } from '../../common/auth';
import { Errors } from '../../common/http/errors';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { DomainEvents } from '../../events/domain-events.publisher';
import { JobRegistry } from '../../jobs/job.registry';
import { JobsService } from '../../jobs/jobs.service';
import { MaintenanceProcessor } from '../../jobs/maintenance.processor';
import { AuditService } from '../audit/audit.service';
import type { AvatarStorage } from '../avatars/storage/avatar-storage';
import { UsersRepository } from '../identity/users.repository';
import { MEDIA_STORAGE } from '../media/media.service';
import type { DataExportDto } from './dto/export.dto';
import type { DataExportEntity } from './export.entity';
import { ExportReadyEvent } from './exports.events';
import { ExportsRepository } from './exports.repository';

/** A built export can be downloaded this long. */
export const EXPORT_TTL_HOURS = 24;
/** Rows of old exports are kept this long (the list shows them), then forgotten. */
const EXPORT_ROWS_KEPT_DAYS = 30;

const escapeYaml = (text: string): string => JSON.stringify(text);

/**
 * Data exports (`POST /me/exports`): a job writes a zip of the user's profile, posts (Markdown with
 * front matter, and HTML), comments and images to DATA_DIR/exports (shared by the API and the
 * worker), reporting progress as it goes; the download is a signed link valid for 24 h, and a
 * mail says when it is ready (docs/API.md, "Exports").
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');
  private readonly directory: string;

  constructor(
    private readonly exports: ExportsRepository,
    private readonly users: UsersRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly events: DomainEvents,
    @Inject(MEDIA_STORAGE) private readonly media: AvatarStorage,
    @InjectConfig() private readonly config: AppConfig,
    registry: JobRegistry,
    maintenance: MaintenanceProcessor,
  ) {
    this.directory = join(config.dataDir, 'exports');
    registry.handle('exports.build', async ({ exportId }) => {
      await this.build(exportId);
    });
    maintenance.register('expired exports', () => this.cleanup());
  }

  private fileOf(id: string): string {
    return join(this.directory, `${id}.zip`);
  }

  /** The download link's signature: it names the export and its expiry, so it cannot be stretched or moved. */
  private signature(id: string, expiresAt: Date): string {
    return createHmac('sha256', this.config.dataEncryptionKey)
      .update(`export:${id}:${expiresAt.getTime()}`)
      .digest('base64url');
  }

  toDto(row: DataExportEntity): DataExportDto {
    const downloadable = row.status === 'done' && row.expiresAt !== null && row.expiresAt.getTime() > Date.now();
    return {
      id: row.id,
      status: row.status,
      progress: row.progress,
      bytes: row.bytes,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      downloadUrl: downloadable
        ? `/api/v1/exports/${row.id}/download?token=${this.signature(row.id, row.expiresAt!)}`
        : null,
      error: row.error,
    };
  }

  /** Starts an export; while one is being built, that one is the answer (one at a time per user). */
  async start(actor: AuthUser): Promise<DataExportDto> {
    const unfinished = await this.exports.unfinished(actor.id);
    if (unfinished) return this.toDto(unfinished);
    const row = await this.exports.insert(actor.id);
    await this.jobs.enqueue('exports.build', { exportId: row.id }, { jobId: `export:${row.id}` });
    await this.audit.record({ action: 'export.requested', target: `export:${row.id}` });
    return this.toDto(row);
  }

  async get(actor: AuthUser, id: string): Promise<DataExportDto> {
    const row = await this.exports.findById(id);
    if (!row || row.userId !== actor.id) throw Errors.notFound('export');
    return this.toDto(row);
  }

  async recent(actor: AuthUser): Promise<DataExportDto[]> {
    return (await this.exports.recent(actor.id, 10)).map((row) => this.toDto(row));
  }

  /** The zip behind a signed link: null for a wrong or stale signature, an unknown or expired export. */
  async download(id: string, token: string): Promise<{ stream: ReadStream; bytes: number; name: string } | null> {
    const row = await this.exports.findById(id);
    if (!row || row.status !== 'done' || !row.expiresAt || row.expiresAt.getTime() <= Date.now()) return null;
    const expected = Buffer.from(this.signature(row.id, row.expiresAt));
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const file = this.fileOf(row.id);
    const size = await stat(file).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) return null;
    return {
      stream: createReadStream(file),
      bytes: size,
      name: `atrium-export-${row.createdAt.toISOString().slice(0, 10)}.zip`,
    };
  }

  /**
   * Builds the zip: `profile.json`, `posts/<slug>.md` (front matter and Markdown) and `.html`,
   * `comments.json`, `media/<id>-<width>.webp` with `media.json`. Progress is written every few
   * per cent; a retried job starts again from nothing.
   */
  async build(exportId: string): Promise<void> {
    const row = await this.exports.findById(exportId);
    if (!row || row.status === 'done') return;
    await this.exports.update(exportId, { status: 'running', progress: 0, error: null });
    const temporary = `${this.fileOf(exportId)}.${process.pid}.partial`;
    try {
      const user = await this.users.findById(row.userId);
      if (!user) throw new Error('The account is gone');
      const content = await this.exports.contentOf(row.userId);
      const total = 2 + content.posts.length + content.media.length;
      let done = 0;
      let reported = 0;
      const step = async (): Promise<void> => {
        done += 1;
        const progress = Math.min(99, Math.floor((done / total) * 100));
        if (progress >= reported + 5) {
          reported = progress;
          await this.exports.update(exportId, { progress });
        }
      };

      await mkdir(this.directory, { recursive: true });
      const out = createWriteStream(temporary);
      const written = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
      });
      const zip = new Zip((error, chunk, final) => {
        if (error) {
          out.destroy(error);
          return;
        }
        out.write(chunk);
        if (final) out.end();
      });
      const addText = (name: string, text: string): void => {
        const entry = new ZipDeflate(name, { level: 6 });
        zip.add(entry);
        entry.push(Buffer.from(text, 'utf8'), true);
      };

      addText(
        'profile.json',
        JSON.stringify(
          {
            id: user.id,
            username: user.username,
            email: user.email,
            firstName: user.firstName,
            lastName: user.lastName,
            bio: user.bio,
            preferences: user.preferences,
            createdAt: user.createdAt,
          },
          null,
          2,
        ),
      );
      await step();
      for (const post of content.posts) {
        const front = [
          '---',
          `title: ${escapeYaml(post.title)}`,
          `slug: ${escapeYaml(post.slug)}`,
          `status: ${post.status}`,
          `visibility: ${post.visibility}`,
          `category: ${post.category === null ? 'null' : escapeYaml(post.category)}`,
          `tags: ${JSON.stringify(post.tags)}`,
          `publishedAt: ${post.published_at ? post.published_at.toISOString() : 'null'}`,
          `createdAt: ${post.created_at.toISOString()}`,
          '---',
          '',
        ].join('\n');
        addText(`posts/${post.slug}.md`, `${front}${post.body_markdown}\n`);
        addText(`posts/${post.slug}.html`, post.body_html);
        await step();
      }
      addText('comments.json', JSON.stringify(content.comments, null, 2));
      await step();
      addText(
        'media.json',
        JSON.stringify(
          content.media.map((m) => ({ id: m.id, altText: m.alt_text, caption: m.caption, createdAt: m.created_at })),
          null,
          2,
        ),
      );
      for (const image of content.media) {
        const largest = image.variants[image.variants.length - 1];
        const data = await this.media.get(largest.key);
        if (data) {
          // WebP is compressed already: stored as it is.
          const entry = new ZipPassThrough(`media/${image.id}-${largest.width}.webp`);
          zip.add(entry);
          entry.push(data, true);
        }
        await step();
      }
      zip.end();
      await written;
      const { size } = await stat(temporary);
      await rename(temporary, this.fileOf(exportId));
      const finishedAt = new Date();
      const expiresAt = new Date(finishedAt.getTime() + EXPORT_TTL_HOURS * 3600_000);
      await this.exports.update(exportId, { status: 'done', progress: 100, bytes: size, finishedAt, expiresAt });
      await this.events.publish(
        new ExportReadyEvent(
          exportId,
          { userId: user.id, email: user.email, username: user.username },
          EXPORT_TTL_HOURS,
        ),
      );
    } catch (error) {
      await rm(temporary, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`export ${exportId} failed: ${message}`);
      await this.exports.update(exportId, { status: 'failed', error: 'The export could not be built; try again' });
      throw error;
    }
  }

  /** Daily: expired exports' files go; their rows are forgotten after EXPORT_ROWS_KEPT_DAYS. */
  async cleanup(): Promise<number> {
    const now = Date.now();
    const expired = await this.exports.expired(new Date(now));
    for (const row of expired) await rm(this.fileOf(row.id), { force: true });
    const forget = expired.filter((row) => row.expiresAt!.getTime() < now - EXPORT_ROWS_KEPT_DAYS * 86_400_000);
    await this.exports.delete(forget.map((row) => row.id));
    return expired.length;
  }
}
