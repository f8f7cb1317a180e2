import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.module';
import { InvalidMailError, isMailTemplate, type MailTemplate, type RenderedMail, type VarsOf } from './mail.types';
import { HTML_BUTTON_PARTIAL, HTML_LAYOUT, TEXT_LAYOUT } from './templates/layout';
import { MAIL_TEMPLATE_SOURCES, type MailTemplateSource } from './templates';

interface CompiledTemplate {
  readonly source: MailTemplateSource<MailTemplate>;
  readonly subject: Handlebars.TemplateDelegate;
  readonly preheader: Handlebars.TemplateDelegate;
  readonly html: Handlebars.TemplateDelegate;
  readonly text: Handlebars.TemplateDelegate;
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });

/**
 * Renders a template and its variables into the subject, HTML and plain-text parts of a mail.
 *
 * Two private Handlebars instances, both `strict` (a missing variable is an error, never a blank):
 * the HTML one escapes every `{{variable}}`; the text one does not escape at all, since
 * `&amp;` in a plain-text mail would be a visible mistake. Templates compile once per renderer.
 */
@Injectable()
export class MailRenderer {
  private readonly htmlEngine = createEngine('html');
  private readonly textEngine = createEngine('text');
  private readonly compiled = new Map<MailTemplate, CompiledTemplate>();
  private readonly appOrigin: string;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.appOrigin = new URL(config.appUrl).origin;
  }

  /**
   * Throws an {@link InvalidMailError} for an unknown template, a missing variable, a value a
   * helper cannot format, or a link that is not an absolute URL below APP_URL.
   */
  render<T extends MailTemplate>(template: T, variables: VarsOf<T>): RenderedMail {
    const compiled = this.compiledTemplate(template);
    const vars = this.checkedVariables(template, compiled.source, variables);
    try {
      const subject = singleLine(compiled.subject(vars));
      const preheader = singleLine(compiled.preheader(vars));
      const data = { mail: { subject, preheader, reason: compiled.source.reason, appUrl: this.config.appUrl } };
      return {
        subject,
        html: compiled.html(vars, { data }),
        text: tidyText(compiled.text(vars, { data })),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InvalidMailError(`Mail template "${template}" could not be rendered: ${reason}`, { cause: error });
    }
  }

  /** The call-to-action link of a mail (its first link variable that is set), for logs. */
  actionLink<T extends MailTemplate>(template: T, variables: VarsOf<T>): string | undefined {
    if (!isMailTemplate(template)) return undefined;
    const vars = variables as Record<string, unknown>;
    for (const name of MAIL_TEMPLATE_SOURCES[template].links as readonly string[]) {
      const value = vars[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  }

  private compiledTemplate(template: MailTemplate): CompiledTemplate {
    // The job came through Redis: its template name is only a string until checked.
    if (!isMailTemplate(template)) throw new InvalidMailError(`Unknown mail template "${String(template)}"`);
    let compiled = this.compiled.get(template);
    if (!compiled) {
      const source = MAIL_TEMPLATE_SOURCES[template] as MailTemplateSource<MailTemplate>;
      const textOptions = { strict: true, noEscape: true };
      compiled = {
        source,
        subject: this.textEngine.compile(source.subject, textOptions),
        preheader: this.textEngine.compile(source.preheader, textOptions),
        html: this.htmlEngine.compile(`{{#> layout}}\n${source.html}\n{{/layout}}`, { strict: true }),
        text: this.textEngine.compile(`{{#> layout}}\n${source.text}\n{{/layout}}`, textOptions),
      };
      this.compiled.set(template, compiled);
    }
    return compiled;
  }

  private checkedVariables(
    template: MailTemplate,
    source: MailTemplateSource<MailTemplate>,
    variables: unknown,
  ): Record<string, unknown> {
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw new InvalidMailError(`Mail template "${template}" needs an object of variables`);
    }
    const vars = variables as Record<string, unknown>;
    for (const name of source.links as readonly string[]) {
      const value = vars[name];
      if (value === undefined || value === null) continue; // a required link is caught by strict mode
      if (typeof value !== 'string' || !this.isAppUrl(value)) {
        throw new InvalidMailError(
          `Mail template "${template}": ${name} must be an absolute link into ${this.appOrigin}, got ${JSON.stringify(value)}`,
        );
      }
    }
    return vars;
  }

  private isAppUrl(value: string): boolean {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === this.appOrigin;
    } catch {
      return false;
    }
  }
}

function createEngine(kind: 'html' | 'text'): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper('datetime', (value: unknown) => {
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) throw new Error(`datetime needs an ISO-8601 time, got ${JSON.stringify(value)}`);
    return `${DATE_FORMAT.format(time)} UTC`;
  });
  engine.registerHelper('plural', (count: unknown, unit: unknown) => {
    if (typeof count !== 'number' || !Number.isFinite(count) || typeof unit !== 'string') {
      throw new Error(`plural needs a number and a unit, got ${JSON.stringify(count)}`);
    }
    return `${count} ${unit}${count === 1 ? '' : 's'}`;
  });
  engine.registerPartial('layout', kind === 'html' ? HTML_LAYOUT : TEXT_LAYOUT);
  if (kind === 'html') engine.registerPartial('button', HTML_BUTTON_PARTIAL);
  return engine;
}

/** A header must be one line; user data (a post title) may hold line breaks or runs of spaces. */
function singleLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Template whitespace (block helpers on their own lines) must not show up as ragged blank lines. */
function tidyText(value: string): string {
  const text = value
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return `${text}\n`;
}
