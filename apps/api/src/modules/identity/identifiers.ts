/** How email addresses and usernames are compared (unique indexes hold the normalized forms). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();
