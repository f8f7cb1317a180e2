import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostViewBatches1796011505195 implements MigrationInterface {
  name = 'PostViewBatches1796011505195';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "post_view_batches" ("id" uuid NOT NULL, "applied_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1673848ce414507151b29c6aaba" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "post_view_batches_applied_at_idx" ON "post_view_batches"  ("applied_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."post_view_batches_applied_at_idx"`);
    await queryRunner.query(`DROP TABLE "post_view_batches"`);
  }
}
