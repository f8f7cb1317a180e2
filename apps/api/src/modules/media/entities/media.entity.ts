import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../../../database/base.entity';
import { UserEntity } from '../../identity/entities/user.entity';

/** One stored rendition of an image: WebP, `width` pixels wide. */
export interface MediaVariant {
  key: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * An image of the media library: the upload re-encoded to WebP at a few widths (for `srcset`),
 * metadata stripped; the upload itself is not kept. Alt text and caption are the owner's words.
 */
@Entity('media')
@Index('media_owner_created_idx', ['ownerId', 'createdAt'])
@Index('media_created_idx', ['createdAt'])
export class MediaEntity extends BaseEntity {
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner?: UserEntity;

  @Column({ name: 'alt_text', type: 'text', nullable: true })
  altText: string | null;

  @Column({ type: 'text', nullable: true })
  caption: string | null;

  /** The largest variant's size (the image as shown, upright). */
  @Column({ type: 'int' })
  width: number;

  @Column({ type: 'int' })
  height: number;

  @Column({ name: 'source_format', type: 'text' })
  sourceFormat: string;

  /** Smallest first. */
  @Column({ type: 'jsonb' })
  variants: MediaVariant[];
}
