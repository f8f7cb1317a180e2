import { Injectable, Logger } from '@nestjs/common';
import { Errors } from '../../common/http/errors';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { FirstAdminService } from '../authorization/first-admin';
import type { SignedIn } from '../identity/sign-in-responses';
import { SignInService } from '../identity/sign-in.service';
import { SystemService } from '../system/system.service';
import { hashSetupCode, matchesSetupCode, newSetupCode } from './setup-codes';
import type { SetupDto, SetupStatusDto } from './setup.dto';

/** The SPA's page for first-run setup (APP_URL + this path). */
export const SETUP_PAGE = '/setup';

/**
 * First-run setup: while no active admin exists, `POST /setup` creates the first one through the
 * same path as ADMIN_EMAIL and the CLI (FirstAdminService: advisory lock, audit, email verified)
 * and signs them in. In production it also takes a one-time code that only the start-up log
 * shows, so whoever reaches the site first cannot claim it; elsewhere (embedded mode, development)
 * the instance is someone's own machine and no code is asked (docs/DECISIONS.md, "First-run setup").
 */
@Injectable()
export class SetupService {
  private readonly logger = new Logger('Setup');

  constructor(
    private readonly firstAdmin: FirstAdminService,
    private readonly system: SystemService,
    private readonly signIn: SignInService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  get codeRequired(): boolean {
    return this.config.nodeEnv === 'production';
  }

  async status(): Promise<SetupStatusDto> {
    return { required: !(await this.firstAdmin.adminExists()), codeRequired: this.codeRequired };
  }

  /** Creates the first admin and signs them in; 409 once an admin exists, 403 without the right code. */
  async setUp(input: SetupDto): Promise<SignedIn> {
    if (await this.firstAdmin.adminExists()) throw alreadySetUp();
    if (this.codeRequired && !matchesSetupCode(input.code ?? '', await this.system.setupCodeHashes())) {
      this.logger.warn('First-run setup refused: the setup code was missing or wrong');
      throw Errors.forbidden('The setup code is missing or wrong: copy it from the server log');
    }
    // Shown on every page: no line breaks or escapes, and blank means none.
    const siteName = input.siteName?.replace(/\p{Cc}+/gu, ' ').trim() || null;
    const claimed = await this.firstAdmin.claim(
      { email: input.email, username: input.username, password: input.password },
      'setup',
      async () => {
        if (siteName !== null) await this.system.setSiteName(siteName);
        // One-time: every pending code is spent with the setup it allowed.
        await this.system.clearSetupCodeHashes();
      },
    );
    // Another setup (or ADMIN_EMAIL, or the CLI) got there first.
    if (!claimed) throw alreadySetUp();
    this.logger.log(`First admin ${input.email} created by first-run setup`);
    return this.signIn.login({ login: input.email, password: input.password });
  }

  /** A new one-time setup code: its hash joins the pending ones, the code itself is only returned. */
  async issueCode(): Promise<string> {
    const code = newSetupCode();
    await this.system.addSetupCodeHash(hashSetupCode(code));
    return code;
  }

  /**
   * The start-up log line while no admin exists: where to go (APP_URL/setup) and, in production,
   * a fresh one-time code to enter there.
   */
  async announce(): Promise<void> {
    if (await this.firstAdmin.adminExists()) return;
    const url = `${this.config.appUrl.replace(/\/+$/, '')}${SETUP_PAGE}`;
    if (this.codeRequired) {
      const code = await this.issueCode();
      this.logger.warn(
        `No admin account yet: open ${url} and enter the one-time setup code ${code} to create the first one ` +
          `(a new code at every start until setup is done; or set ADMIN_EMAIL and ADMIN_PASSWORD)`,
      );
    } else {
      this.logger.warn(
        `No admin account yet: open ${url} to create the first one ` +
          `(or: npm run cli -- create-admin --email <address> --username <name>, with the server stopped in embedded mode)`,
      );
    }
  }
}

const alreadySetUp = () => Errors.conflict('This site is set up already: sign in instead');
