/*
 * The shared frame of every mail. Each template's body is rendered into the `@partial-block`
 * slot; the frame reads what it needs about the mail (subject, preview text, why it was sent,
 * the app's URL) from `@mail`, which the renderer passes as Handlebars data.
 *
 * Mail clients ignore <style> sheets and most layout CSS, hence tables and inline styles. Colours
 * meet WCAG AA contrast; the preview text is hidden from sight and from screen readers.
 */

export const FONT_STACK = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

export const HTML_LAYOUT = `<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>{{@mail.subject}}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;" aria-hidden="true">{{@mail.preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:8px;">
<tr>
<td style="padding:24px 32px 0 32px;font-family:${FONT_STACK};font-size:20px;font-weight:700;letter-spacing:0.02em;color:#3730a3;">Atrium</td>
</tr>
<tr>
<td style="padding:16px 32px 24px 32px;font-family:${FONT_STACK};font-size:16px;line-height:1.5;color:#27272a;">
{{> @partial-block}}
</td>
</tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr>
<td style="padding:16px 32px;font-family:${FONT_STACK};font-size:13px;line-height:1.5;color:#52525b;">
<p style="margin:0 0 8px 0;">{{@mail.reason}}</p>
<p style="margin:0;">Atrium &middot; <a href="{{@mail.appUrl}}" style="color:#52525b;text-decoration:underline;">{{@mail.appUrl}}</a></p>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;

export const TEXT_LAYOUT = `{{> @partial-block}}

--
Atrium - {{@mail.appUrl}}
{{@mail.reason}}
`;

/**
 * The call to action of a mail: a button, and the same link written out for clients that
 * block or mangle buttons. Use as `{{> button url=someUrl label="Do the thing"}}`.
 */
export const HTML_BUTTON_PARTIAL = `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0 16px 0;">
<tr>
<td style="border-radius:6px;background-color:#4338ca;">
<a href="{{url}}" target="_blank" style="display:inline-block;padding:12px 24px;font-family:${FONT_STACK};font-size:16px;font-weight:600;line-height:1.25;color:#ffffff;text-decoration:none;border-radius:6px;">{{label}}</a>
</td>
</tr>
</table>
<p style="margin:0 0 16px 0;font-size:14px;color:#52525b;">If the button does not work, copy this link into your browser:<br><a href="{{url}}" target="_blank" style="color:#4338ca;word-break:break-all;">{{url}}</a></p>`;

/** Inline styles of the elements template bodies use, so every mail looks the same. */
export const STYLE = {
  h1: 'margin:0 0 16px 0;font-size:22px;line-height:1.3;font-weight:700;color:#18181b;',
  p: 'margin:0 0 16px 0;',
  small: 'margin:0 0 16px 0;font-size:14px;color:#52525b;',
  quote:
    'margin:0 0 16px 0;padding:12px 16px;border-left:4px solid #a5b4fc;background-color:#f4f4f5;color:#27272a;white-space:pre-line;',
  dt: 'margin:0;font-size:14px;font-weight:600;color:#52525b;',
  dd: 'margin:0 0 8px 0;word-break:break-word;',
} as const;
