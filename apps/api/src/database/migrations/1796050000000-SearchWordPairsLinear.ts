import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The word pairs of a post (SearchWordPairs) found by an equality join: each position joined to
 * the positions 1, 2 and 3 after it, which Postgres hashes, instead of a range join, which it could
 * only run as every position against every other. The pairs are the same (checked on 100 000
 * seeded posts), so the index built on the function stays valid and is not rebuilt; the work is
 * linear in a post's length: a body of 100 000 characters took ~30 s (past the statement limit:
 * its save failed) and now takes a fraction of a second (docs/DECISIONS.md, decision 130).
 */
export class SearchWordPairsLinear1796050000000 implements MigrationInterface {
  name = 'SearchWordPairsLinear1796050000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION tsvector_word_pairs(v tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH w AS (SELECT lexeme, unnest(positions) AS pos FROM unnest(v))
        SELECT array_to_tsvector(coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}'))
          FROM w a CROSS JOIN generate_series(1, 3) AS d JOIN w b ON b.pos = a.pos + d
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION tsvector_word_pairs(v tsvector) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH w AS (SELECT lexeme, unnest(positions) AS pos FROM unnest(v))
        SELECT array_to_tsvector(coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}'))
          FROM w a JOIN w b ON b.pos BETWEEN a.pos + 1 AND a.pos + 3
      $$`);
  }
}
