import { ActionIcon, Group, Tabs, Textarea, type TextareaProps, Tooltip } from '@mantine/core';
// One module per icon, as components/ui/icons.tsx does (the toolbar's own: no other page uses them).
import IconBold from '@tabler/icons-react/icons/IconBold';
import IconCode from '@tabler/icons-react/icons/IconCode';
import IconHeading from '@tabler/icons-react/icons/IconHeading';
import IconItalic from '@tabler/icons-react/icons/IconItalic';
import IconLink from '@tabler/icons-react/icons/IconLink';
import IconList from '@tabler/icons-react/icons/IconList';
import IconPhoto from '@tabler/icons-react/icons/IconPhoto';
import IconQuote from '@tabler/icons-react/icons/IconQuote';
import { notifySuccess } from '../../../components/ui/notify';
import { type KeyboardEvent, useId, useRef, useState } from 'react';

import { type Media, MediaPicker, mediaMarkdown } from '../../media';
import { applyFormat, type FormatKind } from '../markdown-format';
import classes from '../Writing.module.css';
import { LivePreview } from './LivePreview';

const TOOLS: { kind: FormatKind; label: string; Icon: typeof IconBold; key?: string }[] = [
  { kind: 'bold', label: 'Bold', Icon: IconBold, key: 'b' },
  { kind: 'italic', label: 'Italic', Icon: IconItalic, key: 'i' },
  { kind: 'heading', label: 'Heading', Icon: IconHeading },
  { kind: 'link', label: 'Link', Icon: IconLink, key: 'k' },
  { kind: 'list', label: 'Bulleted list', Icon: IconList },
  { kind: 'quote', label: 'Quotation', Icon: IconQuote },
  { kind: 'code', label: 'Code', Icon: IconCode },
  { kind: 'image', label: 'Image', Icon: IconPhoto },
];

interface MarkdownFieldProps {
  value: string;
  onChange: (value: string) => void;
  inputProps: Omit<TextareaProps, 'value' | 'onChange'>;
}

/**
 * The body: Markdown in a textarea with a formatting toolbar acting on the selection (one tab stop,
 * arrow keys move between the buttons), and a live preview of the text on screen as the server
 * renders and cleans it for a save (LivePreview) — never Markdown rendered in the browser.
 */
export function MarkdownField({ value, onChange, inputProps }: MarkdownFieldProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const [tab, setTab] = useState<string | null>('write');
  const id = useId();
  /** The selection when the image picker opened: the image goes there. */
  const [picking, setPicking] = useState<{ start: number; end: number }>();

  const format = (kind: FormatKind) => {
    const element = textarea.current;
    if (!element) return;
    if (kind === 'image') {
      // An image comes from the media library, with its alt text asked for: the picker.
      setPicking({ start: element.selectionStart, end: element.selectionEnd });
      return;
    }
    const next = applyFormat(kind, {
      value,
      selectionStart: element.selectionStart,
      selectionEnd: element.selectionEnd,
    });
    onChange(next.value);
    // Once React has put the new text in, select what is left to type.
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(next.selectionStart, next.selectionEnd);
    });
  };

  /** `![alt](media:<id>)` in place of the selection; the caret after it, in the text again. */
  const insertImage = (media: Media) => {
    const at = picking ?? { start: value.length, end: value.length };
    setPicking(undefined);
    const before = value.slice(0, at.start);
    const after = value.slice(at.end);
    // On a line of its own: a paragraph of its own in the post.
    const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const trail = after === '' || after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
    const inserted = `${lead}${mediaMarkdown(media.altText ?? '', media.id)}${trail}`;
    onChange(before + inserted + after);
    notifySuccess('Image inserted.');
    const caret = before.length + inserted.length - trail.length;
    requestAnimationFrame(() => {
      const element = textarea.current;
      element?.focus();
      element?.setSelectionRange(caret, caret);
    });
  };

  const cancelImage = () => {
    setPicking(undefined);
    // Back to the button that opened it.
    requestAnimationFrame(() => buttons.current[TOOLS.findIndex((tool) => tool.kind === 'image')]?.focus());
  };

  /** Ctrl+B, Ctrl+I and Ctrl+K (⌘ on a Mac) in the text: bold, italic, link. */
  const onTextKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const tool = TOOLS.find((candidate) => candidate.key === event.key.toLowerCase());
    if (!tool) return;
    event.preventDefault();
    format(tool.kind);
  };

  const onToolbarKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      Home: 0,
      End: TOOLS.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + TOOLS.length) % TOOLS.length;
    setActive(next);
    buttons.current[next]?.focus();
  };

  return (
    <Tabs value={tab} onChange={setTab}>
      <Tabs.List aria-label="Body">
        <Tabs.Tab value="write">Write</Tabs.Tab>
        <Tabs.Tab value="preview">Preview</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write" pt="sm">
        <Group
          role="toolbar"
          aria-label="Formatting"
          aria-controls={`${id}-body`}
          gap={4}
          mb={6}
          onKeyDown={onToolbarKey}
        >
          {TOOLS.map(({ kind, label, Icon, key }, index) => (
            <Tooltip key={kind} label={key ? `${label} (Ctrl+${key.toUpperCase()})` : label} withArrow openDelay={400}>
              <ActionIcon
                ref={(element) => {
                  buttons.current[index] = element;
                }}
                variant="default"
                size="lg"
                aria-label={label}
                aria-keyshortcuts={key ? `Control+${key.toUpperCase()} Meta+${key.toUpperCase()}` : undefined}
                aria-haspopup={kind === 'image' ? 'dialog' : undefined}
                tabIndex={index === active ? 0 : -1}
                onFocus={() => setActive(index)}
                onClick={() => format(kind)}
              >
                <Icon size={18} aria-hidden="true" focusable="false" />
              </ActionIcon>
            </Tooltip>
          ))}
        </Group>
        <Textarea
          {...inputProps}
          id={`${id}-body`}
          ref={textarea}
          value={value}
          onChange={(event) => onChange(event.currentTarget.value)}
          onKeyDown={onTextKey}
          autosize
          minRows={12}
          maxRows={40}
          classNames={{ input: classes.markdownInput }}
        />
        <MediaPicker
          opened={picking !== undefined}
          onClose={cancelImage}
          onPick={insertImage}
          purpose="insert"
          returnFocus={false}
        />
      </Tabs.Panel>
      <Tabs.Panel value="preview" pt="sm">
        {/* Mounted only while shown: Mantine keeps a hidden panel in a hidden <Activity>, where effects
            (the preview's wait after typing) do not run, and it would show a rendering of older text. */}
        {tab === 'preview' ? <LivePreview body={value} /> : null}
      </Tabs.Panel>
    </Tabs>
  );
}
