import type { LinkVariable, MailTemplate } from '../mail.types';

/**
 * The Handlebars sources of one template. `subject`, `preheader` and `text` are rendered as plain
 * text (no HTML escaping); `html` is the body placed into the shared HTML layout and escapes
 * every `{{variable}}`. Helpers: `{{datetime isoString}}`, `{{plural count "hour"}}`, and the
 * `{{> button url=… label="…"}}` partial for the call to action.
 */
export interface MailTemplateSource<T extends MailTemplate> {
  readonly subject: string;
  /** The preview line mail clients show next to the subject. */
  readonly preheader: string;
  readonly html: string;
  readonly text: string;
  /** Why the recipient got this mail, shown in the footer. Static text. */
  readonly reason: string;
  /** Variables holding links, call to action first; each must be an absolute URL below APP_URL. */
  readonly links: readonly LinkVariable<T>[];
}
