import { QRCodeSVG } from 'qrcode.react';

/** The QR code's accessible name: what it is, and where the same secret is as text. */
const QR_CODE_LABEL = 'QR code for adding Atrium to your authenticator app. The key below holds the same secret.';

/**
 * The `otpauth://` URI as a QR code, drawn as inline SVG in this browser: the secret never leaves
 * the page for an image service. Black on white with the standard quiet zone whatever the colour
 * scheme, so phone cameras read it in dark mode too. Loaded lazily (with its encoder) by the
 * security page, only once a setup has started.
 */
export default function TwoFactorQrCode({ uri, size = 184 }: { uri: string; size?: number }) {
  return (
    <QRCodeSVG
      value={uri}
      size={size}
      level="M"
      marginSize={4}
      bgColor="#ffffff"
      fgColor="#000000"
      role="img"
      aria-label={QR_CODE_LABEL}
      style={{ display: 'block', borderRadius: 'var(--mantine-radius-sm)' }}
    />
  );
}
