/**
 * Credentials in a URL (`http://user:p%40ss@host/`): sent as
 * `Authorization: Basic`, with the user and password percent-decoded, as curl
 * and browsers do. The request line never carries them (undici sends origin
 * and path only), and the URL is shown with the password masked
 * (log/redact.ts maskPassword).
 */
export function basicAuthorization(url: URL): string | null {
  if (url.username === '' && url.password === '') return null;
  return `Basic ${Buffer.from(`${decode(url.username)}:${decode(url.password)}`).toString('base64')}`;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
