import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comment mail by digest (decision 116): when the post's author was told of each comment. Every
 * comment already readable was mailed on its own when it came, so it counts as told; a partial
 * index holds only the readable comments not told of yet, the digest job's work list.
 */
export class CommentAuthorNotified1796040000000 implements MigrationInterface {
  name = 'CommentAuthorNotified1796040000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comments" ADD "author_notified_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE "comments" SET "author_notified_at" = COALESCE("moderated_at", "created_at") WHERE "status" = 'approved'`,
    );
    await queryRunner.query(
      `CREATE INDEX "comments_unnotified_idx" ON "comments" ("post_id") WHERE author_notified_at IS NULL AND status = 'approved' AND deleted_at IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."comments_unnotified_idx"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "author_notified_at"`);
  }
}
