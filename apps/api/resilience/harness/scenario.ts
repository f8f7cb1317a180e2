import { Atrium, type AtriumOptions } from './atrium';

/** How long starting the installation may take (initdb, migrations, three Node processes). */
const START_TIMEOUT_MS = 120_000;

/**
 * One installation for the scenarios of a describe block: started before them, healed (every
 * process and server back up) before each, stopped and removed after them, whatever happened.
 */
export function useAtrium(options: AtriumOptions): () => Atrium {
  let atrium: Atrium | undefined;
  beforeAll(async () => {
    atrium = await Atrium.start(options);
  }, START_TIMEOUT_MS);
  beforeEach(async () => {
    await atrium?.heal();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await atrium?.stop();
  }, START_TIMEOUT_MS);
  return () => {
    if (!atrium) throw new Error('the installation did not start (see the error of beforeAll)');
    return atrium;
  };
}

/**
 * A scenario: `it` with the installation, whose failure message ends with the errors the
 * processes logged while it ran (a 500's cause is in the API's log, not in its answer).
 */
export function scenario(
  title: string,
  atrium: () => Atrium,
  body: (atrium: Atrium) => Promise<void>,
  timeoutMs?: number,
): void {
  it(
    title,
    async () => {
      const h = atrium();
      const marks = h.logMarks();
      try {
        await body(h);
      } catch (error) {
        const logged = h.errorsLoggedSince(marks);
        if (error instanceof Error && logged) error.message += `\n\nLogged meanwhile (errors, last few):\n${logged}`;
        throw error;
      }
    },
    timeoutMs,
  );
}
