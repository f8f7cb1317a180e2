export * from './auth-user';
export * from './auth.decorators';
export * from './auth.guard';
export * from './require-permissions.decorator';
