import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefreshSuccessor1795966887212 implements MigrationInterface {
  name = 'RefreshSuccessor1795966887212';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "successor_token" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "successor_token"`);
  }
}
