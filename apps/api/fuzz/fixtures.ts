import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Actor, actors } from '../test/support/actors';
import { type AppRef, appOf, type InjectResponse } from '../test/support/api';
import { RED, rgb } from '../test/support/avatars';
import { newRole } from '../test/support/factories';
import { multipart } from '../test/support/multipart';
import { fillPath, isBearer, resourceOf, type SpecOperation } from '../test/support/openapi-requests';
import { type Draft, Hint, type HintSource } from './arbitraries';
import { jsonText, type Sent } from './oracle';

/**
 * Who sends each fuzzed request and the real values in it. Every operation is fuzzed; the ones
 * that would end the fuzzing admin's session or account are sent by someone expendable instead of
 * being skipped, and any session that ends anyway is signed in again (and counted in the summary).
 *
 * - public operations: anonymously;
 * - the refresh cookie's operation: with a fresh admin session's cookie each time (a refresh
 *   rotates it, and a rotated one presented again ends the session);
 * - `SPENDS_CALLER`: a throwaway verified user, replaced after each success;
 * - everything else: one administrator (no permission check stands between the fuzzer and the
 *   validation), signed in again whenever a request ended its session.
 *
 * Path parameters are real rows most of the time (`resourceOf` names the collection): a custom
 * role, another user, the caller's own extra session or token, a job in the queue — fresh ones
 * for a DELETE, which spends its target.
 */

/**
 * Operations whose success ends, or locks, the caller's own sign-in: signing out, changing the
 * password, deleting the account, turning 2FA on or off (sign-in would then want a code),
 * renaming the account (its login changes), and asking for an email change (a wrong password
 * there counts toward the caller's lockout).
 */
export const SPENDS_CALLER: ReadonlySet<string> = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/change-password',
  'DELETE /api/v1/me',
  'POST /api/v1/auth/2fa/setup',
  'POST /api/v1/auth/2fa/enable',
  'POST /api/v1/auth/2fa/disable',
  'PUT /api/v1/me/username',
  'POST /api/v1/me/email',
]);

type ActorKind = 'anonymous' | 'admin' | 'throwaway user' | "admin's refresh cookie";

export function actorKindOf(op: SpecOperation): ActorKind {
  if (op.security.length === 0) return 'anonymous';
  if (!isBearer(op)) return "admin's refresh cookie";
  return SPENDS_CALLER.has(op.key) ? 'throwaway user' : 'admin';
}

/** Hint names a value may take, by where it is and what it is called. */
export function hintsFor(op: SpecOperation): HintSource {
  const signedIn = op.security.length > 0;
  return (where, name) => {
    if (where === 'path') {
      const kind = resourceOf(op, name);
      switch (kind) {
        case 'session':
          return ['session.own'];
        case 'token':
          return ['token.own'];
        case 'user':
          return ['user.id'];
        case 'username':
          return ['user.username'];
        case 'role':
          return ['role.id'];
        case 'avatar':
          return ['avatar.key'];
        case 'job':
          return ['job.id'];
        case 'post':
          return ['post.id'];
        case 'revision':
          return ['revision.id'];
        case 'category':
          return ['category.id'];
        case 'tag':
          // `GET /tags/{id}` takes a slug too.
          return op.method === 'GET' ? ['tag.id', 'tag.slug'] : ['tag.id'];
        case 'comment':
          return ['comment.id'];
        case 'media':
          return ['media.id'];
        case 'mediaFile':
          return ['media.key'];
        case 'export':
          return ['export.id'];
        case 'queue':
          return [];
        case undefined:
          throw new Error(
            `no fixture for {${name}} of ${op.key}: teach resourceOf (test/support/openapi-requests.ts) its collection`,
          );
      }
    }
    if (where === 'body') {
      if (name === 'login') return ['login.username', 'login.email'];
      if (name === 'password' || name === 'currentPassword') return signedIn ? ['actor.password'] : ['login.password'];
      if (name === 'email' && !signedIn) return ['login.email'];
      if (name === 'refreshToken') return ['actor.refreshToken'];
      if (name === 'roleId') return ['role.id'];
      // Real categories and tags most of the time (a random id is a 400 UNKNOWN_… or a 404).
      if (name === 'categoryId' || name === 'parentId') return ['category.id'];
      if (name === 'intoId') return ['tag.id'];
      if (name === 'coverMediaId') return ['media.id'];
      if (name === 'file') return ['image.png'];
    }
    if (where === 'query' && name === 'actor') return ['user.id'];
    // A real username most of the time (the feeds answer 404 to an unknown author).
    if (where === 'query' && name === 'author') return ['user.username'];
    if (where === 'query' && name === 'moveTo') return ['category.id'];
    if (where === 'query' && name === 'cursor') return ['list.cursor'];
    return [];
  };
}

interface Sender {
  kind: ActorKind;
  actor?: Actor;
}

export class FuzzWorld {
  private readonly helpers: ReturnType<typeof actors>;
  private readonly call: ReturnType<typeof actors>['call'];
  admin!: Actor;
  /** Signs in in login hints; never an admin, so wrong guesses lock nobody who matters. */
  loginTarget!: Actor;
  /** The other user: target of /users/{id}, /profiles/{username}; has an avatar. */
  victim!: Actor;
  private throwaway?: Actor;
  private roleId!: string;
  private postId!: string;
  private categoryId?: string;
  private tagId?: string;
  private commentId?: string;
  private media?: { id: string; key: string };
  private avatarKey!: string;
  private png!: Buffer;
  /** Requests the fixtures sent (not fuzzed ones). */
  fixtureRequests = 0;
  /** Sessions of the admin signed in again after a fuzzed request ended them: op → count. */
  readonly resignIns = new Map<string, number>();

  constructor(private readonly ref: AppRef) {
    // The fixtures' requests go through an app that counts them (the fuzzed ones do not).
    const counted = (): NestFastifyApplication =>
      new Proxy(appOf(ref), {
        get: (target, property) => {
          const value = Reflect.get(target, property, target) as unknown;
          if (property === 'inject') this.fixtureRequests += 1;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    this.helpers = actors(counted);
    this.call = this.helpers.call;
  }

  private get app(): NestFastifyApplication {
    return appOf(this.ref);
  }

  async setup(): Promise<void> {
    this.admin = await this.helpers.asAdmin();
    this.loginTarget = await this.helpers.signedIn();
    this.victim = await this.helpers.signedIn();
    this.roleId = await this.newRole();
    this.postId = await this.newPost();
    this.png = await rgb(8, 8, () => RED)
      .png()
      .toBuffer();
    const avatar = await this.call('PUT', '/api/v1/me/avatar', {
      token: this.victim.token,
      multipart: [{ name: 'file', data: this.png, filename: 'a.png', contentType: 'image/png' }],
    });
    this.avatarKey = avatar.json<{ data: { avatarUrl: string } }>().data.avatarUrl.split('/').pop() ?? '';
  }

  private async newRole(): Promise<string> {
    const res = await this.call('POST', '/api/v1/roles', { token: this.admin.token, body: newRole([]) });
    if (res.statusCode !== 201) throw new Error(`fixture role: ${res.statusCode} ${res.body}`);
    return res.json<{ data: { id: string } }>().data.id;
  }

  /** A published post of the admin's. */
  private async newPost(): Promise<string> {
    const res = await this.call('POST', '/api/v1/posts', {
      token: this.admin.token,
      body: { title: 'Fuzz fixture', body: 'A post the fuzzer reads, edits and publishes.' },
    });
    if (res.statusCode !== 201) throw new Error(`fixture post: ${res.statusCode} ${res.body}`);
    const id = res.json<{ data: { id: string } }>().data.id;
    await this.call('POST', `/api/v1/posts/${id}/publish`, { token: this.admin.token });
    return id;
  }

  /** A comment of the admin's on a fresh published post (the fuzzer may have unpublished the shared one). */
  private async newComment(): Promise<string> {
    const res = await this.call('POST', `/api/v1/posts/${await this.newPost()}/comments`, {
      token: this.admin.token,
      body: { body: 'A comment the fuzzer reads, edits and moderates.' },
    });
    if (res.statusCode !== 201) throw new Error(`fixture comment: ${res.statusCode} ${res.body}`);
    return res.json<{ data: { id: string } }>().data.id;
  }

  /** An image of the admin's media library: its id and the key of one stored variant. */
  private async newMedia(): Promise<{ id: string; key: string }> {
    const res = await this.call('POST', '/api/v1/media', {
      token: this.admin.token,
      multipart: [{ name: 'file', data: this.png, filename: 'a.png', contentType: 'image/png' }],
    });
    if (res.statusCode !== 201) throw new Error(`fixture media: ${res.statusCode} ${res.body}`);
    const data = res.json<{ data: { id: string; url: string } }>().data;
    return { id: data.id, key: data.url.split('/').pop()! };
  }

  /** A category or tag of the admin's (named uniquely: the fuzzer may rename the shared one). */
  private async newTaxon(collection: 'categories' | 'tags'): Promise<string> {
    const res = await this.call('POST', `/api/v1/${collection}`, {
      token: this.admin.token,
      body: { name: `Fuzz fixture ${this.fixtureRequests}` },
    });
    if (res.statusCode !== 201) throw new Error(`fixture ${collection}: ${res.statusCode} ${res.body}`);
    return res.json<{ data: { id: string } }>().data.id;
  }

  private async newUser(): Promise<{ id: string; username: string }> {
    return this.helpers.register({}, { verified: true });
  }

  private async sender(op: SpecOperation): Promise<Sender> {
    const kind = actorKindOf(op);
    switch (kind) {
      case 'anonymous':
        return { kind };
      case "admin's refresh cookie":
        return {
          kind,
          actor: { ...this.admin, ...(await this.helpers.signIn(this.admin.username, this.admin.password)) },
        };
      case 'throwaway user':
        this.throwaway ??= await this.helpers.signedIn();
        return { kind, actor: this.throwaway };
      case 'admin':
        return { kind, actor: this.admin };
    }
  }

  /** The value a hint stands for in a request of `op` sent by `sender`. */
  private async resolve(hint: Hint, op: SpecOperation, sender: Sender, draft: Draft): Promise<string | Buffer> {
    const caller = sender.actor ?? this.admin;
    const spends = op.method === 'DELETE';
    switch (hint.name) {
      case 'actor.password':
        return caller.password;
      case 'actor.refreshToken':
        return Object.values(caller.cookies)[0] ?? '';
      case 'login.username':
        return this.loginTarget.username;
      case 'login.email':
        return this.loginTarget.email;
      case 'login.password':
        return this.loginTarget.password;
      case 'session.own':
        return (await this.helpers.signIn(caller.username, caller.password)).sessionId;
      case 'token.own': {
        const res = await this.call('POST', '/api/v1/me/tokens', {
          token: caller.token,
          body: { name: 'fuzz fixture', scopes: ['profile:read'] },
        });
        return res.statusCode === 201
          ? res.json<{ data: { id: string } }>().data.id
          : '0190f2a4-5b6c-7d8e-9f00-000000000000';
      }
      case 'user.id': {
        if (op.path.endsWith('/restore')) {
          const user = await this.newUser();
          await this.call('DELETE', `/api/v1/users/${user.id}`, { token: this.admin.token });
          return user.id;
        }
        return spends ? (await this.newUser()).id : this.victim.id;
      }
      case 'user.username':
        return this.victim.username;
      case 'role.id':
        return spends ? this.newRole() : this.roleId;
      case 'post.id':
        return spends ? this.newPost() : this.postId;
      case 'category.id':
        return spends ? this.newTaxon('categories') : (this.categoryId ??= await this.newTaxon('categories'));
      case 'comment.id':
        return spends ? this.newComment() : (this.commentId ??= await this.newComment());
      case 'tag.id':
        return spends ? this.newTaxon('tags') : (this.tagId ??= await this.newTaxon('tags'));
      case 'tag.slug': {
        // The shared tag's slug as it is now (the fuzzer renames and deletes tags too).
        const tag = await this.call('GET', `/api/v1/tags/${(this.tagId ??= await this.newTaxon('tags'))}`);
        return tag.statusCode === 200 ? tag.json<{ data: { slug: string } }>().data.slug : 'no-such-tag';
      }
      case 'media.id':
        return spends ? (await this.newMedia()).id : (this.media ??= await this.newMedia()).id;
      case 'export.id': {
        const res = await this.call('POST', '/api/v1/me/exports', { token: caller.token });
        return res.statusCode === 202
          ? res.json<{ data: { id: string } }>().data.id
          : '0190a000-0000-7000-8000-000000000000';
      }
      case 'media.key':
        return (this.media ??= await this.newMedia()).key;
      case 'revision.id': {
        // A revision of the post in the same path (filled in before it), else of the fixture post.
        const postId = typeof draft.path.id === 'string' ? draft.path.id : this.postId;
        const revisions = await this.call('GET', `/api/v1/posts/${encodeURIComponent(postId)}/revisions`, {
          token: this.admin.token,
          outsideContract: 'a fixture look-up: the post id may be a fuzzed one',
        });
        const first =
          revisions.statusCode === 200 ? revisions.json<{ data: Array<{ id: string }> }>().data[0] : undefined;
        return first?.id ?? '0190f2a4-5b6c-7d8e-9f00-000000000000';
      }
      case 'avatar.key':
        return this.avatarKey;
      case 'job.id': {
        const queue = typeof draft.path.name === 'string' ? draft.path.name : 'mail';
        const jobs = await this.call('GET', `/api/v1/admin/queues/${encodeURIComponent(queue)}/jobs`, {
          token: this.admin.token,
          query: { state: 'waiting' },
          outsideContract: 'a fixture look-up: the queue name may be a fuzzed one',
        });
        const first = jobs.statusCode === 200 ? jobs.json<{ data: Array<{ id: string }> }>().data[0] : undefined;
        return first?.id ?? '1';
      }
      case 'image.png':
        return this.png;
      case 'list.cursor': {
        // A real cursor: the next-page cursor of a one-item page of the same list.
        if (op.path.includes('{')) return 'x';
        const page = await this.call('GET', op.path, {
          token: caller.token,
          query: { limit: 1 },
          outsideContract: 'a fixture look-up: the list may refuse cursor paging',
        });
        return page.json<{ meta?: { cursor?: { next?: string | null } } }>().meta?.cursor?.next ?? 'x';
      }
      default:
        throw new Error(`unknown hint ${hint.name}`);
    }
  }

  private async resolveDeep(value: unknown, op: SpecOperation, sender: Sender, draft: Draft): Promise<unknown> {
    if (value instanceof Hint) {
      const resolved = await this.resolve(value, op, sender, draft);
      return Buffer.isBuffer(resolved) ? resolved.toString('base64') : resolved;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) out.push(await this.resolveDeep(item, op, sender, draft));
      return out;
    }
    const prototype: unknown = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (prototype === Object.prototype || prototype === null) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value as object)) {
        Object.defineProperty(out, key, {
          value: await this.resolveDeep((value as Record<string, unknown>)[key], op, sender, draft),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  }

  /** Fills the draft in and sends it; then puts the fuzzing actors back in shape. */
  async send(op: SpecOperation, draft: Draft): Promise<{ sent: Sent; res: InjectResponse }> {
    const sender = await this.sender(op);
    const text = async (v: string | Hint): Promise<string> =>
      v instanceof Hint ? String(await this.resolve(v, op, sender, draft)) : v;
    const pathValues: Record<string, string> = {};
    for (const [name, value] of Object.entries(draft.path)) pathValues[name] = await text(value);
    const queryValues: Record<string, string> = {};
    for (const [name, value] of Object.entries(draft.query)) queryValues[name] = await text(value);
    const search = new URLSearchParams(queryValues).toString();
    const url = `${fillPath(op.path, pathValues)}${search ? `?${search}` : ''}`;

    const headers: Record<string, string> = { ...draft.headers };
    if (sender.actor && isBearer(op)) headers.authorization = `Bearer ${sender.actor.token}`;
    if (sender.actor && !isBearer(op)) {
      headers.cookie = Object.entries(sender.actor.cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
    }
    const sent: Sent = {
      method: op.method,
      url,
      headers,
      pathValues,
      queryValues,
      headerValues: { ...draft.headers },
      as: sender.kind,
    };
    const body = draft.body;
    if (body.kind === 'json') {
      sent.text = jsonText(await this.resolveDeep(body.value, op, sender, draft));
      sent.contentType = 'application/json';
    } else if (body.kind === 'text') {
      sent.text = body.text;
      sent.contentType = body.contentType;
    } else if (body.kind === 'multipart') {
      const parts = [];
      const fields: Record<string, unknown> = {};
      for (const part of body.parts) {
        const data = part.data instanceof Hint ? await this.resolve(part.data, op, sender, draft) : part.data;
        const bytes = typeof data === 'string' ? data : Buffer.from(data);
        parts.push({ ...part, data: bytes });
        const asText = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
        fields[part.name] = part.name in fields ? [fields[part.name], asText].flat() : asText;
      }
      const form = multipart(parts);
      sent.payload = form.body;
      sent.contentType = form.contentType;
      sent.multipartFields = fields;
    }
    if (sent.text !== undefined) sent.payload = sent.text;
    if (sent.contentType) headers['content-type'] = sent.contentType;

    const res = await this.app.inject({
      method: op.method,
      url,
      headers,
      ...(sent.payload === undefined ? {} : { payload: sent.payload }),
    });
    await this.afterwards(op, sender, res);
    return { sent, res };
  }

  /** Whether an access token still signs its owner in. */
  private async works(token: string): Promise<boolean> {
    return (await this.call('GET', '/api/v1/auth/me', { token })).statusCode === 200;
  }

  private async afterwards(op: SpecOperation, sender: Sender, res: InjectResponse): Promise<void> {
    const wrote = res.statusCode < 300 && op.method !== 'GET';
    if (sender.kind === 'throwaway user' && wrote) this.throwaway = undefined;
    if (sender.kind !== 'admin' || !(wrote || res.statusCode === 401)) return;
    if (await this.works(this.admin.token)) return;
    this.resignIns.set(op.key, (this.resignIns.get(op.key) ?? 0) + 1);
    const again = await this.helpers.login(this.admin.username, this.admin.password);
    if (again.statusCode === 200) {
      this.admin = { ...this.admin, ...(await this.helpers.signIn(this.admin.username, this.admin.password)) };
    } else {
      // The account itself is gone or locked: carry on with a new administrator (the summary says so).
      this.admin = await this.helpers.asAdmin();
      this.resignIns.set(`${op.key} (a new admin: ${again.statusCode})`, 1);
    }
  }

  /** How to send the same request again by hand. */
  describe(sent: Sent): string {
    const lines = [`${sent.method} ${sent.url}`, `# as ${sent.as}`];
    if (sent.contentType) lines.push(`content-type: ${sent.contentType}`);
    for (const [name, value] of Object.entries(sent.headerValues)) lines.push(`${name}: ${value}`);
    if (sent.text !== undefined)
      lines.push(
        '',
        sent.text.length > 800 ? `${sent.text.slice(0, 800)}… (${sent.text.length} characters)` : sent.text,
      );
    else if (sent.multipartFields) {
      lines.push('', `multipart fields: ${Object.keys(sent.multipartFields).join(', ') || '(none)'}`);
    }
    return lines.join('\n');
  }
}
