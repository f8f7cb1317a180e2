// Date and time pickers (publishing schedules, filters). Import them from here, never from the
// package: their styles come along, and only chunks that use a picker load them. Settings such
// as the first day of the week come from the DatesProvider in app/AppProviders.tsx.
import '@mantine/dates/styles.css';

export { DateInput, DatePickerInput, DateTimePicker, MonthPickerInput, TimeInput } from '@mantine/dates';
export type { DateInputProps, DatePickerInputProps, DateTimePickerProps } from '@mantine/dates';
