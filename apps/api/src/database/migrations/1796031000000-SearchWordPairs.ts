import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The word-pairs index for phrase searches (src/modules/posts/search-pairs.ts): every pair of
 * words within 3 positions of each other in a post's search vector, as lexemes `'left right'`
 * with no positions, in a GIN index over the expression (nothing is stored in the table).
 */
export class SearchWordPairs1796031000000 implements MigrationInterface {
  name = 'SearchWordPairs1796031000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // IMMUTABLE (the same vector always gives the same pairs): an index expression must be.
    await queryRunner.query(`
      CREATE FUNCTION tsvector_word_pairs(v tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH w AS (SELECT lexeme, unnest(positions) AS pos FROM unnest(v))
        SELECT array_to_tsvector(coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}'))
          FROM w a JOIN w b ON b.pos BETWEEN a.pos + 1 AND a.pos + 3
      $$`);
    await queryRunner.query(
      `CREATE INDEX "posts_search_pairs_idx" ON "posts" USING gin (tsvector_word_pairs("search_vector"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "posts_search_pairs_idx"`);
    await queryRunner.query(`DROP FUNCTION tsvector_word_pairs(tsvector)`);
  }
}
