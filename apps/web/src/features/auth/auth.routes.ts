// The auth route group, loaded on demand (one chunk): only src/app/routes.tsx imports this, lazily.
export { ConfirmEmailChangePage } from './ConfirmEmailChangePage';
export { ForgotPasswordPage } from './ForgotPasswordPage';
export { ResetPasswordPage } from './ResetPasswordPage';
export { SignInPage } from './SignInPage';
export { SignUpPage } from './SignUpPage';
export { VerifyEmailPage } from './VerifyEmailPage';
