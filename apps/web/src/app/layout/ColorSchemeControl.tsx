import { type MantineColorScheme, SegmentedControl, useMantineColorScheme, VisuallyHidden } from '@mantine/core';

import { MoonIcon, SunIcon, SystemIcon } from '../../components/ui/icons';
import { notifyFailure } from '../../components/ui/notify';
import { usePreferences, useSavePreferences } from '../../features/settings';
import classes from './AppLayout.module.css';

const SCHEMES: { value: MantineColorScheme; label: string; Icon: typeof SunIcon }[] = [
  { value: 'light', label: 'Light', Icon: SunIcon },
  { value: 'dark', label: 'Dark', Icon: MoonIcon },
  { value: 'auto', label: 'System', Icon: SystemIcon },
];

interface ColorSchemeControlProps {
  /** Names beside the icons (the menu has room for them); otherwise the names are for screen readers only. */
  withLabels?: boolean;
  /** The id of a visible label; without one the group is named "Colour scheme". */
  labelledBy?: string;
}

/**
 * Light, dark or the system's: three radio buttons. The choice applies at once and is kept on this
 * device (Mantine's colour-scheme manager); signed in, it is also saved with the account's display
 * settings, which ApplyPreferences applies on every device.
 */
export function ColorSchemeControl({ withLabels = false, labelledBy }: ColorSchemeControlProps) {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const preferences = usePreferences();
  const save = useSavePreferences({
    onError: () =>
      notifyFailure(
        'Colour scheme not saved',
        'It applies on this device; your other devices keep the one saved before.',
      ),
  });

  const onChange = (value: string) => {
    const scheme = SCHEMES.find((option) => option.value === value)?.value;
    if (!scheme) return;
    setColorScheme(scheme);
    if (preferences) save.mutate({ ...preferences, colorScheme: scheme });
  };

  return (
    <SegmentedControl
      aria-label={labelledBy ? undefined : 'Colour scheme'}
      aria-labelledby={labelledBy}
      size="xs"
      value={colorScheme}
      onChange={onChange}
      fullWidth={withLabels}
      data={SCHEMES.map(({ value, label, Icon }) => ({
        value,
        label: (
          <span className={classes.schemeLabel} title={withLabels ? undefined : label}>
            <Icon size={16} />
            {withLabels ? <span>{label}</span> : <VisuallyHidden>{label}</VisuallyHidden>}
          </span>
        ),
      }))}
    />
  );
}
