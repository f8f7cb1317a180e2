import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostSearch1796002083017 implements MigrationInterface {
  name = 'PostSearch1796002083017';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Trigrams (pg_trgm, in Postgres's contrib; PGlite loads it in embedded mode) for misspelled words.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `ALTER TABLE "posts" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce("title", '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("excerpt", '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce("body_markdown", '')), 'C')) STORED NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`,
      [
        'public',
        'posts',
        'GENERATED_COLUMN',
        'search_vector',
        "setweight(to_tsvector('english'::regconfig, coalesce(\"title\", '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(\"excerpt\", '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(\"body_markdown\", '')), 'C')",
      ],
    );
    // Written by hand: TypeORM cannot declare GIN indexes (the entity lists them with synchronize: false).
    await queryRunner.query(`CREATE INDEX "posts_search_idx" ON "posts" USING gin ("search_vector")`);
    await queryRunner.query(`CREATE INDEX "posts_title_trgm_idx" ON "posts" USING gin ("title" gin_trgm_ops)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "posts_title_trgm_idx"`);
    await queryRunner.query(`DROP INDEX "posts_search_idx"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`,
      ['GENERATED_COLUMN', 'search_vector', 'public', 'posts'],
    );
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "search_vector"`);
  }
}
