import { MigrationInterface, QueryRunner } from 'typeorm';

export class AvatarKeyIndex1795612092757 implements MigrationInterface {
  name = 'AvatarKeyIndex1795612092757';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX "users_avatar_key_key" ON "users"  ("avatar_key") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_avatar_key_key"`);
  }
}
