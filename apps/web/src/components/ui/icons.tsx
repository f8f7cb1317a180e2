import type { IconProps as TablerIconProps, TablerIcon } from '@tabler/icons-react';
// One module per icon: the package's index lists thousands, which the dev server and tests would load.
import IconAlertTriangle from '@tabler/icons-react/icons/IconAlertTriangle';
import IconCheck from '@tabler/icons-react/icons/IconCheck';
import IconChevronDown from '@tabler/icons-react/icons/IconChevronDown';
import IconCopy from '@tabler/icons-react/icons/IconCopy';
import IconDeviceDesktop from '@tabler/icons-react/icons/IconDeviceDesktop';
import IconExternalLink from '@tabler/icons-react/icons/IconExternalLink';
import IconLogout from '@tabler/icons-react/icons/IconLogout';
import IconMinus from '@tabler/icons-react/icons/IconMinus';
import IconMoon from '@tabler/icons-react/icons/IconMoon';
import IconRefresh from '@tabler/icons-react/icons/IconRefresh';
import IconSettings from '@tabler/icons-react/icons/IconSettings';
import IconSun from '@tabler/icons-react/icons/IconSun';
import IconUser from '@tabler/icons-react/icons/IconUser';
import IconX from '@tabler/icons-react/icons/IconX';

/**
 * The app's icons (Tabler, 24×24 stroke). Each is decorative and always paired with visible
 * text, so hidden from assistive tech; take icons from here rather than from the package.
 */
export type IconProps = Omit<TablerIconProps, 'ref'>;

function decorative(Icon: TablerIcon) {
  const Decorative = (props: IconProps) => <Icon size={16} aria-hidden="true" focusable="false" {...props} />;
  Decorative.displayName = Icon.displayName;
  return Decorative;
}

export const CheckIcon = decorative(IconCheck);
export const CrossIcon = decorative(IconX);
export const MinusIcon = decorative(IconMinus);
export const AlertIcon = decorative(IconAlertTriangle);
export const RefreshIcon = decorative(IconRefresh);
export const CopyIcon = decorative(IconCopy);
export const SunIcon = decorative(IconSun);
export const MoonIcon = decorative(IconMoon);
/** "Follow the system" (colour scheme). */
export const SystemIcon = decorative(IconDeviceDesktop);
export const ExternalIcon = decorative(IconExternalLink);
export const ChevronDownIcon = decorative(IconChevronDown);
export const UserIcon = decorative(IconUser);
export const SettingsIcon = decorative(IconSettings);
export const SignOutIcon = decorative(IconLogout);

/** Atrium's mark: the brand, not an icon, so drawn here. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-primary-color-filled)" />
      <path d="M8 24V13l8-6 8 6v11h-5v-7h-6v7z" fill="#fff" />
    </svg>
  );
}
