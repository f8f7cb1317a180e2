export * from './error-codes';
export * from './runtime';
