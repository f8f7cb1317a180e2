import type { MigrationInterface, QueryRunner } from 'typeorm';
import { newId } from '../ids';

type Grant = [resource: string, action: string, conditions?: Record<string, unknown>];

const OWN = { authorId: '${user.id}' };
const PROFILE: Grant[] = [
  ['profile', 'read'],
  ['profile', 'update'],
];
const READ_AND_COMMENT: Grant[] = [
  ['posts', 'read'],
  ['comments', 'read'],
  ['comments', 'create'],
  ['comments', 'update', OWN],
  ['comments', 'delete', OWN],
];

/**
 * The four system roles as they are on day one. Later changes to a system role's
 * permissions are made by an admin through the API, not by editing this file.
 */
const SYSTEM_ROLES: Array<{ name: string; level: number; description: string; grants: Grant[] }> = [
  {
    name: 'admin',
    level: 100,
    description: 'Everything, including users, roles and operations',
    grants: [['all', 'manage']],
  },
  {
    name: 'editor',
    level: 50,
    description: 'All posts, comments, categories and tags; comment moderation',
    grants: [
      ...['read', 'create', 'update', 'delete', 'publish'].map((a): Grant => ['posts', a]),
      ...['read', 'create', 'update', 'delete', 'moderate'].map((a): Grant => ['comments', a]),
      ...['categories', 'tags'].flatMap((r) => ['create', 'update', 'delete'].map((a): Grant => [r, a])),
      ...PROFILE,
    ],
  },
  {
    name: 'author',
    level: 20,
    description: 'Writes posts; updates, deletes and publishes their own',
    grants: [
      ['posts', 'create'],
      ['posts', 'update', OWN],
      ['posts', 'delete', OWN],
      ['posts', 'publish', OWN],
      ...READ_AND_COMMENT,
      ...PROFILE,
    ],
  },
  {
    name: 'user',
    level: 10,
    description: 'Reads, comments, manages their own comments and profile (given at registration)',
    grants: [...READ_AND_COMMENT, ...PROFILE],
  },
];

export class SeedSystemRoles1795609600858 implements MigrationInterface {
  name = 'SeedSystemRoles1795609600858';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const role of SYSTEM_ROLES) {
      const roleId = newId();
      await queryRunner.query(
        `INSERT INTO "roles" ("id", "name", "description", "level", "is_system") VALUES ($1, $2, $3, $4, true)`,
        [roleId, role.name, role.description, role.level],
      );
      for (const [resource, action, conditions] of role.grants) {
        await queryRunner.query(
          `INSERT INTO "permissions" ("id", "role_id", "resource", "action", "conditions") VALUES ($1, $2, $3, $4, $5)`,
          [newId(), roleId, resource, action, conditions ? JSON.stringify(conditions) : null],
        );
      }
    }
    // Accounts that exist already become plain users, as new ones do at registration.
    const users = (await queryRunner.query(`SELECT "id" FROM "users"`)) as Array<{ id: string }>;
    for (const { id } of users) {
      await queryRunner.query(
        `INSERT INTO "user_roles" ("id", "user_id", "role_id") SELECT $1, $2, "id" FROM "roles" WHERE "name" = 'user'`,
        [newId(), id],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "roles" WHERE "is_system" = true`);
  }
}
