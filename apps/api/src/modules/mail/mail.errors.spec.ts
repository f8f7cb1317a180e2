import { isPermanentMailError } from './mail.errors';
import { InvalidMailError } from './mail.types';

/** Shaped like the errors nodemailer rejects with. */
function smtpError(code: string, responseCode?: number): Error {
  return Object.assign(new Error(`${code} ${responseCode ?? ''}`), { code, responseCode });
}

describe('isPermanentMailError', () => {
  it.each([
    ['a 550 "no such user" for the recipient', smtpError('EENVELOPE', 550)],
    ['a 554 rejection of the message', smtpError('EMESSAGE', 554)],
    ['a 552 "message too large"', smtpError('EMESSAGE', 552)],
    ['a recipient nodemailer refused before sending', smtpError('EENVELOPE')],
    ['a message that cannot be rendered', new InvalidMailError('Unknown mail template "x"')],
  ])('gives up on %s', (_, error) => {
    expect(isPermanentMailError(error)).toBe(true);
  });

  it.each([
    ['a 451 "try again later"', smtpError('EENVELOPE', 451)],
    ['a 421 "service not available"', smtpError('EPROTOCOL', 421)],
    ['a 503 "bad sequence of commands"', smtpError('EPROTOCOL', 503)],
    ['a refused connection', smtpError('ESOCKET')],
    ['a timeout', smtpError('ETIMEDOUT')],
    ['a 535 authentication failure, which heals once the credentials are fixed', smtpError('EAUTH', 535)],
    ['an unknown error', new Error('boom')],
    ['something that is not an error', 'boom'],
    ['nothing', undefined],
  ])('retries %s', (_, error) => {
    expect(isPermanentMailError(error)).toBe(false);
  });
});
