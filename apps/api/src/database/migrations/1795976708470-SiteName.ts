import { MigrationInterface, QueryRunner } from 'typeorm';

export class SiteName1795976708470 implements MigrationInterface {
  name = 'SiteName1795976708470';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "system_instance" ADD "site_name" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "system_instance" ADD "setup_code_hashes" text array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "system_instance" DROP COLUMN "setup_code_hashes"`);
    await queryRunner.query(`ALTER TABLE "system_instance" DROP COLUMN "site_name"`);
  }
}
