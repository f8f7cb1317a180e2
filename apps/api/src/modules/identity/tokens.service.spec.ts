import { JwtService } from '@nestjs/jwt';
import { KeyObject, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '../../config/app-config';
import { jwtModuleOptions, TokensService } from './tokens.service';

const config = {
  jwtAccessSecret: 'a-test-secret-of-enough-length-for-hs256-0123456789',
  auth: { accessTtlSeconds: 900 },
} as AppConfig;

describe('access tokens', () => {
  const tokens = new TokensService(new JwtService(jwtModuleOptions(config)), config);

  it('verifies with a key prepared once, not the secret string parsed again on every check', () => {
    const { secret } = jwtModuleOptions(config);
    expect(secret).toBeInstanceOf(KeyObject);
    expect((secret as KeyObject).type).toBe('secret');
  });

  it('issues HS256 tokens that the secret itself verifies (the same tokens as before the change)', async () => {
    const userId = randomUUID();
    const sessionId = randomUUID();
    const { token } = await tokens.signAccess(userId, sessionId);
    const claims = jwt.verify(token, config.jwtAccessSecret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.sub).toBe(userId);
    await expect(tokens.verifyAccess(token)).resolves.toMatchObject({ sub: userId, sid: sessionId });
  });

  it('refuses a token signed with another key and one whose signature was altered', async () => {
    const forged = jwt.sign({ sid: randomUUID(), typ: 'access' }, 'another-secret-of-enough-length-0123456789', {
      algorithm: 'HS256',
      subject: randomUUID(),
      jwtid: randomUUID(),
      issuer: 'atrium',
      audience: 'atrium-api',
    });
    await expect(tokens.verifyAccess(forged)).rejects.toMatchObject({ status: 401 });
    const { token } = await tokens.signAccess(randomUUID(), randomUUID());
    const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    await expect(tokens.verifyAccess(altered)).rejects.toMatchObject({ status: 401 });
  });
});
