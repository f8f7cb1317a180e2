/**
 * Thrown by a processor when retrying cannot help (a rejected recipient, a payload that no longer
 * makes sense): the job goes straight to `failed` with this reason instead of using its attempts.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
