/** Header names whose values never reach a log line. */
export const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization'] as const;

/** pino `redact` paths for any object that carries headers. */
export const REDACT_PATHS: string[] = SECRET_HEADERS.flatMap((h) => [
  `headers["${h}"]`,
  `*.headers["${h}"]`,
  `config.headers["${h}"]`,
]);

/** Drop userinfo (user:password@) from a URL before it is logged. */
export function scrubUrl(url: string | null): string | null {
  if (url === null || !url.includes('@')) return url;
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
