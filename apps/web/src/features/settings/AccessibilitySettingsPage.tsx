import {
  type ColorSchemePreference,
  DENSITIES,
  type Density,
  type FontScale,
  MAX_READING_LEVELS,
  type MaxReadingLevel,
  type UserPreferences,
} from '@atrium/contracts';
import {
  Anchor,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Text,
  Title,
  useMantineColorScheme,
} from '@mantine/core';
import { Link, Navigate } from 'react-router';

import { paths } from '../../app/paths';
import { FormProblemAlert } from '../../components/ui/FormErrorAlert';
import { notifySuccess } from '../../components/ui/notify';
import { PageLoader } from '../../components/ui/PageLoader';
import { showApiErrors, splitApiError, submitWith, useAppForm } from '../../lib/forms';
import { writeLocalPreferences } from '../../lib/preferences';
import { useAuth } from '../auth';
import { SettingsSection } from './components/SettingsSection';
import { useEffectivePreferences, useSavePreferences } from './preferences';

const COLOR_SCHEME_LABELS: Record<ColorSchemePreference, string> = {
  light: 'Light',
  dark: 'Dark',
  auto: 'System (as this device is set)',
};

const FONT_SCALE_LABELS: Record<FontScale, string> = {
  1: 'Standard',
  1.125: 'Large',
  1.25: 'Larger',
  1.5: 'Largest',
};

const DENSITY_LABELS: Record<Density, { label: string; description: string }> = {
  compact: { label: 'Compact', description: 'Less space between things: more fits on the screen.' },
  comfortable: { label: 'Comfortable', description: 'The standard spacing.' },
  spacious: { label: 'Spacious', description: 'More space between lines of a list and around controls.' },
};

const readingLevelLabel = (level: MaxReadingLevel) =>
  level === null ? 'No limit: show every post' : `Grade ${level} or easier`;

/** Radio groups and selects hold strings; the form holds them until they are saved. */
type Values = {
  colorScheme: ColorSchemePreference;
  highContrast: boolean;
  density: Density;
  reduceMotion: boolean;
  fontScale: string;
  maxReadingLevel: string;
};
type Field = keyof Values;
/** The API names a rejected preference `preferences.<key>` (libs/contracts preferencesViolations). */
const API_FIELDS: Record<string, Field> = {
  'preferences.colorScheme': 'colorScheme',
  'preferences.highContrast': 'highContrast',
  'preferences.density': 'density',
  'preferences.reduceMotion': 'reduceMotion',
  'preferences.fontScale': 'fontScale',
  'preferences.maxReadingLevel': 'maxReadingLevel',
};

const toValues = (preferences: UserPreferences, colorScheme: ColorSchemePreference): Values => ({
  colorScheme,
  highContrast: preferences.highContrast,
  density: preferences.density,
  reduceMotion: preferences.reduceMotion,
  fontScale: String(preferences.fontScale),
  maxReadingLevel: preferences.maxReadingLevel === null ? '' : String(preferences.maxReadingLevel),
});

const fromValues = (values: Values): UserPreferences => ({
  colorScheme: values.colorScheme,
  highContrast: values.highContrast,
  density: values.density,
  reduceMotion: values.reduceMotion,
  fontScale: Number(values.fontScale) as FontScale,
  maxReadingLevel: values.maxReadingLevel ? (Number(values.maxReadingLevel) as MaxReadingLevel) : null,
});

/**
 * Accessibility and display: colour scheme, high contrast, density, reduced motion, text size and
 * the highest reading level of the feed. Signed in, saved with the account (every device);
 * signed out, kept on this device. Either way they apply on every page, from the first paint.
 */
export function AccessibilitySettingsPage() {
  const { user } = useAuth();
  const preferences = useEffectivePreferences();
  const { colorScheme } = useMantineColorScheme();
  return (
    <Stack gap="xl">
      <title>Accessibility settings · Atrium</title>
      <div>
        <Title order={1}>Accessibility</Title>
        <Text mt={4}>
          {user
            ? 'How Atrium looks and reads for you, on every device you sign in on.'
            : 'How Atrium looks and reads for you. Kept on this device; sign in to keep them with your account.'}
        </Text>
      </div>
      {/* Keyed by what applies: a change made elsewhere (the header's colour toggle, another tab) shows here. */}
      <PreferencesForm
        key={`${user?.id ?? 'visitor'}:${JSON.stringify(preferences)}:${colorScheme}`}
        preferences={preferences}
        colorScheme={colorScheme}
        signedIn={Boolean(user)}
      />
    </Stack>
  );
}

/**
 * The page for visitors (`/accessibility`, linked from the footer): a signed-in user goes to the
 * settings' own tab, where the same form saves with the account.
 */
export function PublicAccessibilityPage() {
  const { status, user } = useAuth();
  if (status === 'restoring') return <PageLoader />;
  if (user) return <Navigate to={paths.settings.accessibility} replace />;
  return <AccessibilitySettingsPage />;
}

function PreferencesForm({
  preferences,
  colorScheme,
  signedIn,
}: {
  preferences: UserPreferences;
  colorScheme: ColorSchemePreference;
  signedIn: boolean;
}) {
  const { setColorScheme } = useMantineColorScheme();
  const form = useAppForm<Values>('accessibility', { initialValues: toValues(preferences, colorScheme) });
  const save = useSavePreferences({
    onSuccess: () => notifySuccess('Accessibility settings saved to your account.'),
    onError: (error) => showApiErrors(form, error, API_FIELDS),
  });

  const onSubmit = submitWith(form, (values) => {
    if (save.isPending) return;
    const next = fromValues(values);
    setColorScheme(next.colorScheme);
    if (signedIn) {
      save.mutate(next);
    } else {
      writeLocalPreferences(next);
      notifySuccess('Accessibility settings saved on this device.');
    }
  });
  const split = save.isError ? splitApiError(save.error, API_FIELDS) : undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Accessibility and display">
      <Stack gap="xl">
        <FormProblemAlert title="Could not save the settings" error={save.error} problem={split} />
        <SettingsSection title="Colours">
          <Stack gap="lg" maw={560}>
            <Radio.Group {...form.getInputProps('colorScheme')} aria-invalid={undefined} label="Colour scheme">
              <Stack gap="xs" mt="xs">
                {Object.entries(COLOR_SCHEME_LABELS).map(([value, label]) => (
                  <Radio key={value} value={value} label={label} />
                ))}
              </Stack>
            </Radio.Group>
            <Checkbox
              {...form.getInputProps('highContrast', { type: 'checkbox' })}
              label="High contrast"
              description="Black and white text, darker borders, underlined links and a thicker focus outline, in the light and the dark scheme."
            />
          </Stack>
        </SettingsSection>
        <SettingsSection title="Text and spacing">
          <Stack gap="lg" maw={560}>
            <Radio.Group
              {...form.getInputProps('fontScale')}
              aria-invalid={undefined}
              label="Text size"
              description="Text, and the space around it, grows on every page."
            >
              <Group gap="lg" mt="xs">
                {Object.entries(FONT_SCALE_LABELS).map(([value, label]) => (
                  <Radio key={value} value={value} label={label} />
                ))}
              </Group>
            </Radio.Group>
            <Radio.Group {...form.getInputProps('density')} aria-invalid={undefined} label="Density">
              <Stack gap="xs" mt="xs">
                {DENSITIES.map((value) => (
                  <Radio
                    key={value}
                    value={value}
                    label={DENSITY_LABELS[value].label}
                    description={DENSITY_LABELS[value].description}
                  />
                ))}
              </Stack>
            </Radio.Group>
          </Stack>
        </SettingsSection>
        <SettingsSection title="Motion">
          <Checkbox
            {...form.getInputProps('reduceMotion', { type: 'checkbox' })}
            label="Reduce motion"
            description="No animations or sliding transitions, whatever this device is set to."
          />
        </SettingsSection>
        <SettingsSection title="Reading">
          <NativeSelect
            {...form.getInputProps('maxReadingLevel')}
            label="Highest reading level in the feed"
            description="The list of posts shows posts up to this level unless you choose another level there. Levels are US school grades."
            data={MAX_READING_LEVELS.map((level) => ({
              value: level === null ? '' : String(level),
              label: readingLevelLabel(level),
            }))}
            maw={360}
          />
          <Text size="sm" mt="sm">
            <Anchor component={Link} to={paths.posts}>
              Go to the posts
            </Anchor>
          </Text>
        </SettingsSection>
        <div>
          <Button type="submit" loading={save.isPending}>
            Save accessibility settings
          </Button>
        </div>
      </Stack>
    </form>
  );
}
