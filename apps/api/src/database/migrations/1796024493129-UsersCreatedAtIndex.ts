import { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersCreatedAtIndex1796024493129 implements MigrationInterface {
  name = 'UsersCreatedAtIndex1796024493129';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "users_created_at_id_idx" ON "users"  ("created_at", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_created_at_id_idx"`);
  }
}
