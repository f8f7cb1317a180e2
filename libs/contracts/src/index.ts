export * from './error-codes';
export * from './runtime';
export * from './jobs';
export * from './auth';
export * from './permissions';
export * from './preferences';
export * from './devices';
